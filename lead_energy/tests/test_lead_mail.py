import base64
from datetime import datetime

from lxml import etree

from odoo.exceptions import UserError
from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval

from .common import LeadEnergyCase


@tagged("post_install", "-at_install")
class TestLeadMail(LeadEnergyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "Sabine Krüger",
                "email": "sabine@rheinau.example",
                "tz": "Europe/Berlin",
                "lang": "en_US",
            }
        )
        cls.colleague = cls.env["res.partner"].create(
            {"name": "Klaus Kontakt", "email": "klaus@rheinau.example"}
        )
        cls.salesman.signature = "<p>Sven Salesman, Solar GmbH</p>"

    def lead(self, **values):
        values = {
            "name": "PV for the depot",
            "partner_name": "Stadtwerke Rheinau GmbH",
            "partner_id": self.contact.id,
            "appointment_start": datetime(2027, 3, 2, 9, 0),
            **values,
        }
        return self.create_lead(**values)

    def start(self, lead, purpose, **choices):
        action = (
            lead.with_user(self.salesman).action_send_appointment_confirmation()
            if purpose == "appointment_confirmation"
            else lead.with_user(self.salesman).action_send_info_material()
        )
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.salesman)
            .with_context(**action["context"])
        )
        for name, value in choices.items():
            setattr(wizard, name, value)
        return wizard.save()

    def composer(self, wizard):
        action = wizard.action_open_composer()
        self.assertEqual(action["res_model"], "mail.compose.message")
        return Form(
            self.env["mail.compose.message"]
            .with_user(self.salesman)
            .browse(action["res_id"])
        )

    def templates(self, purpose):
        """The templates the wizard's template field offers the salesman: the
        field's domain from the wizard's form view, evaluated with the wizard's
        values as the web client does, then the client's name_search."""
        lead = self.lead().with_user(self.salesman)
        action = (
            lead.action_send_appointment_confirmation()
            if purpose == "appointment_confirmation"
            else lead.action_send_info_material()
        )
        Wizard = (
            self.env[action["res_model"]]
            .with_user(self.salesman)
            .with_context(**action["context"])
        )
        wizard = Form(Wizard)
        self.assertEqual(wizard.purpose, purpose)
        view = Wizard.get_views([(False, "form")])
        field = view["models"][action["res_model"]]["fields"]["template_id"]
        node = etree.fromstring(view["views"]["form"]["arch"]).find(
            ".//field[@name='template_id']"
        )
        domain_text = node.get("domain") or field["domain"]
        domain = safe_eval(domain_text, wizard._get_eval_context())
        offered = (
            self.env[field["relation"]]
            .with_user(self.salesman)
            .with_context(**action["context"])
            .name_search("", args=domain, limit=100)
        )
        names = [name for template_id, name in offered]
        # The template the wizard preselects is one of those offered.
        self.assertIn(wizard.template_id.id, [tid for tid, name in offered])
        return names

    def test_template_lists_per_purpose(self):
        self.assertEqual(
            sorted(self.templates("appointment_confirmation")),
            ["Meeting", "Trade Fair Visit"],
        )
        self.assertEqual(
            sorted(self.templates("info_material")),
            ["Trade Fair Conversation", "Web Inquiry"],
        )

    def test_an_added_template_appears(self):
        self.env["mail.template"].with_user(self.manager).sudo().create(
            {
                "name": "Intersolar Follow-up",
                "model_id": self.env.ref("crm.model_crm_lead").id,
                "lead_energy_purpose": "info_material",
                "subject": "Intersolar",
                "body_html": "<p>Hello</p>",
            }
        )
        self.assertIn("Intersolar Follow-up", self.templates("info_material"))
        self.assertNotIn(
            "Intersolar Follow-up", self.templates("appointment_confirmation")
        )

    def test_recipients_main_and_further_contacts(self):
        lead = self.lead(further_contact_ids=[(6, 0, self.colleague.ids)])
        wizard = self.start(lead, "appointment_confirmation")
        self.assertEqual(wizard.recipient_ids, self.contact | self.colleague)
        composer = self.composer(wizard).save()
        self.assertEqual(composer.partner_ids, self.contact | self.colleague)
        self.assertIn("Sabine Krüger", composer.body)
        self.assertIn("Sven Salesman, Solar GmbH", composer.body)  # the signature

    def test_without_main_contact_the_email_needs_confirmation(self):
        lead = self.lead(
            partner_id=False, contact_name="Jens Hansen", email_from="jens@wind.example"
        )
        wizard = self.start(lead, "info_material")
        self.assertEqual(wizard.email_only, "jens@wind.example")
        with self.assertRaisesRegex(UserError, "Confirm that a contact is created"):
            wizard.action_open_composer()
        self.assertFalse(
            self.env["res.partner"].search([("email", "=", "jens@wind.example")])
        )
        wizard.create_contact = True
        composer = self.composer(wizard).save()
        jens = self.env["res.partner"].search([("email", "=", "jens@wind.example")])
        self.assertEqual(jens.name, "Jens Hansen")
        self.assertEqual(composer.partner_ids, jens)
        # A second mail reuses that contact.
        wizard = self.start(lead, "info_material", create_contact=True)
        self.composer(wizard)
        self.assertEqual(
            self.env["res.partner"].search_count([("email", "=", "jens@wind.example")]),
            1,
        )

    def test_attachments_of_template_and_lead(self):
        template = self.env.ref("lead_energy.mail_template_info_trade_fair")
        brochure = self.env["ir.attachment"].create(
            {
                "name": "brochure.pdf",
                "datas": base64.b64encode(b"%PDF brochure"),
                "res_model": "mail.template",
                "res_id": template.id,
            }
        )
        template.attachment_ids = brochure
        lead = self.lead()
        offer = self.env["ir.attachment"].create(
            {
                "name": "roof-plan.pdf",
                "datas": base64.b64encode(b"%PDF plan"),
                "res_model": "crm.lead",
                "res_id": lead.id,
            }
        )
        wizard = self.start(lead, "info_material")
        wizard.attachment_ids = offer
        composer = self.composer(wizard).save()
        self.assertEqual(
            sorted(composer.attachment_ids.mapped("name")),
            ["brochure.pdf", "roof-plan.pdf"],
        )
        composer.action_send_mail()
        message = lead.message_ids[0]
        self.assertEqual(
            sorted(message.attachment_ids.mapped("name")),
            ["brochure.pdf", "roof-plan.pdf"],
        )

    def test_date_in_the_recipients_time_zone_and_language(self):
        lead = self.lead()
        composer = self.composer(self.start(lead, "appointment_confirmation"))
        # 09:00 UTC is 10:00 in Berlin, in March (CET).
        self.assertIn("March 2, 2027", composer.body)
        self.assertIn("10:00", composer.body)
        self.assertIn("March 2, 2027", composer.subject)

        self.env["res.lang"]._activate_lang("de_DE")
        self.env["ir.module.module"]._load_module_terms(
            ["lead_energy"], ["de_DE"], overwrite=True
        )
        self.contact.write({"lang": "de_DE", "tz": "America/New_York"})
        composer = self.composer(self.start(lead, "appointment_confirmation"))
        self.assertIn("2. März 2027", composer.body)
        self.assertIn("04:00", composer.body)  # 09:00 UTC in New York (EST)
        self.assertIn("Sehr geehrte", composer.body)

    def test_sending_queues_the_mail_and_moves_the_lead_on(self):
        lead = self.lead(send_info_material=True)
        composer = self.composer(self.start(lead, "info_material")).save()
        composer.action_send_mail()
        self.assertEqual(lead.lead_state, "contacted")
        self.assertFalse(lead.send_info_material)
        self.assertTrue(lead.info_material_sent_date)
        message = lead.message_ids[0]
        self.assertEqual(message.message_type, "comment")
        self.assertEqual(message.partner_ids, self.contact)
        mail = (
            self.env["mail.mail"].sudo().search([("mail_message_id", "=", message.id)])
        )
        self.assertEqual(mail.recipient_ids, self.contact)

    def test_confirmation_keeps_a_qualified_lead_qualified(self):
        lead = self.lead()
        lead.action_mark_qualified()
        self.composer(
            self.start(lead, "appointment_confirmation")
        ).save().action_send_mail()
        self.assertEqual(lead.lead_state, "qualified")

    def test_conditions_are_checked_on_the_server(self):
        nobody = self.lead(partner_id=False)
        with self.assertRaisesRegex(UserError, "neither a main contact nor an e-mail"):
            nobody.with_user(self.salesman).action_send_info_material()
        unplanned = self.lead(appointment_start=False)
        with self.assertRaisesRegex(UserError, "no planned appointment"):
            unplanned.with_user(self.salesman).action_send_appointment_confirmation()
        with self.assertRaisesRegex(UserError, "no planned appointment"):
            self.env["crm.lead.mail"].with_user(self.salesman).create(
                {
                    "lead_id": unplanned.id,
                    "purpose": "appointment_confirmation",
                    "template_id": self.env.ref(
                        "lead_energy.mail_template_confirmation_meeting"
                    ).id,
                }
            )
        # Without an appointment, information material may still go out.
        self.start(unplanned, "info_material")

    def test_invalid_address_is_reported_before_sending(self):
        broken = self.env["res.partner"].create(
            {"name": "Max Mustermann", "email": "max at example"}
        )
        lead = self.lead(further_contact_ids=[(6, 0, broken.ids)])
        wizard = self.start(lead, "info_material")
        with self.assertRaisesRegex(UserError, "Max Mustermann"):
            wizard.action_open_composer()
        self.assertFalse(
            self.env["mail.compose.message"].search(
                [("create_uid", "=", self.salesman.id)]
            )
        )
