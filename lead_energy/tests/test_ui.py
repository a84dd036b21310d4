"""The browser tours of lead_energy, on a desktop and on a phone.

Each tour logs in as one of the users of ``LeadEnergyHttpCase`` and is
followed by the checks of what it saved.
"""

import ast
import base64
import sys
import unittest
from datetime import timedelta

from odoo import fields
from odoo.tests import BaseCase, tagged

from .card_factory import make_cards
from .common import LeadEnergyHttpCase

LEADS_URL = "/odoo/action-lead_energy.crm_lead_action_energy_leads"
BOARD_URL = "/odoo/action-lead_energy.crm_lead_action_energy_board"
FORM_TOUR_LEAD = "PV and storage for the Rheinau depot"


class LeadEnergyUiCase(LeadEnergyHttpCase):
    """The records a tour works on, and the checks after the tours that run on
    a desktop and on a phone."""

    def create_board_leads(self):
        """An overdue and a qualified lead of the board's seller, one of his
        overdue leads of last year, and a lead of nobody nobody follows up."""
        Lead = (
            self.env["crm.lead"]
            .with_user(self.board_seller)
            .with_context(default_type="lead")
        )
        Lead.create(
            {
                "name": "Tour: overdue carport PV",
                "followup_user_id": self.board_seller.id,
                "followup_deadline": fields.Date.today() - timedelta(days=2),
            }
        )
        Lead.create(
            {
                "name": "Tour: qualified wind farm",
                "followup_user_id": self.board_seller.id,
                "lead_type_id": self.env.ref(
                    "lead_energy.crm_energy_lead_type_business"
                ).id,
            }
        ).action_mark_qualified()
        Lead.create({"name": "Tour: unassigned heat pump", "user_id": False})
        # Overdue too, but created last year: the period filter leaves it out.
        old = Lead.create(
            {
                "name": "Tour: last year's overdue storage",
                "followup_user_id": self.board_seller.id,
                "followup_deadline": fields.Date.today() - timedelta(days=2),
            }
        )
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE crm_lead SET create_date = now() - interval '400 days'"
            " WHERE id = %s",
            [old.id],
        )

    def convert_a_trade_fair_lead(self, tour):
        """Run the conversion ``tour`` on a lead of the converter: the lead
        ends with a contact under a new company and a draft quotation."""
        lead = self.env["crm.lead"].create(
            {
                "type": "lead",
                "name": "Agri-PV at the Elbe",
                "partner_name": "Solarpark Elbaue eG",
                "contact_name": "Henrik Brandt",
                "email_from": "brandt@solarpark-elbaue.example",
                "city": "Dessau",
                "user_id": self.converter.id,
            }
        )
        self.start_tour(f"{LEADS_URL}/{lead.id}", tour, login=self.converter.login)
        contact = lead.partner_id
        self.assertEqual(contact.name, "Henrik Brandt")
        self.assertEqual(contact.parent_id.name, "Solarpark Elbaue eG")
        self.assertEqual(contact.parent_id.city, "Dessau")
        self.assertEqual(lead.lead_state, "converted")
        self.assertEqual(lead.type, "opportunity")  # the inquiry
        self.assertEqual(len(lead.order_ids), 1)
        self.assertEqual(lead.order_ids.state, "draft")
        self.assertEqual(lead.order_ids.partner_id, contact.parent_id)

    def create_lead_form_records(self):
        """The contacts and the source the lead form tour picks."""
        company = self.env["res.partner"].create(
            {"name": "Stadtwerke Rheinau GmbH", "is_company": True}
        )
        self.sabine = self.env["res.partner"].create(
            {"name": "Sabine Krüger", "parent_id": company.id}
        )
        self.klaus = self.env["res.partner"].create(
            {
                "name": "Klaus Kontakt",
                "parent_id": company.id,
                "email": "klaus@stadtwerke-rheinau.example",
            }
        )
        self.source = self.env["utm.source"].create({"name": "Tour Fair Munich"})
        # Something for the kanban to show on the phone.
        self.env["crm.lead"].create(
            {"name": "Wallbox for a car dealer", "type": "lead"}
        )

    def assert_lead_filled_in(self):
        lead = self.env["crm.lead"].search([("name", "=", FORM_TOUR_LEAD)])
        self.assertEqual(len(lead), 1)
        self.assertRegex(lead.lead_number, r"^L\d{4}-\d{5}$")
        self.assertEqual(lead.type, "lead")
        self.assertEqual(lead.lead_state, "open")
        self.assertEqual(
            (lead.partner_name, lead.contact_name, lead.partner_id),
            ("Stadtwerke Rheinau GmbH", "Sabine Krüger", self.sabine),
        )
        self.assertEqual(
            lead.lead_type_id,
            self.env.ref("lead_energy.crm_energy_lead_type_public_sector"),
        )
        self.assertEqual(lead.meeting_user_id, self.tina)
        self.assertEqual(lead.followup_user_id, self.tina)
        self.assertTrue(lead.appointment_start < lead.appointment_stop)
        self.assertEqual(str(lead.followup_deadline), "2027-03-15")
        self.assertEqual(
            (lead.street, lead.zip, lead.city, lead.country_id.code),
            ("Hafenstraße 12", "77866", "Rheinau", "DE"),
        )
        self.assertEqual(lead.phone, "+49 7221 555210")
        self.assertEqual(lead.email_from, "s.krueger@stadtwerke-rheinau.example")
        self.assertEqual(lead.website, "http://www.stadtwerke-rheinau.example")
        self.assertEqual(lead.function, "Head of Energy Procurement")
        self.assertTrue(lead.business_card)
        self.assertEqual(lead.source_id, self.source)
        self.assertEqual(
            lead.interest_ids,
            self.env.ref("lead_energy.crm_energy_interest_photovoltaics")
            | self.env.ref("lead_energy.crm_energy_interest_battery_storage"),
        )
        self.assertTrue(
            lead.send_info_material and lead.request_opt_in and lead.arrange_appointment
        )
        self.assertEqual(str(lead.next_appointment_date), "2027-04-01")
        self.assertIn("450 kWp", lead.description)
        self.assertEqual(lead.further_contact_ids, self.klaus)

    def create_opt_in_lead(self):
        contact = self.env["res.partner"].create(
            {"name": "Henrik Brandt", "email": "brandt@solarpark-elbaue.example"}
        )
        return self.env["crm.lead"].create(
            {
                "type": "lead",
                "name": "Agri-PV at the Elbe",
                "partner_id": contact.id,
                "phone": "+49 391 555 0101",
                "user_id": self.mail_seller.id,
                "request_opt_in": True,
            }
        )

    def request_opt_in(self, tour):
        lead = self.create_opt_in_lead()
        self.start_tour(f"{LEADS_URL}/{lead.id}", tour, login=self.mail_seller.login)
        consent = lead.sudo().consent_ids
        self.assertEqual(
            (consent.channel, consent.address, consent.state),
            ("email", "brandt@solarpark-elbaue.example", "requested"),
        )
        message = lead.message_ids.filtered(lambda m: m.message_type == "comment")
        self.assertEqual(consent.mail_message_id, message.message_id)
        self.assertEqual(message.partner_ids, lead.partner_id)
        self.assertFalse(lead.request_opt_in)


@tagged("post_install", "-at_install")
class TestUi(LeadEnergyUiCase):
    def test_leads_list_opens_and_creates_a_lead(self):
        self.env["crm.lead"].create(
            {
                "type": "lead",
                "name": "PV-Anlage Betriebshof Stadtwerke Rheinau",
                "partner_name": "Stadtwerke Rheinau GmbH",
            }
        )
        self.start_tour(
            LEADS_URL, "lead_energy_leads_list", login=self.list_seller.login
        )
        lead = self.env["crm.lead"].search(
            [("name", "=", "Tour lead: carport PV for a car dealer")]
        )
        self.assertEqual(len(lead), 1)
        self.assertEqual(lead.type, "lead")
        self.assertEqual(lead.create_uid, self.list_seller)

    def test_create_lead_with_every_section(self):
        self.create_lead_form_records()
        self.start_tour(LEADS_URL, "lead_energy_lead_form", login=self.tina.login)
        self.assert_lead_filled_in()

    def test_rate_a_lead_in_the_form(self):
        lead = self.env["crm.lead"].create(
            {
                "name": "Heat pump for a school",
                "type": "lead",
                "user_id": self.rating_seller.id,
            }
        )
        self.start_tour(
            f"{LEADS_URL}/{lead.id}",
            "lead_energy_lead_scoring",
            login=self.rating_seller.login,
        )
        self.assertEqual(
            lead.influence_option_id,
            self.env.ref(
                "lead_energy.crm_lead_scoring_option_influence_decision_maker"
            ),
        )
        self.assertEqual(lead.lead_score, 50)

    def test_plan_open_and_add_employees(self):
        self.start_tour(
            f"{LEADS_URL}/new", "lead_energy_appointment", login=self.planner.login
        )
        lead = self.env["crm.lead"].search(
            [("name", "=", "Battery storage for the bakery")]
        )
        event = lead.appointment_event_id
        self.assertEqual(event.user_id, self.paula)
        self.assertEqual(event.opportunity_id, lead)
        self.assertEqual(event.partner_ids, self.paula.partner_id | self.ole.partner_id)
        notified = self.env["mail.notification"].search(
            [
                ("mail_message_id.model", "=", "calendar.event"),
                ("mail_message_id.res_id", "=", event.id),
                ("notification_type", "=", "inbox"),
            ]
        )
        self.assertEqual(
            notified.res_partner_id, self.paula.partner_id | self.ole.partner_id
        )

    def test_send_information_material(self):
        contact = self.env["res.partner"].create(
            {"name": "Henrik Brandt", "email": "brandt@solarpark-elbaue.example"}
        )
        lead = self.env["crm.lead"].create(
            {
                "type": "lead",
                "name": "Agri-PV at the Elbe",
                "partner_id": contact.id,
                "user_id": self.mail_seller.id,
                "send_info_material": True,
            }
        )
        self.start_tour(
            f"{LEADS_URL}/{lead.id}",
            "lead_energy_info_material",
            login=self.mail_seller.login,
        )
        message = lead.message_ids.filtered(lambda m: m.message_type == "comment")
        self.assertEqual(len(message), 1)
        self.assertEqual(message.partner_ids, contact)
        self.assertEqual(lead.lead_state, "contacted")
        self.assertFalse(lead.send_info_material)

    def test_convert_a_trade_fair_lead_into_a_quotation(self):
        self.convert_a_trade_fair_lead("lead_energy_conversion")

    def test_request_opt_in(self):
        self.request_opt_in("lead_energy_opt_in")

    def test_read_the_business_card_on_the_lead_form(self):
        card = make_cards(2)[1]
        lead = self.env["crm.lead"].create(
            {
                "type": "lead",
                "name": "Tour: lead with a card to read",
                "user_id": self.mail_seller.id,
                "business_card": base64.b64encode(card.image),
            }
        )
        self.start_tour(
            f"{LEADS_URL}/{lead.id}",
            "lead_energy_read_card",
            login=self.mail_seller.login,
        )
        truth = card.truth
        self.assertEqual(
            (lead.partner_name, lead.contact_name, lead.email_from),
            (truth["company"], truth["name"], truth["email"]),
        )
        self.assertEqual(
            (lead.street, lead.zip, lead.city),
            (truth["street"], truth["zip"], truth["city"]),
        )
        self.assertEqual(lead.country_id.code, truth["country_code"])

    def test_site_and_consumption_give_the_estimate(self):
        lead = self.env["crm.lead"].create(
            {
                "type": "lead",
                "name": "Tour: family house in Freiburg",
                "user_id": self.rating_seller.id,
                "influence_option_id": self.env.ref(
                    "lead_energy.crm_lead_scoring_option_influence_decision_maker"
                ).id,
            }
        )
        self.start_tour(
            f"{LEADS_URL}/{lead.id}",
            "lead_energy_site_estimate",
            login=self.rating_seller.login,
        )
        self.assertEqual(lead.estimated_investment, 21200)
        self.assertEqual(
            lead.volume_option_id,
            self.env.ref("lead_energy.crm_lead_scoring_option_volume_10k_50k"),
        )
        self.assertFalse(lead.volume_chosen_by_hand)
        self.assertEqual(lead.lead_score, 33)

    def test_anonymous_visitor_confirms_the_opt_in(self):
        lead = self.create_opt_in_lead()
        consent = self.env["crm.lead.consent"]._request_for_lead(lead, ("email",))
        url = consent._answer_url().removeprefix(consent.get_base_url())
        self.start_tour(url, "lead_energy_opt_in_confirm", login=None)
        self.assertEqual(consent.state, "confirmed")
        self.assertEqual(lead.opt_in_state, "confirmed")
        self.assertIn("confirmed", lead.message_ids[0].body)

    def test_board_tiles_and_charts_open_their_leads(self):
        self.create_board_leads()
        self.start_tour("/odoo", "lead_energy_board", login=self.board_seller.login)
        # The favourite the tour saved keeps the board's filters, for the board.
        favourite = self.env["ir.filters"].search(
            [("name", "=", "Lead Board"), ("user_id", "=", self.board_seller.id)]
        )
        self.assertEqual(
            favourite.action_id.id,
            self.env.ref("lead_energy.crm_lead_action_energy_board").id,
        )
        self.assertEqual(favourite.model_id, "crm.lead")
        self.assertEqual(
            ast.literal_eval(favourite.context)["board_filters"],
            {"period": "this_month", "user_id": self.board_seller.id},
        )


@tagged("post_install", "-at_install")
class TestUiPhone(LeadEnergyUiCase):
    """The same web client on a phone: read when the browser starts."""

    browser_size = "375x667"
    touch_enabled = True

    def test_create_lead_with_every_section_on_a_phone(self):
        self.create_lead_form_records()
        self.start_tour(LEADS_URL, "lead_energy_lead_form_phone", login=self.tina.login)
        self.assert_lead_filled_in()

    def test_convert_a_trade_fair_lead_into_a_quotation_on_a_phone(self):
        self.convert_a_trade_fair_lead("lead_energy_conversion_phone")

    def test_request_opt_in_on_a_phone(self):
        self.request_opt_in("lead_energy_opt_in_phone")

    def test_capture_a_lead_with_its_business_card_on_a_phone(self):
        (card,) = make_cards(1)
        self.env["ir.attachment"].create(
            {
                "name": "lead_energy_tour_card.jpg",
                "datas": base64.b64encode(card.image),
                "public": True,
            }
        )
        self.start_tour(
            "/odoo/capture-lead", "lead_energy_capture_phone", login=self.tina.login
        )
        lead = self.env["crm.lead"].search(
            [("name", "=", "Tour: fair lead with a card")]
        )
        self.assertEqual(len(lead), 1)
        truth = card.truth
        self.assertEqual(
            (lead.partner_name, lead.email_from, lead.zip, lead.city),
            (truth["company"], truth["email"], truth["zip"], truth["city"]),
        )
        self.assertEqual(lead.contact_name, "Typed Person")  # typed, kept
        self.assertTrue(lead.lead_number)
        self.assertEqual(
            lead.influence_option_id,
            self.env.ref(
                "lead_energy.crm_lead_scoring_option_influence_decision_maker"
            ),
        )
        self.assertGreater(lead.lead_score, 0)
        self.assertEqual(
            lead.source_id, self.env.ref("lead_energy.utm_source_trade_fair")
        )
        self.assertEqual(
            lead.interest_ids,
            self.env.ref("lead_energy.crm_energy_interest_photovoltaics"),
        )
        self.assertTrue(lead.business_card)

    def test_board_tiles_and_charts_open_their_leads_on_a_phone(self):
        self.create_board_leads()
        self.start_tour(
            f"{BOARD_URL}?period=last_12_months",
            "lead_energy_board_phone",
            login=self.board_seller.login,
        )


@tagged("post_install", "-at_install")
class TestUiCollection(BaseCase):
    """Each tour test is collected once: a test class of this module that
    inherited another one's tests would run its tours twice."""

    def test_each_tour_test_is_collected_once(self):
        module = sys.modules[__name__]
        loader = unittest.TestLoader()
        cases = [
            value
            for value in vars(module).values()
            if isinstance(value, type) and issubclass(value, unittest.TestCase)
        ]
        collected = [
            getattr(case, name)
            for case in cases
            for name in loader.getTestCaseNames(case)
        ]
        self.assertEqual(len(collected), len(set(collected)))
        self.assertFalse(loader.getTestCaseNames(LeadEnergyUiCase))
        self.assertEqual(
            {case.__name__ for case in cases if loader.getTestCaseNames(case)},
            {"TestUi", "TestUiPhone", "TestUiCollection"},
        )
