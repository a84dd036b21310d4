"""The follow-up reminder under real concurrency: separate database connections.

Odoo's own test cases share one transaction; a lock taken by a user's request
or a second cron worker needs connections of their own, committed for real
(in the throw-away test database of ``./dev test``).
"""

from datetime import date, timedelta


def remind(env, batch_size):
    """One worker's run as the cron runner does it: a transaction per batch,
    until nothing is left that it may take."""
    total = 0
    while True:
        done = env["crm.lead"]._cron_notify_overdue_followups(batch_size)
        env.cr.commit()
        if not done:
            return total
        total += done


def reminders_per_lead(env, ids):
    env.cr.execute(
        """
        SELECT res_id, count(*) FROM mail_message
         WHERE model = 'crm.lead' AND message_type = 'user_notification'
           AND res_id = ANY(%s)
         GROUP BY res_id
        """,
        [ids],
    )
    return dict(env.cr.fetchall())


def overdue_lead(env, name, days):
    """A lead of the demo sales person, its follow-up ``days`` overdue."""
    return env["crm.lead"].create(
        {
            "name": name,
            "type": "lead",
            "followup_user_id": env.ref("base.user_demo").id,
            "followup_deadline": date.today() - timedelta(days=days),
        }
    )


def test_workers_and_a_user_lock_remind_each_lead_once(connect):
    setup_cr, setup = connect()
    remind(setup, 500)  # the demo data's overdue leads first
    follower = setup.ref("base.user_demo")
    leads = setup["crm.lead"].create(
        [
            {
                "name": f"Concurrency {i}",
                "type": "lead",
                "followup_user_id": follower.id,
                "followup_deadline": date.today() - timedelta(days=1 + i),
            }
            for i in range(6)
        ]
    )
    ids = leads.ids
    setup_cr.commit()
    try:
        # A user is saving the most overdue lead: its row is locked.
        user_cr, _user = connect()
        user_cr.execute("SELECT id FROM crm_lead WHERE id = %s FOR UPDATE", [ids[5]])
        # Worker A takes a first batch and has not committed it yet.
        worker_a_cr, worker_a = connect()
        assert worker_a["crm.lead"]._cron_notify_overdue_followups(batch_size=2) == 2
        # Worker B runs meanwhile: it skips what A and the user hold.
        _worker_b_cr, worker_b = connect()
        assert remind(worker_b, 2) == 3
        worker_a_cr.commit()
        user_cr.rollback()
        # The next run takes the lead the user held, and only that one.
        assert remind(worker_b, 2) == 1
        assert remind(worker_b, 2) == 0
        _check_cr, check = connect()
        assert reminders_per_lead(check, ids) == dict.fromkeys(ids, 1)
    finally:
        setup["crm.lead"].browse(ids).unlink()
        setup_cr.commit()


def test_lead_changed_after_the_run_began_is_left_for_later(connect):
    setup_cr, setup = connect()
    remind(setup, 500)
    lead = overdue_lead(setup, "Changed meanwhile", days=2)
    setup_cr.commit()
    try:
        worker_cr, worker = connect()
        worker_cr.execute("SELECT 1")  # the worker's snapshot is taken
        user_cr, user = connect()
        user["crm.lead"].browse(lead.id).write({"description": "<p>Called.</p>"})
        user_cr.commit()
        # The worker cannot lock what changed after its snapshot: no error,
        # nothing reminded, a retry is scheduled.
        assert worker["crm.lead"]._cron_notify_overdue_followups(10) == 0
        worker_cr.commit()
        assert remind(worker, 10) == 1
        assert reminders_per_lead(worker, lead.ids) == {lead.id: 1}
    finally:
        lead.unlink()
        setup_cr.commit()


def retries_within(env, minutes):
    env.cr.execute(
        """
        SELECT count(*) FROM ir_cron_trigger
         WHERE cron_id = %s AND call_at <= now() at time zone 'UTC' + %s
        """,
        [
            env.ref("lead_energy.ir_cron_notify_overdue_followups").id,
            timedelta(minutes=minutes),
        ],
    )
    return env.cr.fetchone()[0]


def test_lead_a_user_holds_is_retried_within_minutes(connect):
    setup_cr, setup = connect()
    remind(setup, 500)
    lead = overdue_lead(setup, "Held by a user", days=3)
    cron = setup.ref("lead_energy.ir_cron_notify_overdue_followups")
    setup.cr.execute("DELETE FROM ir_cron_trigger WHERE cron_id = %s", [cron.id])
    setup_cr.commit()
    user_cr, _user = connect()
    try:
        user_cr.execute("SELECT id FROM crm_lead WHERE id = %s FOR UPDATE", [lead.id])
        _worker_cr, worker = connect()
        assert remind(worker, 10) == 0
        # Not tomorrow: the cron looks again within minutes.
        assert retries_within(worker, 10) == 1
        user_cr.rollback()
        assert remind(worker, 10) == 1
    finally:
        user_cr.rollback()  # a failed check must not leave the lead locked
        lead.unlink()
        setup_cr.commit()
