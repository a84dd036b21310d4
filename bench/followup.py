"""Follow-up reminders: the cron's cost grows with the overdue leads, not the table.

For a table of 200,000 leads and one of 20,000, each with 2,000 overdue leads to
remind, prints the time and query count of the reminder cron (batch after
batch, as the cron runner calls it) next to the floor: selecting the same
2,000 ids with one SQL query. Usage: ./dev bench followup
"""

import time

from common import Stopwatch, odoo_env, parse_args

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


class timed:
    """Total time spent in some methods of crm.lead while the block runs."""

    def __init__(self, env, names):
        self.cls = type(env["crm.lead"])
        self.names = names
        self.seconds = 0.0

    def __enter__(self):
        self.originals = {name: getattr(self.cls, name) for name in self.names}
        for name, original in self.originals.items():
            setattr(self.cls, name, self._wrap(original))
        return self

    def _wrap(self, original):
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - start

        return wrapper

    def __exit__(self, *exc):
        for name, original in self.originals.items():
            setattr(self.cls, name, original)


def end_of_batch(env):
    """What the cron runner's commit after each batch does, without committing:
    the precommit hooks write the batch's live pushes (bus.bus) in one INSERT."""
    env.flush_all()
    env.cr.precommit.run()
    env.cr.postcommit.clear()


def measure(env, total):
    env.cr.execute("SAVEPOINT bench_table")
    env["crm.lead"]._cron_notify_overdue_followups(1_000_000)  # demo leads first
    end_of_batch(env)
    insert_leads(env, total, OVERDUE)
    start = time.perf_counter()
    pending = pending_condition()
    env.cr.execute(f"SELECT id FROM crm_lead WHERE {pending}")
    floor_ids = env.cr.fetchall()
    floor = time.perf_counter() - start
    assert len(floor_ids) == OVERDUE, len(floor_ids)
    env.cr.execute("SELECT coalesce(max(id), 0) FROM bus_bus")
    last_push = env.cr.fetchone()[0]
    reminded = 0
    with timed(env, ["_lock_overdue_followups", "_count_overdue_followups"]) as own:
        with Stopwatch(env) as cron:
            while done := env["crm.lead"]._cron_notify_overdue_followups():
                reminded += done
                end_of_batch(env)
    env.cr.execute(f"SELECT count(*) FROM crm_lead WHERE {pending}")
    left = env.cr.fetchone()[0]
    env.cr.execute(
        "SELECT count(*) FROM bus_bus WHERE id > %s AND message LIKE %s",
        [last_push, '%"mail.message/inbox"%'],
    )
    pushed = env.cr.fetchone()[0]
    env.cr.execute("ROLLBACK TO SAVEPOINT bench_table")
    env.invalidate_all()
    print(
        f"{total:>7,} leads, {reminded:,} reminded "
        f"({left} left, {pushed:,} live pushes): "
        f"cron {cron.seconds:.2f} s, {cron.queries:,} queries, "
        f"{1000 * cron.seconds / reminded:.2f} ms per reminded lead\n"
        f"    finding and locking the leads: {1000 * own.seconds:.1f} ms in all "
        f"({own.seconds / floor:.1f}x the floor) | "
        f"floor (one SELECT of the same ids) {1000 * floor:.1f} ms | "
        f"the rest is Odoo's notification of each message (inbox, live push)",
        flush=True,
    )
    return cron.seconds, floor


def main():
    args = parse_args(__doc__)
    with odoo_env(args) as env:
        big, big_floor = measure(env, 200_000)
        small, small_floor = measure(env, 20_000)
        print(
            f"200,000 vs 20,000 leads, same 2,000 to remind: cron {big / small:.2f}x, "
            f"floor {big_floor / small_floor:.2f}x"
        )


if __name__ == "__main__":
    main()
