"""The lead lifecycle seen by a sales person's integration over XML-RPC: the
module's internal flows cannot be switched on from outside, the fields it
maintains cannot be written, and its buttons answer something XML-RPC can send.
"""

import uuid
import xmlrpc.client

import pytest

# The context keys of the module's internal flows, as a client would set them.
INTERNAL_KEYS = {
    "lead_energy_state_flow": True,
    "lead_energy_from_lead": True,
    "lead_energy_from_event": True,
    "lead_energy_inbox_only": True,
    "lead_energy_maintained_fields": True,
    "lead_energy_client_import": True,
}
MAINTAINED_VALUES = {
    "lead_number": "L1999-99999",
    "date_contacted": "2026-01-05 10:00:00",
    "date_qualified": "2026-01-05 10:00:00",
    "appointment_event_id": False,
    "appointment_created": True,
    "followup_notified_date": "2026-01-05",
    "info_material_sent_date": "2026-01-05 10:00:00",
}


@pytest.fixture(scope="module")
def seller(login):
    """The demo data's sales person with access to their own documents only."""
    return login("demo", "demo")


@pytest.fixture
def lead(seller):
    lead_id = seller(
        "crm.lead",
        "create",
        {
            "name": f"RPC lifecycle {uuid.uuid4().hex[:8]}",
            "type": "lead",
            "user_id": seller.uid,
            "contact_name": "Eva Bauer",
            "partner_name": f"Agrar{uuid.uuid4().hex[:8]} GmbH",
        },
    )
    return lead_id


def _read(call, lead_id, *fields):
    [values] = call(
        "crm.lead",
        "read",
        [lead_id],
        fields=list(fields),
        context={"active_test": False},
    )
    return values


def _lost_reason(admin):
    return admin("crm.lost.reason", "create", {"name": f"Lost {uuid.uuid4().hex}"})


# ----------------------------------------------------------------------------
# Internal flows are not reachable with a client's context
# ----------------------------------------------------------------------------


def test_state_flow_key_does_not_convert(seller, lead):
    with pytest.raises(xmlrpc.client.Fault, match="cannot go from Open to Converted"):
        seller(
            "crm.lead",
            "write",
            [lead],
            {"lead_state": "converted"},
            context=INTERNAL_KEYS,
        )
    assert _read(seller, lead, "lead_state")["lead_state"] == "open"


def test_state_flow_key_does_not_close_without_reason(seller, lead):
    with pytest.raises(xmlrpc.client.Fault, match="closed with Lost and a reason"):
        seller("crm.lead", "write", [lead], {"active": False}, context=INTERNAL_KEYS)
    values = _read(seller, lead, "active", "lead_state")
    assert (values["active"], values["lead_state"]) == (True, "open")


def test_state_flow_key_does_not_create_a_converted_lead(seller):
    for context in (INTERNAL_KEYS, {**INTERNAL_KEYS, "default_lead_state": "closed"}):
        values = {"name": f"RPC converted {uuid.uuid4().hex[:8]}", "type": "lead"}
        if "default_lead_state" not in context:
            values["lead_state"] = "converted"
        with pytest.raises(xmlrpc.client.Fault, match="A new lead starts as Open"):
            seller("crm.lead", "create", values, context=context)


def _lead_with_appointment(seller):
    lead_id = seller(
        "crm.lead",
        "create",
        {
            "name": f"RPC appointment {uuid.uuid4().hex[:8]}",
            "type": "lead",
            "user_id": seller.uid,
            "meeting_user_id": seller.uid,
            "appointment_start": "2030-03-04 09:00:00",
            "appointment_stop": "2030-03-04 10:00:00",
        },
    )
    event_id = _read(seller, lead_id, "appointment_event_id")["appointment_event_id"][0]
    return lead_id, event_id


def test_from_event_key_does_not_stop_the_lead_moving_its_appointment(seller):
    lead_id, event_id = _lead_with_appointment(seller)
    seller(
        "crm.lead",
        "write",
        [lead_id],
        {
            "appointment_start": "2030-03-05 14:00:00",
            "appointment_stop": "2030-03-05 15:00:00",
        },
        context=INTERNAL_KEYS,
    )
    [event] = seller("calendar.event", "read", [event_id], fields=["start", "stop"])
    assert (event["start"], event["stop"]) == (
        "2030-03-05 14:00:00",
        "2030-03-05 15:00:00",
    )


def test_from_lead_key_does_not_stop_the_event_moving_the_lead(seller):
    lead_id, event_id = _lead_with_appointment(seller)
    seller(
        "calendar.event",
        "write",
        [event_id],
        {"start": "2030-03-06 08:00:00", "stop": "2030-03-06 09:30:00"},
        context=INTERNAL_KEYS,
    )
    values = _read(seller, lead_id, "appointment_start", "appointment_stop")
    assert (values["appointment_start"], values["appointment_stop"]) == (
        "2030-03-06 08:00:00",
        "2030-03-06 09:30:00",
    )


def test_inbox_only_key_does_not_keep_mails_from_users(admin, seller, lead):
    login = f"rpc_mail_{uuid.uuid4().hex[:8]}"
    user_id = admin(
        "res.users",
        "create",
        {
            "name": "Mail Reader",
            "login": login,
            "email": f"{login}@example.com",
            "notification_type": "email",
        },
    )
    [user] = admin("res.users", "read", [user_id], fields=["partner_id"])
    partner_id = user["partner_id"][0]
    message_id = seller(
        "crm.lead",
        "message_post",
        [lead],
        body="Please call the customer back.",
        partner_ids=[partner_id],
        message_type="comment",
        subtype_xmlid="mail.mt_comment",
        context=INTERNAL_KEYS,
    )
    notifications = admin(
        "mail.notification",
        "search_read",
        [("mail_message_id", "=", message_id), ("res_partner_id", "=", partner_id)],
        fields=["notification_type"],
    )
    assert [n["notification_type"] for n in notifications] == ["email"]


# ----------------------------------------------------------------------------
# Fields the module maintains
# ----------------------------------------------------------------------------


@pytest.mark.parametrize("field", sorted(MAINTAINED_VALUES))
def test_maintained_field_is_not_written_by_a_client(seller, lead, field):
    before = _read(seller, lead, field)[field]
    for context in ({}, INTERNAL_KEYS):
        with pytest.raises(xmlrpc.client.Fault, match="cannot be set directly"):
            seller(
                "crm.lead",
                "write",
                [lead],
                {field: MAINTAINED_VALUES[field]},
                context=context,
            )
    assert _read(seller, lead, field)[field] == before


@pytest.mark.parametrize("field", sorted(MAINTAINED_VALUES))
def test_maintained_field_is_not_set_on_create(seller, field):
    name = f"RPC maintained {uuid.uuid4().hex[:8]}"
    with pytest.raises(xmlrpc.client.Fault, match="cannot be set directly"):
        seller(
            "crm.lead",
            "create",
            {"name": name, "type": "lead", field: MAINTAINED_VALUES[field]},
            context=INTERNAL_KEYS,
        )
    with pytest.raises(xmlrpc.client.Fault, match="cannot be set directly"):
        seller(
            "crm.lead",
            "create",
            {"name": name, "type": "lead"},
            context={f"default_{field}": MAINTAINED_VALUES[field]},
        )
    assert not seller("crm.lead", "search", [("name", "=", name)])


def test_import_of_a_maintained_field_is_refused(seller):
    name = f"RPC import {uuid.uuid4().hex[:8]}"
    result = seller(
        "crm.lead",
        "load",
        ["name", "type", "followup_notified_date"],
        [[name, "lead", "2026-01-05"]],
    )
    assert not result["ids"]
    assert "cannot be set directly" in result["messages"][0]["message"]


def test_import_and_copy_still_work(seller):
    name = f"RPC import {uuid.uuid4().hex[:8]}"
    result = seller("crm.lead", "load", ["name", "type"], [[name, "lead"]])
    assert result["ids"], result["messages"]
    [lead_id] = result["ids"]
    seller("crm.lead", "action_mark_contacted", [lead_id])
    copied_ids = seller("crm.lead", "copy", [lead_id])
    copy_id = copied_ids[0] if isinstance(copied_ids, list) else copied_ids
    copied = _read(seller, copy_id, "lead_number", "lead_state", "date_contacted")
    original = _read(seller, lead_id, "lead_number")
    assert copied["lead_number"] and copied["lead_number"] != original["lead_number"]
    assert (copied["lead_state"], copied["date_contacted"]) == ("open", False)


# ----------------------------------------------------------------------------
# The normal flows, over RPC
# ----------------------------------------------------------------------------


def test_buttons_move_the_state_and_answer(seller, lead):
    assert seller("crm.lead", "action_mark_contacted", [lead]) is True
    values = _read(seller, lead, "lead_state", "date_contacted")
    assert values["lead_state"] == "contacted" and values["date_contacted"]
    assert seller("crm.lead", "action_mark_qualified", [lead]) is True
    values = _read(seller, lead, "lead_state", "date_qualified")
    assert values["lead_state"] == "qualified" and values["date_qualified"]


def test_lost_wizard_and_restore(admin, seller, lead):
    reason_id = _lost_reason(admin)
    wizard_id = seller(
        "crm.lead.lost",
        "create",
        {"lead_ids": [[6, 0, [lead]]], "lost_reason_id": reason_id},
    )
    assert seller("crm.lead.lost", "action_lost_reason_apply", [wizard_id])
    values = _read(seller, lead, "active", "lead_state", "lost_reason_id")
    assert (values["active"], values["lead_state"]) == (False, "closed")
    assert values["lost_reason_id"][0] == reason_id
    assert seller("crm.lead", "action_unarchive", [lead])
    values = _read(seller, lead, "active", "lead_state")
    assert (values["active"], values["lead_state"]) == (True, "open")


def test_conversion_with_contact(seller, lead):
    context = {"default_lead_id": lead}
    wizard_id = seller(
        "crm.lead.convert.contact",
        "create",
        {"company_mode": "new"},
        context=context,
    )
    assert seller("crm.lead.convert.contact", "action_company_next", [wizard_id])
    assert seller("crm.lead.convert.contact", "action_contact_confirm", [wizard_id])
    values = _read(seller, lead, "lead_state", "partner_id")
    assert values["lead_state"] == "converted" and values["partner_id"]
    action = seller("crm.lead", "action_create_inquiry", [lead])
    assert action["res_id"] == lead
    assert _read(seller, lead, "type")["type"] == "opportunity"


# ----------------------------------------------------------------------------
# Ratings stay within their criterion
# ----------------------------------------------------------------------------


def _option(call, code):
    return call(
        "crm.lead.scoring.option", "search", [("criterion_code", "=", code)], limit=1
    )[0]


def test_rating_with_an_option_of_another_criterion_is_refused(seller, lead):
    influence = _option(seller, "influence")
    name = f"RPC rating {uuid.uuid4().hex[:8]}"
    with pytest.raises(xmlrpc.client.Fault, match="cannot rate Size"):
        seller(
            "crm.lead",
            "create",
            {"name": name, "type": "lead", "size_option_id": influence},
        )
    assert not seller("crm.lead", "search", [("name", "=", name)])
    with pytest.raises(xmlrpc.client.Fault, match="cannot rate Size"):
        seller("crm.lead", "write", [lead], {"size_option_id": influence})
    seller(
        "crm.lead",
        "write",
        [lead],
        {"size_option_id": _option(seller, "size"), "influence_option_id": influence},
    )
    values = _read(seller, lead, "size_option_id", "influence_option_id")
    assert values["influence_option_id"][0] == influence
