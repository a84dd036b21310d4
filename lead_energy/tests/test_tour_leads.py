from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestLeadsListTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.seller = new_test_user(
            cls.env,
            login="le_tour_seller",
            groups="sales_team.group_sale_salesman_all_leads",
            tour_enabled=False,
        )
        cls.env["crm.lead"].create(
            {
                "type": "lead",
                "name": "PV-Anlage Betriebshof Stadtwerke Rheinau",
                "partner_name": "Stadtwerke Rheinau GmbH",
            }
        )

    def test_leads_list_opens_and_creates_a_lead(self):
        self.start_tour(
            "/odoo/action-lead_energy.crm_lead_action_energy_leads",
            "lead_energy_leads_list",
            login=self.seller.login,
        )
        lead = self.env["crm.lead"].search(
            [("name", "=", "Tour lead: carport PV for a car dealer")]
        )
        self.assertEqual(len(lead), 1)
        self.assertEqual(lead.type, "lead")
        self.assertEqual(lead.create_uid, self.seller)
