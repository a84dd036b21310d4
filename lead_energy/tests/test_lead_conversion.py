import base64
import io

from PIL import Image

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import LeadEnergyCase


def card_b64():
    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), "teal").save(buffer, format="PNG")
    return base64.b64encode(buffer.getvalue()).decode()


@tagged("post_install", "-at_install")
class TestLeadConversion(LeadEnergyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Partner = cls.env["res.partner"]
        cls.energy_supply = cls.env.ref("base.res_partner_industry_D")
        cls.interest = cls.env.ref("lead_energy.crm_energy_interest_photovoltaics")
        cls.big = cls.env.ref("lead_energy.crm_lead_scoring_option_volume_gt_250k")

    def trade_fair_lead(self, **values):
        values = {
            "name": "PV for the depot",
            "partner_name": "Stadtwerke Rheinau GmbH",
            "contact_name": "Sabine Krüger",
            "function": "Head of Procurement",
            "email_from": "s.krueger@rheinau-energie.example",
            "phone": "+49 7221 555210",
            "street": "Hafenstraße 12",
            "zip": "77866",
            "city": "Rheinau",
            "country_id": self.env.ref("base.de").id,
            "website": "https://www.rheinau-energie.example",
            "industry_id": self.energy_supply.id,
            "business_card": card_b64(),
            "interest_ids": [(6, 0, self.interest.ids)],
            "volume_option_id": self.big.id,
            "user_id": self.salesman.id,
            **values,
        }
        return self.create_lead(**values)

    def wizard(self, lead, user=None):
        action = lead.with_user(user or self.salesman).action_open_convert_contact()
        return Form(
            self.env[action["res_model"]]
            .with_user(user or self.salesman)
            .with_context(**action["context"])
        )

    # -- further contacts ---------------------------------------------------------

    def test_further_contacts_need_a_main_contact(self):
        lead = self.trade_fair_lead()
        with self.assertRaisesRegex(UserError, "no main contact"):
            lead.with_user(self.salesman).action_open_further_contacts()
        with self.assertRaisesRegex(UserError, "no main contact"):
            self.env["crm.lead.further.contacts"].with_user(self.salesman).create(
                {"lead_id": lead.id}
            )

    def test_further_contacts_added_once_never_the_main_contact(self):
        main, klaus, eva = self.Partner.create(
            [
                {"name": "Sabine Krüger"},
                {"name": "Klaus Kontakt"},
                {"name": "Eva Bauer"},
            ]
        )
        lead = self.trade_fair_lead(partner_id=main.id)

        def add(partners):
            action = lead.with_user(self.salesman).action_open_further_contacts()
            wizard = Form(
                self.env[action["res_model"]]
                .with_user(self.salesman)
                .with_context(**action["context"])
            )
            for partner in partners:
                wizard.partner_ids.add(partner)
            wizard.save().action_add()

        add(klaus | eva)
        self.assertEqual(lead.further_contact_ids, klaus | eva)
        add(klaus | main)
        self.assertEqual(lead.further_contact_ids, klaus | eva)
        self.assertEqual(lead.partner_id, main)

    # -- suggestions ------------------------------------------------------------------

    def test_suggestions_best_first_with_reasons(self):
        Company = self.Partner.with_context(default_is_company=True)
        by_domain = Company.create(
            {"name": "Energie Rheinau Netz AG", "email": "info@rheinau-energie.example"}
        )
        by_name = Company.create({"name": "Stadtwerke Rheinau"})
        by_phone = Company.create({"name": "SWR Holding", "phone": "+49 7221 555210"})
        similar = Company.create({"name": "Stadtwerke Rheinau Service GmbH"})
        Company.create({"name": "Windpark Nord GmbH"})  # no match
        freemail = Company.create({"name": "Gmail Fan Club", "email": "x@gmail.com"})
        lead = self.trade_fair_lead()
        wizard = self.wizard(lead)
        suggestions = wizard.save().suggestion_ids
        self.assertEqual(
            suggestions.partner_id.ids,
            [by_name.id, by_phone.id, by_domain.id, similar.id],
        )
        self.assertEqual(
            suggestions.mapped("reason"),
            ["same name", "same phone number", "same e-mail domain", "similar name"],
        )
        self.assertNotIn(freemail, suggestions.partner_id)
        # The best one is preselected.
        self.assertEqual(wizard.company_mode, "existing")
        self.assertEqual(wizard.company_id, by_name)

    # -- conversion -----------------------------------------------------------------

    def test_convert_with_a_new_company_prefilled_from_the_lead(self):
        card = card_b64()
        lead = self.trade_fair_lead(business_card=card)
        wizard = self.wizard(lead)
        self.assertEqual(wizard.company_mode, "new")
        self.assertEqual(wizard.company_name, "Stadtwerke Rheinau GmbH")
        wizard.city = "Rheinau-Freistett"  # editable before saving
        record = wizard.save()
        record.action_company_next()
        record.action_contact_confirm()
        company = record.company_id
        self.assertTrue(company.is_company)
        self.assertEqual(
            (company.name, company.street, company.zip, company.city),
            ("Stadtwerke Rheinau GmbH", "Hafenstraße 12", "77866", "Rheinau-Freistett"),
        )
        self.assertEqual(company.country_id.code, "DE")
        self.assertEqual(company.industry_id, self.energy_supply)
        self.assertEqual(company.website, "https://www.rheinau-energie.example")
        contact = lead.partner_id
        self.assertEqual(contact.parent_id, company)
        self.assertEqual(
            (contact.name, contact.function, contact.email),
            (
                "Sabine Krüger",
                "Head of Procurement",
                "s.krueger@rheinau-energie.example",
            ),
        )
        # The business card, as the lead stores it, is the contact's picture.
        self.assertTrue(lead.business_card)
        self.assertEqual(
            base64.b64decode(contact.image_1920), base64.b64decode(lead.business_card)
        )
        self.assertEqual(base64.b64decode(contact.image_1920), base64.b64decode(card))
        self.assertEqual(lead.lead_state, "converted")
        self.assertTrue(lead.date_conversion)
        self.assertEqual(lead.type, "lead")
        self.assertIn("Stadtwerke Rheinau GmbH", lead.message_ids[0].body)
        self.assertIn("created", lead.message_ids[0].body)
        self.assertEqual(record.step, "done")

    def test_convert_with_an_existing_company_and_contact(self):
        company = self.Partner.create(
            {"name": "Stadtwerke Rheinau", "is_company": True}
        )
        sabine = self.Partner.create({"name": "Sabine K.", "parent_id": company.id})
        lead = self.trade_fair_lead()
        partners_before = self.Partner.search_count([])
        wizard = self.wizard(lead)
        self.assertEqual(wizard.company_id, company)
        record = wizard.save()
        record.suggestion_ids[0].action_choose()
        with Form(record) as step2:
            step2.contact_mode = "existing"
            step2.contact_id = sabine
        record.action_contact_confirm()
        self.assertEqual(lead.partner_id, sabine)
        self.assertEqual(self.Partner.search_count([]), partners_before)
        self.assertIn("linked", lead.message_ids[0].body)

    def test_new_company_although_one_was_suggested(self):
        suggested = self.Partner.create(
            {"name": "Stadtwerke Rheinau", "is_company": True}
        )
        lead = self.trade_fair_lead()
        wizard = self.wizard(lead)
        self.assertEqual(wizard.company_id, suggested)
        wizard.company_mode = "new"
        record = wizard.save()
        record.action_company_next()
        record.action_contact_confirm()
        company = lead.partner_id.parent_id
        self.assertNotEqual(company, suggested)
        self.assertEqual(company.name, "Stadtwerke Rheinau GmbH")
        self.assertEqual(record.company_id, company)
        self.assertFalse(suggested.child_ids)

    def test_existing_contact_must_be_one_of_the_company(self):
        company = self.Partner.create({"name": "Windpark Nord", "is_company": True})
        stranger = self.Partner.create({"name": "Somebody Else"})
        lead = self.trade_fair_lead()
        record = self.wizard(lead).save()
        record.write({"company_mode": "existing", "company_id": company.id})
        record.action_company_next()
        # As a client could write it, past the field's domain.
        record.write({"contact_mode": "existing", "contact_id": stranger.id})
        with self.assertRaisesRegex(UserError, "not a contact person"):
            record.action_contact_confirm()
        self.assertFalse(lead.partner_id)

    def check_second_wizard_creates_nothing(self, second_at_contact_step):
        """Two wizards opened on one lead, the first converts it: the second
        creates nothing, whichever step it had reached."""
        lead = self.trade_fair_lead()
        first, second = self.wizard(lead).save(), self.wizard(lead).save()
        partners_before = self.Partner.search_count([])
        if second_at_contact_step:
            second.action_company_next()
        first.action_company_next()
        first.action_contact_confirm()
        contact = lead.partner_id
        with self.assertRaisesRegex(UserError, "already has its contact person"):
            if second_at_contact_step:
                second.action_contact_confirm()
            else:
                second.action_company_next()
        self.assertEqual(self.Partner.search_count([]), partners_before + 2)
        self.assertEqual(lead.partner_id, contact)

    def test_second_wizard_after_the_conversion_creates_nothing(self):
        self.check_second_wizard_creates_nothing(second_at_contact_step=False)

    def test_two_wizards_at_the_contact_step_convert_once(self):
        self.check_second_wizard_creates_nothing(second_at_contact_step=True)

    def test_repeated_steps_create_nothing_twice(self):
        lead = self.trade_fair_lead()
        # The button's action, as the client keeps it to open the wizard again.
        action = lead.with_user(self.salesman).action_open_convert_contact()
        record = self.wizard(lead).save()
        partners_before = self.Partner.search_count([])
        record.action_company_next()
        record.action_company_next()  # double click
        record.action_contact_confirm()
        record.action_contact_confirm()  # RPC retry
        self.assertEqual(self.Partner.search_count([]), partners_before + 2)
        company = lead.partner_id.parent_id
        self.assertEqual(company.name, "Stadtwerke Rheinau GmbH")
        # Starting over on the converted lead is refused...
        with self.assertRaisesRegex(UserError, "already has its contact person"):
            lead.with_user(self.salesman).action_open_convert_contact()
        # ...and so is a second wizard opened with the action from before,
        # now that the company exists.
        second = Form(
            self.env[action["res_model"]]
            .with_user(self.salesman)
            .with_context(**action["context"])
        )
        with self.assertRaisesRegex(UserError, "already has its contact person"):
            second.save()
        # A second lead of the same company finds the company created above and
        # only adds its contact person.
        colleague = self.trade_fair_lead(
            contact_name="Klaus Kontakt", email_from="k.kontakt@rheinau-energie.example"
        )
        wizard = self.wizard(colleague)
        self.assertEqual(wizard.company_mode, "existing")
        self.assertEqual(wizard.company_id, company)
        record = wizard.save()
        record.action_company_next()
        record.action_contact_confirm()
        self.assertEqual(self.Partner.search_count([]), partners_before + 3)
        self.assertEqual(colleague.partner_id.parent_id, company)
        self.assertEqual(
            self.Partner.search_count([("name", "=", "Stadtwerke Rheinau GmbH")]), 1
        )
        self.assertEqual(self.Partner.search_count([("name", "=", "Sabine Krüger")]), 1)

    def test_inquiry_keeps_what_the_lead_had(self):
        lead = self.trade_fair_lead()
        with self.assertRaisesRegex(UserError, "not converted yet"):
            lead.with_user(self.salesman).action_create_inquiry()
        record = self.wizard(lead).save()
        record.action_company_next()
        record.action_contact_confirm()
        team, score = lead.team_id, lead.lead_score
        action = record.action_create_inquiry()
        self.assertEqual(action["res_id"], lead.id)
        self.assertEqual(lead.type, "opportunity")
        self.assertEqual(lead.lead_state, "converted")
        self.assertEqual((lead.user_id, lead.team_id), (self.salesman, team))
        self.assertEqual(lead.interest_ids, self.interest)
        self.assertEqual(lead.lead_score, score)
        self.assertTrue(lead.stage_id)
        lead.with_user(self.salesman).action_create_inquiry()  # again: no change
        self.assertEqual(lead.type, "opportunity")

    def test_offer_is_a_quotation_for_the_business_partner(self):
        lead = self.trade_fair_lead()
        record = self.wizard(lead).save()
        record.action_company_next()
        record.action_contact_confirm()
        action = record.action_create_offer()
        self.assertEqual(lead.type, "opportunity")  # the inquiry came first
        order_form = Form(
            self.env["sale.order"]
            .with_user(self.salesman)
            .with_context(**action["context"])
        )
        order = order_form.save()
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.opportunity_id, lead)
        self.assertEqual(order.partner_id, lead.partner_id.commercial_partner_id)
        self.assertEqual(lead.order_ids, order)

    def test_salesman_on_someone_elses_lead(self):
        lead = self.trade_fair_lead()
        lead.user_id = self.salesman_all  # now someone else's lead
        with self.assertRaises(AccessError):
            lead.with_user(self.salesman).action_open_convert_contact()
        with self.assertRaises(AccessError):
            self.env["crm.lead.convert.contact"].with_user(self.salesman).create(
                {"lead_id": lead.id}
            )

    def test_main_contact_is_not_a_further_contact(self):
        contact = self.env["res.partner"].create({"name": "Sabine Krüger"})
        with self.assertRaisesRegex(ValidationError, "main contact"):
            self.create_lead(
                partner_id=contact.id, further_contact_ids=[(6, 0, contact.ids)]
            )

    def test_offer_sent_follows_the_quotations(self):
        """The board's funnel counts offer_sent: it follows every change of the
        quotations, made from CRM, Sales or anywhere else."""
        customer = self.env["res.partner"].create({"name": "Offer Test GmbH"})
        first, second = self.Lead.create(
            [
                {"name": "Offer lead 1", "partner_id": customer.id},
                {"name": "Offer lead 2", "partner_id": customer.id},
            ]
        )
        order = self.env["sale.order"].create(
            {"partner_id": customer.id, "opportunity_id": first.id}
        )
        self.assertFalse(first.offer_sent)  # a draft is not sent
        order.action_quotation_sent()
        self.assertTrue(first.offer_sent)
        order.opportunity_id = second  # moved to another lead
        self.assertEqual((first.offer_sent, second.offer_sent), (False, True))
        order._action_cancel()  # what the cancellation wizard does
        self.assertEqual(order.state, "cancel")
        self.assertFalse(second.offer_sent)
        order.action_draft()
        order.action_confirm()
        self.assertTrue(second.offer_sent)
        copy = order.copy({"opportunity_id": first.id})
        copy.action_quotation_sent()
        self.assertTrue(first.offer_sent)
        copy._action_cancel()
        copy.unlink()
        self.assertFalse(first.offer_sent)
