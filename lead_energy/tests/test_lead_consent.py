import base64
import json
import time
from datetime import timedelta
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..tools import consent_token
from .common import LeadEnergyHttpCase


@tagged("post_install", "-at_install")
class TestLeadConsentLinks(LeadEnergyHttpCase):
    """The opt-in links opened over HTTP, as the recipient's browser does."""

    def setUp(self):
        super().setUp()
        self.lead = self.env["crm.lead"].create(
            {
                "name": "PV for the Bakery Korn",
                "type": "lead",
                "partner_name": "Bäckerei Korn",
                "email_from": "Anna Korn <Anna@Baeckerei-Korn.example>",
                "phone": "+49 30 1234567",
            }
        )
        self.consents = self.env["crm.lead.consent"]._request_for_lead(
            self.lead, ("email", "phone")
        )

    def open_link(self, url, answer=None):
        """GET the page; with an answer, POST it as the page's form does."""
        path = url.removeprefix(self.consents[:1].get_base_url())
        page = self.url_open(path)
        if answer is None:
            return page
        token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        return self.url_open(path, data={"csrf_token": token, "answer": answer})

    def test_request_records_what_is_asked(self):
        email, phone = self.consents.sorted("channel")
        self.assertEqual(
            (email.channel, email.address), ("email", "anna@baeckerei-korn.example")
        )
        self.assertEqual(phone.channel, "phone")
        self.assertEqual(set(self.consents.mapped("state")), {"requested"})
        self.assertIn(self.env.company.name, email.consent_text)
        self.assertEqual(len(email.text_version), 64)
        self.assertEqual(
            email.expiry_date.date(), (email.request_date + timedelta(days=14)).date()
        )

    def test_confirm(self):
        page = self.open_link(self.consents._answer_url())
        self.assertEqual(page.status_code, 200)
        self.assertIn("Bäckerei Korn", self.lead.partner_name)
        self.assertIn(self.env.company.name, page.text)
        self.assertIn("anna@baeckerei-korn.example", page.text)
        answered = self.open_link(self.consents._answer_url(), "confirm")
        self.assertIn("o_consent_confirmed", answered.text)
        self.assertEqual(set(self.consents.mapped("state")), {"confirmed"})
        self.assertTrue(all(self.consents.mapped("answer_date")))
        self.assertFalse(any(self.consents.mapped("ip_address")))
        self.assertFalse(
            self.env["mail.blacklist"].search(
                [("email", "=", "anna@baeckerei-korn.example")]
            )
        )
        self.assertIn("confirmed", self.lead.message_ids[0].body)

    def test_the_page_speaks_the_recipients_language(self):
        self.env["res.lang"]._activate_lang("de_DE")
        self.env["ir.module.module"]._load_module_terms(
            ["lead_energy"], ["de_DE"], overwrite=True
        )
        contact = self.env["res.partner"].create(
            {"name": "Jens Bauer", "email": "jens@bauer.example", "lang": "de_DE"}
        )
        lead = self.env["crm.lead"].create(
            {"name": "Speicher", "type": "lead", "partner_id": contact.id}
        )
        consent = self.env["crm.lead.consent"]._request_for_lead(lead, ("email",))
        page = self.open_link(consent._answer_url())
        self.assertIn("bittet um Ihre Einwilligung", page.text)
        self.assertIn("per E-Mail", page.text)
        self.assertNotIn("asks for your consent", page.text)

    def test_decline_blacklists_both_channels(self):
        answered = self.open_link(self.consents._answer_url(), "decline")
        self.assertIn("o_consent_declined", answered.text)
        self.assertEqual(set(self.consents.mapped("state")), {"declined"})
        self.assertTrue(
            self.env["mail.blacklist"].search(
                [("email", "=", "anna@baeckerei-korn.example"), ("active", "=", True)]
            )
        )
        phone = self.consents.filtered(lambda c: c.channel == "phone").address
        self.assertTrue(self.env["phone.blacklist"].search([("number", "=", phone)]))
        self.assertIn("declined", self.lead.message_ids[0].body)

    def test_withdraw_after_confirming(self):
        self.open_link(self.consents._answer_url(), "confirm")
        withdrawn = self.open_link(self.consents._withdraw_url(), "withdraw")
        self.assertIn("o_consent_withdrawn", withdrawn.text)
        self.assertEqual(set(self.consents.mapped("state")), {"withdrawn"})
        self.assertTrue(all(self.consents.mapped("withdrawal_date")))
        self.assertTrue(
            self.env["mail.blacklist"].search(
                [("email", "=", "anna@baeckerei-korn.example")]
            )
        )

    def test_withdraw_link_needs_a_confirmed_consent(self):
        page = self.open_link(self.consents._withdraw_url())
        self.assertEqual(page.status_code, 403)
        self.assertIn("o_consent_used", page.text)

    def objection_url(self, lead):
        """The withdrawal link of an information mail to the lead."""
        template = self.env.ref("lead_energy.mail_template_info_trade_fair")
        body = template._render_field("body_html", lead.ids)[lead.id]
        return body.split("/lead_energy/consent/withdraw/", 1)[1].split('"', 1)[0]

    def test_objection_without_a_consent(self):
        lead = self.env["crm.lead"].create(
            {"name": "Wallbox", "type": "lead", "email_from": "Jo@Example.com"}
        )
        path = f"/lead_energy/consent/withdraw/{self.objection_url(lead)}"
        Consent = self.env["crm.lead.consent"]
        page = self.url_open(path)
        self.assertIn("Unsubscribe", page.text)
        self.assertIn("jo@example.com", page.text)
        self.assertFalse(Consent.search([("lead_id", "=", lead.id)]))  # GET: nothing
        done = self.open_link(path, "withdraw")
        self.assertIn("o_consent_objected", done.text)
        objection = Consent.search([("lead_id", "=", lead.id)])
        self.assertEqual(
            (objection.state, objection.is_objection, objection.address),
            ("withdrawn", True, "jo@example.com"),
        )
        self.assertTrue(objection.withdrawal_date)
        self.assertIn("I do not want", objection.consent_text)
        self.assertTrue(
            self.env["mail.blacklist"].search([("email", "=", "jo@example.com")])
        )
        self.assertEqual(lead.opt_in_state, "withdrawn")
        self.assertIn("objected to advertising", lead.message_ids[0].body)
        again = self.url_open(path)
        self.assertEqual(again.status_code, 403)
        self.assertIn("o_consent_used", again.text)
        with self.assertRaises(UserError):
            Consent._request_for_lead(lead, ("email",))

    def test_objection_link_withdraws_a_consent_given_since(self):
        path = f"/lead_energy/consent/withdraw/{self.objection_url(self.lead)}"
        self.open_link(self.consents._answer_url(), "confirm")
        self.open_link(path, "withdraw")
        self.assertEqual(set(self.consents.mapped("state")), {"withdrawn"})
        self.assertFalse(self.consents.search([("is_objection", "=", True)]))

    def test_reused_link_changes_nothing(self):
        self.open_link(self.consents._answer_url(), "confirm")
        again = self.open_link(self.consents._answer_url())
        self.assertEqual(again.status_code, 403)
        self.assertIn("o_consent_used", again.text)
        self.assertEqual(set(self.consents.mapped("state")), {"confirmed"})

    def test_expired_link_changes_nothing(self):
        url = self.consents._answer_url()
        later = time.time() + 15 * 86400
        with patch.object(consent_token.time, "time", return_value=later):
            page = self.open_link(url)
        self.assertEqual(page.status_code, 403)
        self.assertIn("o_consent_expired", page.text)
        self.assertEqual(set(self.consents.mapped("state")), {"requested"})

    def test_tampered_link_changes_nothing(self):
        url = self.consents._answer_url()
        payload, signature = url.rsplit("/", 1)[1].split(".")
        other = self.env["crm.lead.consent"]._request_for_lead(
            self.env["crm.lead"].create(
                {"name": "Other", "email_from": "other@example.com"}
            ),
            ("email",),
        )
        # The other request's payload with this request's signature.
        other_payload = other._answer_url().rsplit("/", 1)[1].split(".")[0]
        for token in (f"{other_payload}.{signature}", f"{payload}.{'0' * 64}", "x"):
            with self.subTest(token=token[:20]):
                page = self.url_open(f"/lead_energy/consent/answer/{token}")
                self.assertEqual(page.status_code, 403)
                self.assertIn("o_consent_invalid", page.text)
        self.assertEqual(set((self.consents | other).mapped("state")), {"requested"})

    def test_link_of_another_database_changes_nothing(self):
        values = {"r": "0" * 32, "a": "answer", "d": "another_database", "e": 0}
        payload = base64.urlsafe_b64encode(json.dumps(values).encode()).decode()
        page = self.url_open(f"/lead_energy/consent/answer/{payload}.{'0' * 64}")
        self.assertEqual(page.status_code, 403)
        self.assertIn("o_consent_database", page.text)
        self.assertEqual(set(self.consents.mapped("state")), {"requested"})

    def test_post_without_csrf_token_is_refused(self):
        path = self.consents._answer_url().removeprefix(
            self.consents[:1].get_base_url()
        )
        with mute_logger("odoo.http"):  # Odoo warns of the missing CSRF token
            refused = self.url_open(path, data={"answer": "confirm"})
        self.assertEqual(refused.status_code, 400)
        self.assertEqual(set(self.consents.mapped("state")), {"requested"})

    def test_a_signed_in_employee_cannot_answer(self):
        # The link is in the lead's chatter: a sales person who clicks it
        # there must not confirm for the customer.
        self.authenticate("admin", "admin")
        page = self.open_link(self.consents._answer_url(), "confirm")
        self.assertEqual(page.status_code, 403)
        self.assertIn("o_consent_employee", page.text)
        self.assertEqual(set(self.consents.mapped("state")), {"requested"})

    def test_ip_address_only_when_switched_on(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "lead_energy.consent_store_ip", "True"
        )
        self.open_link(self.consents._answer_url(), "confirm")
        self.assertEqual(set(self.consents.mapped("ip_address")), {"127.0.0.1"})

    def test_no_second_request_while_one_is_open(self):
        with self.assertRaises(UserError):
            self.env["crm.lead.consent"]._request_for_lead(self.lead, ("email",))
        self.open_link(self.consents._answer_url(), "decline")
        again = self.env["crm.lead.consent"]._request_for_lead(self.lead, ("email",))
        self.assertEqual(again.state, "requested")

    def test_proof_kept_when_the_lead_is_deleted(self):
        self.open_link(self.consents._answer_url(), "confirm")
        self.lead.unlink()
        self.assertEqual(set(self.consents.exists().mapped("state")), {"confirmed"})
        self.assertFalse(self.consents.lead_id)
