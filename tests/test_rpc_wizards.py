"""The module's wizards over XML-RPC: each user's own, checked on every button.

Two sales people with own documents only work on leads nobody is assigned to,
which both may edit: each may start wizards on them, but never read, change or
run the other one's wizard.
"""

import base64
import contextlib
import uuid
import xmlrpc.client

import pytest


@contextlib.contextmanager
def refused():
    """An AccessError, as XML-RPC reports it (fault code 4)."""
    with pytest.raises(xmlrpc.client.Fault) as info:
        yield
    assert info.value.faultCode == 4, info.value.faultString


def new_salesman(admin, login, name):
    """A user of "Sales / User: Own Documents Only", created over RPC."""
    [group] = admin(
        "ir.model.data",
        "search_read",
        [("module", "=", "sales_team"), ("name", "=", "group_sale_salesman")],
        fields=["res_id"],
    )
    user = f"le_wizard_{name}_{uuid.uuid4().hex[:8]}"
    admin(
        "res.users",
        "create",
        {
            "name": f"Wizard Seller {name.upper()}",
            "login": user,
            "password": user,
            "email": f"{user}@example.com",
            "groups_id": [[6, 0, [group["res_id"]]]],
        },
    )
    return login(user, user)


@pytest.fixture(scope="module")
def seller_a(admin, login):
    return new_salesman(admin, login, "a")


@pytest.fixture(scope="module")
def seller_b(admin, login):
    return new_salesman(admin, login, "b")


def unassigned_lead(seller, **values):
    """A lead nobody is assigned to: every salesman may edit it."""
    return seller(
        "crm.lead",
        "create",
        {
            "name": f"Wizard lead {uuid.uuid4().hex[:8]}",
            "type": "lead",
            "user_id": False,
            **values,
        },
    )


def contact(seller):
    tag = uuid.uuid4().hex[:8]
    return seller(
        "res.partner", "create", {"name": f"Eva {tag}", "email": f"eva{tag}@ex.com"}
    )


def mail_wizard(seller, other):
    lead = unassigned_lead(seller, partner_id=contact(seller))
    [template] = seller(
        "mail.template",
        "search",
        [("model", "=", "crm.lead"), ("lead_energy_purpose", "=", "info_material")],
        limit=1,
    )
    values = {"lead_id": lead, "purpose": "info_material", "template_id": template}
    return values, {"create_contact": True}, "action_open_composer"


def further_contacts_wizard(seller, other):
    lead = unassigned_lead(seller, partner_id=contact(seller))
    values = {"lead_id": lead, "partner_ids": [[6, 0, [contact(seller)]]]}
    return values, {"partner_ids": [[5, 0, 0]]}, "action_add"


def convert_contact_wizard(seller, other):
    name = f"Solar {uuid.uuid4().hex[:8]}"
    lead = unassigned_lead(seller, partner_name=name)
    values = {"lead_id": lead, "company_name": name}
    return values, {"company_name": "Someone Else's"}, "action_company_next"


def appointment_employees_wizard(seller, other):
    lead = unassigned_lead(
        seller,
        meeting_user_id=seller.uid,
        appointment_start="2027-05-03 09:00:00",
        appointment_stop="2027-05-03 10:00:00",
    )
    values = {"lead_id": lead, "user_ids": [[6, 0, [other.uid]]]}
    return values, {"user_ids": [[5, 0, 0]]}, "action_add_employees"


WIZARDS = {
    "crm.lead.mail": mail_wizard,
    "crm.lead.further.contacts": further_contacts_wizard,
    "crm.lead.convert.contact": convert_contact_wizard,
    "crm.lead.appointment.employees": appointment_employees_wizard,
}


@pytest.mark.parametrize("model", list(WIZARDS))
def test_wizard_belongs_to_its_creator(model, seller_a, seller_b):
    values, change, button = WIZARDS[model](seller_a, seller_b)
    wizard = seller_a(model, "create", values)
    # The other salesman may edit the lead, and start their own wizard on it ...
    assert seller_b("crm.lead", "read", [values["lead_id"]], fields=["name"])
    own = seller_b(model, "create", values)
    # ... but finds, reads, changes and runs nothing of salesman A's wizard.
    assert seller_b(model, "search", [("lead_id", "=", values["lead_id"])]) == [own]
    assert seller_b(model, "search_read", [("id", "=", wizard)], fields=["id"]) == []
    with refused():
        seller_b(model, "read", [wizard], fields=["lead_id"])
    with refused():
        seller_b(model, "write", [wizard], change)
    with refused():
        seller_b(model, button, [wizard])
    # Salesman A still works with it.
    [read] = seller_a(model, "read", [wizard], fields=["lead_id"])
    assert read["lead_id"][0] == values["lead_id"]
    assert seller_a(model, button, [wizard])


def test_suggested_companies_belong_to_the_wizard_creator(seller_a, seller_b):
    name = f"Windpark {uuid.uuid4().hex[:8]} GmbH"
    company = seller_a("res.partner", "create", {"name": name, "is_company": True})
    lead = unassigned_lead(seller_a, partner_name=name)
    # As the lead's button opens it: the suggestions come with the lead default.
    wizard = seller_a(
        "crm.lead.convert.contact", "create", {}, context={"default_lead_id": lead}
    )
    suggestions = seller_a(
        "crm.lead.convert.suggestion",
        "search_read",
        [("wizard_id", "=", wizard)],
        fields=["partner_id"],
    )
    assert [s["partner_id"][0] for s in suggestions] == [company]
    [suggestion] = [s["id"] for s in suggestions]
    assert (
        seller_b("crm.lead.convert.suggestion", "search", [("id", "=", suggestion)])
        == []
    )
    with refused():
        seller_b("crm.lead.convert.suggestion", "action_choose", [suggestion])
    assert seller_a("crm.lead.convert.suggestion", "action_choose", [suggestion])
    [read] = seller_a("crm.lead.convert.contact", "read", [wizard], fields=["step"])
    assert read["step"] == "contact"


def refused_choice(message):
    """A UserError or ValidationError, as XML-RPC reports it (fault code 2)."""
    return pytest.raises(xmlrpc.client.Fault, match=message)


def document(seller, model, res_id):
    return seller(
        "ir.attachment",
        "create",
        {
            "name": f"offer-{uuid.uuid4().hex[:8]}.pdf",
            "datas": base64.b64encode(b"%PDF offer").decode(),
            "res_model": model,
            "res_id": res_id,
        },
    )


def test_mail_wizard_takes_only_lead_templates_of_its_purpose(admin, seller_a):
    lead = unassigned_lead(seller_a, partner_id=contact(seller_a))

    def template(domain):
        return seller_a("mail.template", "search", domain, limit=1)[0]

    [partner_model] = admin("ir.model", "search", [("model", "=", "res.partner")])
    partner_template = admin(
        "mail.template",
        "create",
        {"name": f"Partner news {uuid.uuid4().hex[:8]}", "model_id": partner_model},
    )
    confirmation = template(
        [
            ("model", "=", "crm.lead"),
            ("lead_energy_purpose", "=", "appointment_confirmation"),
        ]
    )
    material = template(
        [("model", "=", "crm.lead"), ("lead_energy_purpose", "=", "info_material")]
    )
    values = {"lead_id": lead, "purpose": "info_material"}
    for wrong in (partner_template, confirmation):
        with refused_choice("This template cannot be used here"):
            seller_a("crm.lead.mail", "create", {**values, "template_id": wrong})
    wizard = seller_a("crm.lead.mail", "create", {**values, "template_id": material})
    with refused_choice("This template cannot be used here"):
        seller_a("crm.lead.mail", "write", [wizard], {"template_id": partner_template})
    assert seller_a("crm.lead.mail", "action_open_composer", [wizard])


def test_mail_wizard_takes_only_documents_of_its_lead(admin, seller_a):
    partner = contact(seller_a)
    lead = unassigned_lead(seller_a, partner_id=partner)
    [template] = seller_a(
        "mail.template",
        "search",
        [("model", "=", "crm.lead"), ("lead_energy_purpose", "=", "info_material")],
        limit=1,
    )
    own = document(seller_a, "crm.lead", lead)
    of_a_partner = document(seller_a, "res.partner", partner)
    admins_lead = admin(
        "crm.lead",
        "create",
        {"name": f"Admin's lead {uuid.uuid4().hex[:8]}", "user_id": admin.uid},
    )
    of_admins_lead = document(admin, "crm.lead", admins_lead)
    values = {"lead_id": lead, "purpose": "info_material", "template_id": template}
    for foreign in (of_a_partner, of_admins_lead):
        with refused_choice("Only documents attached to lead"):
            seller_a(
                "crm.lead.mail",
                "create",
                {**values, "attachment_ids": [[6, 0, [own, foreign]]]},
            )
    wizard = seller_a(
        "crm.lead.mail", "create", {**values, "attachment_ids": [[6, 0, [own]]]}
    )
    with refused_choice("Only documents attached to lead"):
        seller_a(
            "crm.lead.mail",
            "write",
            [wizard],
            {"attachment_ids": [[4, of_admins_lead, 0]]},
        )
    action = seller_a("crm.lead.mail", "action_open_composer", [wizard])
    [composer] = seller_a(
        "mail.compose.message", "read", [action["res_id"]], fields=["attachment_ids"]
    )
    assert own in composer["attachment_ids"]
