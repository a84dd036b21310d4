"""Follow-up reminders: the cron's cost grows with the overdue leads, not the table.

For a table of N/10 leads and one of N leads (default 200,000), each with
2,000 overdue leads to remind (the small table first: the rows a rolled-back
table leaves behind would slow down the next one), measures three ways of
reminding them, in the same run:

- cron: the module's reminder cron, batch after batch as the cron runner calls
  it (each batch ends as the runner's commit would: the live pushes written);
  the time spent finding and locking the leads and the time spent notifying
  are measured apart;
- message_notify: the same cron with the notification done the plain way,
  one ``message_notify`` per lead (as the module did first), so that the
  notification part has its own ratio;
- floor: the cron's own SQL alone: per batch one SELECT with the cron's WHERE,
  ``ORDER BY followup_deadline, id LIMIT 500 FOR NO KEY UPDATE SKIP LOCKED``
  and one UPDATE marking the batch reminded, until nothing is left.

Every variant runs in a savepoint that is rolled back, so each run starts from
the same 2,000 overdue leads with empty caches; the order of the variants
rotates from run to run. Prints the median of ``--runs`` runs (default 3) with
the fastest and slowest, and checks that the cron and message_notify remind
the same leads with as many inbox notifications and reminders pushed live.
Usage: ./dev bench followup [--leads N] [--runs N]
"""

import json
import time

from common import Series, Stopwatch, odoo_env, parse_args, undone
from markupsafe import escape

OVERDUE = 2_000


def pending_condition():
    """The cron's own condition of the leads to remind (importable once Odoo
    has loaded the addons)."""
    from odoo.addons.lead_energy.models.crm_lead_followup import FOLLOWUP_PENDING

    return f"{FOLLOWUP_PENDING} AND followup_deadline < CURRENT_DATE"


def insert_leads(env, total, overdue):
    """``overdue`` leads to remind among ``total``; the rest are the usual mix:
    already reminded, due later, nobody following up, closed."""
    users = env["res.users"].search([("share", "=", False)], limit=10).ids
    env.cr.execute(
        """
        INSERT INTO crm_lead (name, type, active, lead_state, priority, company_id,
                              lead_number, lead_score, create_date, write_date,
                              create_uid, write_uid, followup_user_id,
                              followup_deadline, followup_notified_date)
        SELECT 'Bench lead ' || i, 'lead', kind <> 3,
               CASE kind WHEN 3 THEN 'closed' ELSE 'open' END, '0', %(company)s,
               'BENCH-' || i, 0, now(), now(), 1, 1,
               CASE WHEN kind = 2 THEN NULL
                    ELSE (%(users)s::int[])[1 + i %% %(user_count)s] END,
               CASE WHEN kind = 1 THEN CURRENT_DATE + 1 + i %% 60
                    ELSE CURRENT_DATE - 1 - i %% 300 END,
               CASE WHEN kind = 0 THEN CURRENT_DATE - 1 - i %% 300 END
          FROM (SELECT i, CASE WHEN i <= %(overdue)s THEN 4 ELSE i %% 4 END AS kind
                  FROM generate_series(1, %(total)s) AS i) AS s
        """,
        {
            "company": env.company.id,
            "users": users,
            "user_count": len(users),
            "overdue": overdue,
            "total": total,
        },
    )
    env.cr.execute("ANALYZE crm_lead")


class patched:
    """Methods of crm.lead replaced while the block runs, and the total time
    spent in each group of methods."""

    def __init__(self, env, timed=None, replaced=None):
        self.cls = type(env["crm.lead"])
        self.timed = timed or {}
        self.replaced = replaced or {}
        self.seconds = dict.fromkeys(self.timed, 0.0)

    def __enter__(self):
        names = {*self.replaced, *(n for names in self.timed.values() for n in names)}
        self.originals = {name: self.cls.__dict__.get(name) for name in names}
        for name, method in self.replaced.items():
            setattr(self.cls, name, method)
        for group, names in self.timed.items():
            for name in names:
                setattr(self.cls, name, self._wrap(group, getattr(self.cls, name)))
        return self

    def _wrap(self, group, method):
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                self.seconds[group] += time.perf_counter() - start

        return wrapper

    def __exit__(self, *exc):
        for name, original in self.originals.items():
            if original is None:
                delattr(self.cls, name)
            else:
                setattr(self.cls, name, original)


def notify_with_message_notify(self):
    """The plain way: one message_notify per lead, then the batch marked."""
    from odoo.addons.lead_energy.models.mail_thread import INBOX_ONLY
    from odoo.addons.lead_energy.tools.internal_flow import internal_context

    author = self.env.ref("base.partner_root").id
    for lead in self:
        user = lead.followup_user_id
        lead_in_lang = lead.with_context(lang=user.lang or self.env.lang)
        subject, body = lead_in_lang._followup_overdue_texts()
        lead.sudo().with_context(**internal_context(INBOX_ONLY)).message_notify(
            partner_ids=user.partner_id.ids,
            author_id=author,
            subject=subject,
            body=escape(body),
        )
    self._mark_followups_notified()


def end_of_batch(env):
    """What the cron runner's commit after each batch does, without committing:
    the precommit hooks write the batch's live pushes (bus.bus) in one INSERT."""
    env.flush_all()
    env.cr.precommit.run()
    env.cr.postcommit.clear()


def last_ids(env):
    env.cr.execute(
        "SELECT (SELECT coalesce(max(id), 0) FROM bus_bus),"
        " (SELECT coalesce(max(id), 0) FROM mail_notification)"
    )
    return env.cr.fetchone()


def run_cron(env, replaced=None):
    """The cron, batch after batch; (stopwatch, seconds finding and locking,
    seconds notifying, what it did)."""
    last_push, last_notification = last_ids(env)
    timed = {
        "find": ["_lock_overdue_followups", "_count_overdue_followups"],
        "notify": ["_notify_overdue_followup"],
    }
    reminded = 0
    with patched(env, timed, replaced) as methods:
        with Stopwatch(env) as cron:
            while done := env["crm.lead"]._cron_notify_overdue_followups():
                reminded += done
                end_of_batch(env)
    env.cr.execute(f"SELECT count(*) FROM crm_lead WHERE {pending_condition()}")
    left = env.cr.fetchone()[0]
    # The reminders in Odoo's inbox pushes (one per reminder, from either).
    env.cr.execute("SELECT message FROM bus_bus WHERE id > %s", [last_push])
    pushed = sum(
        len(content["payload"].get("mail.message", []))
        for content in (json.loads(message) for (message,) in env.cr.fetchall())
        if content["type"] == "mail.message/inbox"
    )
    env.cr.execute(
        "SELECT count(*) FROM mail_notification"
        " WHERE id > %s AND notification_type = 'inbox'",
        [last_notification],
    )
    inbox = env.cr.fetchone()[0]
    done = (
        f"{reminded:,} reminded, {left} left, {inbox:,} inbox notifications, "
        f"{pushed:,} reminders pushed live"
    )
    return cron, methods.seconds["find"], methods.seconds["notify"], done


def run_floor(env):
    """The cron's SQL alone; (total seconds, seconds of the SELECTs, batches)."""
    from odoo.addons.lead_energy.models.crm_lead_followup import FOLLOWUP_BATCH_SIZE

    select = (
        f"SELECT id FROM crm_lead WHERE {pending_condition()}"
        " ORDER BY followup_deadline, id LIMIT %s FOR NO KEY UPDATE SKIP LOCKED"
    )

    selecting = 0.0
    batches = 0
    start = time.perf_counter()
    while True:
        before = time.perf_counter()
        env.cr.execute(select, [FOLLOWUP_BATCH_SIZE])
        ids = [row[0] for row in env.cr.fetchall()]
        selecting += time.perf_counter() - before
        if not ids:
            break
        batches += 1
        env.cr.execute(
            "UPDATE crm_lead SET followup_notified_date = followup_deadline"
            " WHERE id = ANY(%s)",
            [ids],
        )
    return time.perf_counter() - start, selecting, batches


def measure(env, total, runs):
    with undone(env):
        env["crm.lead"]._cron_notify_overdue_followups(1_000_000)  # demo leads first
        end_of_batch(env)
        insert_leads(env, total, OVERDUE)
        cron = Series("cron")
        cron_find = Series("  finding and locking")
        cron_notify = Series("  notifying")
        plain = Series("message_notify")
        plain_notify = Series("  notifying (message_notify per lead)")
        floor = Series("floor")
        floor_select = Series("  SELECTs")
        done = {}

        def module():
            watch, find, notify, done["cron"] = run_cron(env)
            cron.add_watch(watch)
            cron_find.add(find)
            cron_notify.add(notify)

        def message_notify():
            replaced = {"_notify_overdue_followup": notify_with_message_notify}
            watch, find, notify, done["message_notify"] = run_cron(env, replaced)
            plain.add_watch(watch)
            plain_notify.add(notify)

        def sql_only():
            seconds, selecting, batches = run_floor(env)
            floor.add(seconds, 2 * batches + 1)
            floor_select.add(selecting, batches + 1)

        variants = [module, message_notify, sql_only]
        for run in range(runs):
            for variant in variants[run % 3 :] + variants[: run % 3]:
                with undone(env):
                    variant()
    same = done["cron"] == done["message_notify"]
    per_lead = 1000 * cron.median / OVERDUE
    print(
        f"{total:>7,} leads, {OVERDUE:,} overdue: cron {done['cron']}; "
        f"message_notify {'the same' if same else done['message_notify']}\n"
        f"    {cron} ({per_lead:.2f} ms per reminded lead)\n"
        f"    {cron_find}\n    {cron_notify}\n"
        f"    {plain}\n    {plain_notify}\n"
        f"    {floor}\n    {floor_select}\n"
        f"    cron / floor {cron.ratio(floor)} | "
        f"finding and locking / the floor's SELECTs {cron_find.ratio(floor_select)}\n"
        f"    message_notify / cron {plain.ratio(cron)} | "
        f"notifying: message_notify per lead / cron {plain_notify.ratio(cron_notify)}",
        flush=True,
    )
    return cron.median, floor.median, same


def main():
    args = parse_args(__doc__, leads=(int, 200_000, "leads in the larger table"))
    with odoo_env(args) as env:
        # The small table first: a rolled-back table leaves its dead rows behind.
        small, small_floor, same_too = measure(env, args.leads // 10, args.runs)
        big, big_floor, same = measure(env, args.leads, args.runs)
        print(
            f"{args.leads:,} vs {args.leads // 10:,} leads, same {OVERDUE:,} to "
            f"remind: cron {big / small:.2f}x, floor {big_floor / small_floor:.2f}x"
        )
        raise SystemExit(0 if same and same_too else 1)


if __name__ == "__main__":
    main()
