from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged


class LeadBoardTourCase(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.seller = new_test_user(
            cls.env,
            login="le_tour_board",
            groups="sales_team.group_sale_salesman",
            tour_enabled=False,
        )
        Lead = (
            cls.env["crm.lead"].with_user(cls.seller).with_context(default_type="lead")
        )
        Lead.create(
            {
                "name": "Tour: overdue carport PV",
                "followup_user_id": cls.seller.id,
                "followup_deadline": fields.Date.today() - timedelta(days=2),
            }
        )
        Lead.create(
            {
                "name": "Tour: qualified wind farm",
                "followup_user_id": cls.seller.id,
                "lead_type_id": cls.env.ref(
                    "lead_energy.crm_energy_lead_type_business"
                ).id,
            }
        ).action_mark_qualified()
        Lead.create({"name": "Tour: unassigned heat pump"})


@tagged("post_install", "-at_install")
class TestLeadBoardTour(LeadBoardTourCase):
    def test_board_tiles_and_charts_open_their_leads(self):
        self.start_tour(
            "/odoo",
            "lead_energy_board",
            login=self.seller.login,
        )


@tagged("post_install", "-at_install")
class TestLeadBoardTourPhone(LeadBoardTourCase):
    browser_size = "375x667"
    touch_enabled = True

    def test_board_tiles_and_charts_open_their_leads_on_a_phone(self):
        self.start_tour(
            "/odoo/action-lead_energy.crm_lead_action_energy_board",
            "lead_energy_board_phone",
            login=self.seller.login,
        )
