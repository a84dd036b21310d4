"""A change of the scoring configuration racing a rating, on real connections.

Odoo runs each request in a REPEATABLE READ transaction and retries it when it
fails to serialise (``odoo.service.model.retrying``, as every RPC call does).
Whichever of the two commits first, the lead must end with the score of the
configuration in force.
"""

import threading
import time

import pytest

from odoo.service.model import retrying

OLD_POINTS, NEW_POINTS = 1, 9


@pytest.fixture
def option_and_lead(connect):
    """A size option worth OLD_POINTS and an unrated lead, committed."""
    setup_cr, setup = connect()
    option = setup["crm.lead.scoring.option"].create(
        {
            "name": "Concurrency size",
            "criterion_id": setup.ref("lead_energy.crm_lead_scoring_criterion_size").id,
            "points": OLD_POINTS,
        }
    )
    lead = setup["crm.lead"].create({"name": "Rated meanwhile", "type": "lead"})
    setup_cr.commit()
    yield option.id, lead.id
    setup["crm.lead"].browse(lead.id).unlink()
    setup["crm.lead.scoring.option"].browse(option.id).unlink()
    setup_cr.commit()


def change_points(env, option_id):
    env["crm.lead.scoring.option"].browse(option_id).write({"points": NEW_POINTS})
    env.cr.commit()


def rate(env, lead_id, option_id):
    env["crm.lead"].browse(lead_id).write({"size_option_id": option_id})


def stored_and_due_score(connect, lead_id):
    """The score stored for the lead, and the score its rating earns under the
    committed configuration."""
    _cr, check = connect()
    lead = check["crm.lead"].browse(lead_id)
    config = check["crm.lead.scoring.criterion"]._scoring_config()
    return lead.lead_score, config.score(lead._rated_ids())


def score_with_points(connect, lead_id, option_id, points):
    _cr, check = connect()
    config = check["crm.lead.scoring.criterion"]._scoring_config()
    config.points[("size", option_id)] = points
    return config.score({"size": option_id})


def test_rating_that_saw_the_old_configuration_is_retried(connect, option_and_lead):
    option_id, lead_id = option_and_lead
    stale = score_with_points(connect, lead_id, option_id, OLD_POINTS)
    rater_cr, rater = connect()
    rater_cr.execute("SELECT 1")  # the salesman's request has begun
    _manager_cr, manager = connect()
    change_points(manager, option_id)
    retrying(lambda: rate(rater, lead_id, option_id), rater)
    rater_cr.commit()
    stored, due = stored_and_due_score(connect, lead_id)
    assert due != stale, "the test needs points that change the score"
    assert stored == due


def waits_for_a_lock(connect, backend_pid, thread, seconds=20):
    check_cr, _check = connect()
    deadline = time.monotonic() + seconds
    while thread.is_alive() and time.monotonic() < deadline:
        check_cr.execute(
            "SELECT count(*) FROM pg_locks WHERE pid = %s AND NOT granted",
            [backend_pid],
        )
        if check_cr.fetchone()[0]:
            return True
        check_cr.rollback()
        time.sleep(0.05)
    return False


def test_change_that_waited_for_a_rating_rescores_it(connect, option_and_lead):
    option_id, lead_id = option_and_lead
    stale = score_with_points(connect, lead_id, option_id, OLD_POINTS)
    rater_cr, rater = connect()
    rate(rater, lead_id, option_id)
    rater_cr.flush()  # rated, not committed yet
    manager_cr, manager = connect()
    manager_cr.execute("SELECT pg_backend_pid()")  # its snapshot is taken
    manager_pid = manager_cr.fetchone()[0]
    errors = []

    def manager_request():
        try:
            change_points(manager, option_id)
        except Exception as error:  # noqa: BLE001 - reported to the test below
            errors.append(error)

    thread = threading.Thread(target=manager_request)
    thread.start()
    try:
        # The change cannot finish while the rating holds the configuration.
        assert waits_for_a_lock(connect, manager_pid, thread)
        rater_cr.commit()
    finally:
        rater_cr.rollback()  # a failed check must not leave the lead locked
        thread.join(60)
    assert not thread.is_alive() and not errors
    stored, due = stored_and_due_score(connect, lead_id)
    assert due != stale
    assert stored == due
