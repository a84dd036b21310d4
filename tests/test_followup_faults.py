"""The follow-up reminder under faults, in Odoo's prefork server.

Real Odoo processes on the test database (`./dev test`'s throw-away copy) with
a cron worker each. Whatever happens to a worker, every overdue lead gets its
reminder exactly once: a batch commits its messages and marks its leads in one
transaction, and a batch that dies is rolled back by PostgreSQL and redone.
"""

import contextlib
import os
import re
import signal
import subprocess

import pytest
from helpers import free_port, wait_until
from test_followup_concurrency import remind, reminders_per_lead

LEADS = 3000
CRON_WORKER = re.compile(r"Worker WorkerCron \((\d+)\) alive")


@contextlib.contextmanager
def odoo_node(server_command, tmp_path, name):
    """An Odoo node in prefork mode: one HTTP worker and one cron worker on
    ports of its own; yields its process and log."""
    log = tmp_path / f"{name}.log"
    log.touch()
    _port, command = server_command(
        log, f"--gevent-port={free_port()}", "--workers=1", "--max-cron-threads=1"
    )
    proc = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
    )
    try:
        assert wait_until(lambda: cron_workers(log), 120), f"no cron worker on {name}"
        yield proc, log
    finally:
        proc.terminate()  # the prefork master stops its workers
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
        for pid in cron_workers(log):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def cron_workers(log):
    return [int(pid) for pid in CRON_WORKER.findall(log.read_text())]


@pytest.fixture
def overdue_leads(connect):
    """LEADS overdue leads of the demo sales person, committed; the demo data's
    overdue leads are reminded first. Removed afterwards with their reminders."""
    cr, env = connect()
    remind(env, 500)
    cr.execute(
        """
        INSERT INTO crm_lead (name, type, active, lead_state, priority, company_id,
                              create_date, write_date, create_uid, write_uid,
                              followup_user_id, followup_deadline)
        SELECT 'Fault lead ' || i, 'lead', TRUE, 'open', '0', %s,
               now() at time zone 'UTC', now() at time zone 'UTC', 1, 1,
               %s, CURRENT_DATE - 1 - i %% 20
          FROM generate_series(1, %s) AS i
        RETURNING id
        """,
        [env.ref("base.main_company").id, env.ref("base.user_demo").id, LEADS],
    )
    ids = [row[0] for row in cr.fetchall()]
    cr.commit()
    yield ids
    cr.rollback()
    cr.execute(
        "DELETE FROM mail_message WHERE model = 'crm.lead' AND res_id = ANY(%s)",
        [ids],
    )
    cr.execute("DELETE FROM crm_lead WHERE id = ANY(%s)", [ids])
    cr.commit()


def reminded(connect, ids):
    cr, _env = connect()
    cr.execute(
        "SELECT count(*) FROM crm_lead"
        " WHERE id = ANY(%s) AND followup_notified_date IS NOT NULL",
        [ids],
    )
    count = cr.fetchone()[0]
    cr.close()
    return count


def trigger_reminders(connect):
    """Due now: the cron workers are woken (PostgreSQL NOTIFY at commit)."""
    cr, env = connect()
    env.ref("lead_energy.ir_cron_notify_overdue_followups")._trigger()
    cr.commit()


def test_cron_worker_killed_mid_run_reminds_each_lead_once(
    connect, overdue_leads, odoo_server_command, tmp_path
):
    with odoo_node(odoo_server_command, tmp_path, "node") as (_proc, log):
        (first,) = cron_workers(log)
        trigger_reminders(connect)
        # A batch of 500 is committed, the run goes on: kill the worker there.
        assert wait_until(lambda: reminded(connect, overdue_leads) > 0, 120)
        os.kill(first, signal.SIGKILL)
        done_when_killed = reminded(connect, overdue_leads)
        assert done_when_killed < LEADS, "the run ended before the kill"
        # Odoo's master starts a new cron worker; the job is still due.
        assert wait_until(lambda: len(cron_workers(log)) == 2, 60), "no new cron worker"
        trigger_reminders(connect)
        assert wait_until(lambda: reminded(connect, overdue_leads) == LEADS, 180)
    _cr, env = connect()
    assert reminders_per_lead(env, overdue_leads) == dict.fromkeys(overdue_leads, 1)


def test_reminder_cron_on_two_nodes_at_once_reminds_each_lead_once(
    connect, overdue_leads, odoo_server_command, tmp_path
):
    with (
        odoo_node(odoo_server_command, tmp_path, "node-a"),
        odoo_node(odoo_server_command, tmp_path, "node-b"),
    ):
        trigger_reminders(connect)
        assert wait_until(lambda: reminded(connect, overdue_leads) == LEADS, 180)
    _cr, env = connect()
    assert reminders_per_lead(env, overdue_leads) == dict.fromkeys(overdue_leads, 1)
