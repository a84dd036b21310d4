from odoo.tests import HttpCase, new_test_user, tagged

TOUR_LEAD = "PV and storage for the Rheinau depot"


class LeadFormTourCase(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tina = new_test_user(
            cls.env,
            login="le_tina",
            name="Tina Tour",
            groups="sales_team.group_sale_salesman_all_leads",
            tour_enabled=False,
        )
        company = cls.env["res.partner"].create(
            {"name": "Stadtwerke Rheinau GmbH", "is_company": True}
        )
        cls.sabine = cls.env["res.partner"].create(
            {"name": "Sabine Krüger", "parent_id": company.id}
        )
        cls.klaus = cls.env["res.partner"].create(
            {
                "name": "Klaus Kontakt",
                "parent_id": company.id,
                "email": "klaus@stadtwerke-rheinau.example",
            }
        )
        cls.source = cls.env["utm.source"].create({"name": "Tour Fair Munich"})
        # Something for the kanban to show on the phone.
        cls.env["crm.lead"].create({"name": "Wallbox for a car dealer", "type": "lead"})

    def assert_lead_filled_in(self):
        lead = self.env["crm.lead"].search([("name", "=", TOUR_LEAD)])
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


@tagged("post_install", "-at_install")
class TestLeadFormTour(LeadFormTourCase):
    def test_create_lead_with_every_section(self):
        self.start_tour(
            "/odoo/action-lead_energy.crm_lead_action_energy_leads",
            "lead_energy_lead_form",
            login=self.tina.login,
        )
        self.assert_lead_filled_in()


@tagged("post_install", "-at_install")
class TestLeadFormTourPhone(LeadFormTourCase):
    browser_size = "375x667"
    touch_enabled = True

    def test_create_lead_with_every_section_on_a_phone(self):
        self.start_tour(
            "/odoo/action-lead_energy.crm_lead_action_energy_leads",
            "lead_energy_lead_form_phone",
            login=self.tina.login,
        )
        self.assert_lead_filled_in()
