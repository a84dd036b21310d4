from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestLeadScoringTour(HttpCase):
    def test_rate_a_lead_in_the_form(self):
        seller = new_test_user(
            self.env,
            login="le_rating_seller",
            groups="sales_team.group_sale_salesman",
            tour_enabled=False,
        )
        lead = self.env["crm.lead"].create(
            {"name": "Heat pump for a school", "type": "lead", "user_id": seller.id}
        )
        self.start_tour(
            f"/odoo/action-lead_energy.crm_lead_action_energy_leads/{lead.id}",
            "lead_energy_lead_scoring",
            login=seller.login,
        )
        self.assertEqual(
            lead.influence_option_id,
            self.env.ref(
                "lead_energy.crm_lead_scoring_option_influence_decision_maker"
            ),
        )
        self.assertEqual(lead.lead_score, 50)
