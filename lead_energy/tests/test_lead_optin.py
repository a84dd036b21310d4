from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import LeadEnergyCase

ANSWER_LINK = "/lead_energy/consent/answer/"
WITHDRAW_LINK = "/lead_energy/consent/withdraw/"


@tagged("post_install", "-at_install")
class TestLeadOptIn(LeadEnergyCase):
    """Requesting the opt-in from a lead, and what the consent does to the
    lead, its merge and conversion, the mails and the board."""

    def lead(self, user=None, **values):
        return self.create_lead(
            user,
            **{
                "name": "PV for the Bakery Korn",
                "partner_name": "Bäckerei Korn",
                "contact_name": "Anna Korn",
                "email_from": "anna@baeckerei-korn.example",
                "phone": "+49 30 1234567",
                "request_opt_in": True,
                **values,
            },
        )

    def wizard(self, lead, user=None, **choices):
        user = user or self.salesman
        action = lead.with_user(user).action_request_opt_in()
        form = Form(
            self.env[action["res_model"]]
            .with_user(user)
            .with_context(**action["context"])
        )
        for name, value in choices.items():
            setattr(form, name, value)
        return form.save()

    def request(self, lead, user=None, **choices):
        if not lead.partner_id:
            # Odoo writes to contacts; CRM links the one made to the lead.
            choices.setdefault("create_contact", True)
        self.wizard(lead, user, **choices).action_send_opt_in()
        return lead.sudo().consent_ids.filtered(lambda c: c.state == "requested")

    # -- the request --------------------------------------------------------------

    def test_request_sends_the_personal_link_and_records_the_request(self):
        lead = self.lead()
        wizard = self.wizard(lead)
        self.assertEqual(
            wizard.template_id, self.env.ref("lead_energy.mail_template_opt_in")
        )
        self.assertTrue(wizard.ask_email)
        self.assertTrue(wizard.ask_phone)  # the lead has a phone number
        wizard.create_contact = True
        self.assertEqual(
            wizard.action_send_opt_in()["type"], "ir.actions.act_window_close"
        )

        consents = lead.sudo().consent_ids
        self.assertEqual(sorted(consents.mapped("channel")), ["email", "phone"])
        self.assertEqual(set(consents.mapped("state")), {"requested"})
        self.assertEqual(consents.requested_by_id, self.salesman)
        mail = lead.message_ids.filtered(lambda m: m.message_type == "comment")
        self.assertEqual(len(mail), 1)
        self.assertEqual(set(consents.mapped("mail_message_id")), {mail.message_id})
        self.assertIn(ANSWER_LINK, mail.body)
        self.assertIn(consents._answer_url(), mail.body)
        self.assertEqual(mail.partner_ids.email, "anna@baeckerei-korn.example")
        # CRM made the mail's new contact the lead's, and the consents follow.
        self.assertEqual(lead.partner_id, mail.partner_ids)
        self.assertEqual(consents.partner_id, lead.partner_id)
        outgoing = (
            self.env["mail.mail"].sudo().search([("mail_message_id", "=", mail.id)])
        )
        self.assertEqual(outgoing.recipient_ids, mail.partner_ids)
        self.assertFalse(lead.request_opt_in)  # the follow-up action is done
        self.assertEqual(lead.opt_in_state, "requested")
        notes = lead.message_ids.filtered(
            lambda message: message.subtype_id == self.env.ref("mail.mt_note")
        )
        self.assertIn("Opt-in requested for", notes[:1].body)
        self.assertEqual(notes[:1].author_id, self.salesman.partner_id)

    def test_a_german_contact_is_asked_in_german(self):
        self.env["res.lang"]._activate_lang("de_DE")
        self.env["ir.module.module"]._load_module_terms(
            ["lead_energy"], ["de_DE"], overwrite=True
        )
        contact = self.env["res.partner"].create(
            {
                "name": "Anna Korn",
                "email": "anna@baeckerei-korn.example",
                "lang": "de_DE",
            }
        )
        lead = self.lead(partner_id=contact.id)
        consents = self.request(lead)
        mail = lead.message_ids.filtered(lambda m: m.message_type == "comment")
        self.assertIn("Bitte bestätigen Sie mit einem Klick", mail.body)
        self.assertEqual(
            mail.subject,
            "Bitte bestätigen Sie: Dürfen wir Sie auf dem Laufenden halten?",
        )
        self.assertEqual(set(consents.mapped("lang")), {"de_DE"})
        self.assertIn("per E-Mail", consents[0].consent_text)

    def test_only_the_channels_chosen_are_asked(self):
        lead = self.lead()
        consents = self.request(lead, ask_phone=False)
        self.assertEqual(consents.mapped("channel"), ["email"])
        lead2 = self.lead(email_from="bernd@korn.example")
        with self.assertRaises(UserError):
            self.request(lead2, ask_email=False, ask_phone=False)
        self.assertFalse(lead2.sudo().consent_ids)

    def test_the_mail_goes_to_the_main_contact_only(self):
        contact = self.env["res.partner"].create(
            {"name": "Anna Korn", "email": "anna@baeckerei-korn.example"}
        )
        colleague = self.env["res.partner"].create(
            {"name": "Bernd Korn", "email": "bernd@baeckerei-korn.example"}
        )
        lead = self.lead(
            partner_id=contact.id,
            further_contact_ids=[fields.Command.set(colleague.ids)],
        )
        self.assertEqual(self.wizard(lead).recipient_ids, contact)
        self.request(lead)
        mail = lead.message_ids.filtered(lambda m: m.message_type == "comment")
        self.assertEqual(mail.partner_ids, contact)

    def test_never_two_open_requests_also_over_rpc(self):
        lead = self.lead()
        self.request(lead)
        with self.assertRaisesRegex(UserError, "already has an open opt-in request"):
            lead.with_user(self.salesman).action_request_opt_in()
        with self.assertRaisesRegex(UserError, "already has an open opt-in request"):
            self.env["crm.lead.mail"].with_user(self.salesman).create(
                {
                    "lead_id": lead.id,
                    "purpose": "opt_in",
                    "template_id": self.env.ref("lead_energy.mail_template_opt_in").id,
                }
            )
        self.assertEqual(len(lead.sudo().consent_ids), 2)

    def test_asked_again_only_after_decline_or_expiry(self):
        lead = self.lead()
        self.request(lead, ask_phone=False)._answer("declined")
        again = self.request(lead, ask_phone=False)
        again._answer("confirmed")
        with self.assertRaisesRegex(UserError, "already consented"):
            self.request(lead, ask_phone=False)
        phone = self.request(lead, ask_email=False)  # the phone was not asked yet
        self.assertEqual(phone.channel, "phone")
        phone._answer("confirmed")
        with self.assertRaisesRegex(UserError, "already consented"):
            lead.with_user(self.salesman).action_request_opt_in()
        (again | phone)._withdraw()
        with self.assertRaisesRegex(UserError, "withdrew their consent"):
            lead.with_user(self.salesman).action_request_opt_in()
        self.assertEqual(len(lead.sudo().consent_ids), 3)

    def test_without_an_e_mail_address_nothing_is_asked(self):
        lead = self.lead(email_from=False)
        with self.assertRaisesRegex(UserError, "e-mail address"):
            lead.with_user(self.salesman).action_request_opt_in()

    def test_the_opt_in_template_is_not_opened_in_the_composer(self):
        wizard = self.wizard(self.lead(), create_contact=True)
        with self.assertRaises(UserError):
            wizard.action_open_composer()
        self.assertFalse(wizard.lead_id.sudo().consent_ids)

    def test_a_wizard_belongs_to_its_creator(self):
        wizard = self.wizard(self.lead(), create_contact=True)
        other = self.sales_user(
            "le_other_seller", "Olga Other", "sales_team.group_sale_salesman_all_leads"
        )
        with self.assertRaises(AccessError):
            wizard.with_user(other).action_send_opt_in()
        self.assertFalse(wizard.lead_id.sudo().consent_ids)

    # -- validity and expiry -----------------------------------------------------

    def test_validity_from_the_settings(self):
        settings = Form(self.env["res.config.settings"])
        settings.lead_energy_consent_validity_days = 3
        settings.save().execute()
        consent = self.request(self.lead(), ask_phone=False)
        self.assertEqual(consent.expiry_date - consent.request_date, timedelta(days=3))
        settings = Form(self.env["res.config.settings"])
        settings.lead_energy_consent_validity_days = 0
        with self.assertRaises(ValidationError):
            settings.save()

    def test_unanswered_requests_expire_and_can_be_asked_again(self):
        lead = self.lead()
        consents = self.request(lead)
        fresh = self.request(
            self.lead(email_from="fresh@korn.example"), ask_phone=False
        )
        consents.write({"expiry_date": fields.Datetime.now() - timedelta(minutes=1)})
        self.env["crm.lead.consent"]._cron_expire_requests()
        self.assertEqual(set(consents.mapped("state")), {"expired"})
        self.assertEqual(fresh.state, "requested")
        self.assertEqual(lead.opt_in_state, "expired")
        self.assertIn("expired unanswered", lead.message_ids[0].body)
        self.assertEqual(len(self.request(lead)), 2)

    # -- effects -------------------------------------------------------------------

    def test_a_new_confirmation_lifts_the_blacklist(self):
        lead = self.lead()
        self.request(lead, ask_phone=False)._answer("declined")
        blacklist = self.env["mail.blacklist"].with_context(active_test=False)
        entry = blacklist.search([("email", "=", "anna@baeckerei-korn.example")])
        self.assertTrue(entry.active)
        self.request(lead, ask_phone=False)._answer("confirmed")
        self.assertFalse(entry.active)
        self.assertEqual(lead.opt_in_state, "confirmed")

    def test_confirmed_filter(self):
        confirmed, asked = self.lead(), self.lead(email_from="asked@korn.example")
        self.request(confirmed)._answer("confirmed")
        self.request(asked)
        found = self.env["crm.lead"].search(
            [("id", "in", (confirmed | asked).ids), ("opt_in_state", "=", "confirmed")]
        )
        self.assertEqual(found, confirmed)

    def test_marketing_mails_carry_the_withdrawal_link_of_the_consent(self):
        template = self.env.ref("lead_energy.mail_template_info_trade_fair")
        lead = self.lead()
        consents = self.request(lead)
        consents._answer("confirmed")
        body = template._render_field("body_html", lead.ids)[lead.id]
        self.assertIn(consents._withdraw_url(), body)

    def test_conversion_carries_the_consent_to_the_contact_person(self):
        lead = self.lead()
        # Asked without a mail (the mail's contact would become the lead's).
        consents = self.env["crm.lead.consent"]._request_for_lead(
            lead, ("email", "phone")
        )
        consents._answer("confirmed")
        self.assertFalse(consents.partner_id)
        action = lead.with_user(self.salesman).action_open_convert_contact()
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.salesman)
            .with_context(**action["context"])
        ).save()
        wizard.action_company_next()
        wizard.action_contact_confirm()
        self.assertTrue(lead.partner_id)
        self.assertEqual(consents.partner_id, lead.partner_id)

    def test_merge_keeps_the_proof_on_the_surviving_lead(self):
        older = self.lead()
        newer = self.lead(user=self.salesman_all, email_from="anna.korn@privat.example")
        older_consents = self.request(older)
        older_consents._answer("confirmed")
        newer_consents = self.request(newer, user=self.salesman_all, ask_phone=False)
        survivor = self.merge(older | newer)
        self.assertEqual(len(survivor), 1)
        self.assertEqual(survivor.sudo().consent_ids, older_consents | newer_consents)

    def test_a_copy_has_no_consent(self):
        lead = self.lead()
        self.request(lead)._answer("confirmed")
        copy = lead.with_user(self.salesman).copy()
        self.assertFalse(copy.sudo().consent_ids)
        self.assertFalse(copy.opt_in_state)
        self.assertEqual(lead.opt_in_state, "confirmed")

    # -- who sees what ---------------------------------------------------------------

    def test_sales_people_see_the_consents_of_their_leads(self):
        other = self.sales_user(
            "le_opt_in_other", "Otto Other", "sales_team.group_sale_salesman"
        )
        mine = self.request(self.lead(user_id=self.salesman.id))
        theirs = self.request(
            self.lead(user=other, user_id=other.id, email_from="theirs@korn.example"),
            user=other,
        )
        Consent = self.env["crm.lead.consent"]
        everything = mine | theirs
        self.assertEqual(
            Consent.with_user(self.salesman).search([("id", "in", everything.ids)]),
            mine,
        )
        self.assertEqual(
            Consent.with_user(self.salesman_all).search([("id", "in", everything.ids)]),
            everything,
        )
        with self.assertRaises(AccessError):
            mine.with_user(self.salesman).write({"state": "confirmed"})
        with self.assertRaises(AccessError):
            mine.with_user(self.manager).unlink()

    # -- the board ---------------------------------------------------------------------

    def test_board_counts_confirmed_opt_ins_and_the_rate(self):
        def tile():
            self.env.flush_all()
            board = (
                self.env["crm.lead.energy.board"]
                .with_user(self.manager)
                .get_board_data()
            )
            (opt_in,) = (t for t in board["tiles"] if t["key"] == "opt_in_confirmed")
            return opt_in

        before = tile()
        # The tile's leads, but asked whatever they answered.
        asked_domain = [
            *before["domain"][:-1],
            ("consent_ids", "any", [("is_objection", "=", False)]),
        ]
        asked_before = self.env["crm.lead"].search_count(asked_domain)
        confirmed = self.lead()
        self.request(confirmed)._answer("confirmed")
        self.request(self.lead(email_from="asked@korn.example"))
        self.request(self.lead(email_from="declined@korn.example"))._answer("declined")
        after = tile()
        self.assertEqual(after["count"], before["count"] + 1)
        self.assertEqual(
            after["rate"], round(100.0 * (before["count"] + 1) / (asked_before + 3), 1)
        )
        opened = self.env["crm.lead"].search(after["domain"])
        self.assertIn(confirmed, opened)
        self.assertEqual(set(opened.mapped("opt_in_state")), {"confirmed"})
