"""Lead appointments and follow-ups seen by a salesman and an integration over
XML-RPC."""

import uuid
import xmlrpc.client

import pytest


@pytest.fixture(scope="module")
def salesman(login):
    return login("demo", "demo")


def admins_lead(admin, name, **values):
    """A new lead of the administrator, by a unique name."""
    values = {"name": name, "type": "lead", "user_id": admin.uid, **values}
    return admin("crm.lead", "create", values)


@pytest.fixture
def planned_lead(admin):
    """A lead of the administrator with a planned appointment."""
    lead_id = admins_lead(
        admin,
        f"RPC appointment {uuid.uuid4().hex[:8]}",
        meeting_user_id=admin.uid,
        appointment_start="2027-05-04 09:00:00",
        appointment_stop="2027-05-04 10:00:00",
    )
    yield lead_id
    [lead] = admin("crm.lead", "read", [lead_id], fields=["appointment_event_id"])
    if lead["appointment_event_id"]:
        admin("calendar.event", "unlink", [lead["appointment_event_id"][0]])
    admin("crm.lead", "unlink", [lead_id])


def test_salesman_cannot_make_his_event_claim_a_colleagues_lead(
    admin, salesman, planned_lead
):
    event_id = salesman(
        "calendar.event",
        "create",
        {
            "name": "My own meeting",
            "start": "2027-05-04 09:00:00",
            "stop": "2027-05-04 10:00:00",
        },
    )
    try:
        with pytest.raises(xmlrpc.client.Fault, match="Lead Appointment"):
            salesman(
                "calendar.event",
                "write",
                [event_id],
                {"opportunity_id": planned_lead, "is_lead_appointment": True},
            )
        [own] = admin(
            "calendar.event", "read", [event_id], fields=["is_lead_appointment"]
        )
        assert own["is_lead_appointment"] is False
        # The lead still moves its own appointment.
        admin(
            "crm.lead",
            "write",
            [planned_lead],
            {
                "appointment_start": "2027-05-05 09:00:00",
                "appointment_stop": "2027-05-05 10:00:00",
            },
        )
        [lead] = admin(
            "crm.lead", "read", [planned_lead], fields=["appointment_event_id"]
        )
        [event] = admin(
            "calendar.event", "read", [lead["appointment_event_id"][0]], ["start"]
        )
        assert event["start"] == "2027-05-05 09:00:00"
    finally:
        admin("calendar.event", "unlink", [event_id])


def test_portal_users_are_not_added_to_an_appointment(admin, planned_lead):
    [portal_group] = admin(
        "ir.model.data",
        "search_read",
        [("module", "=", "base"), ("name", "=", "group_portal")],
        fields=["res_id"],
    )
    tag = uuid.uuid4().hex[:8]
    portal_id = admin(
        "res.users",
        "create",
        {
            "name": f"Portal {tag}",
            "login": f"portal-{tag}@example.com",
            "groups_id": [(6, 0, [portal_group["res_id"]])],
        },
    )
    with pytest.raises(xmlrpc.client.Fault, match="portal users"):
        admin(
            "crm.lead.appointment.employees",
            "create",
            {"lead_id": planned_lead, "user_ids": [(6, 0, [portal_id])]},
        )


def test_salesman_works_on_the_lead_he_follows_up(admin, salesman):
    tag = uuid.uuid4().hex[:8]
    lead_id = admins_lead(admin, f"RPC follow-up {tag}", followup_user_id=salesman.uid)
    other_id = admins_lead(admin, f"RPC not his {tag}")
    try:
        [lead] = salesman("crm.lead", "read", [lead_id], fields=["name"])
        assert lead["name"] == f"RPC follow-up {tag}"
        salesman("crm.lead", "write", [lead_id], {"description": "<p>Called.</p>"})
        found = salesman("crm.lead", "search", [("name", "like", f"RPC % {tag}")])
        assert found == [lead_id]
        with pytest.raises(xmlrpc.client.Fault, match="access"):
            salesman("crm.lead", "read", [other_id], fields=["name"])
        with pytest.raises(xmlrpc.client.Fault):
            salesman("crm.lead", "unlink", [lead_id])
    finally:
        admin("crm.lead", "unlink", [lead_id, other_id])
