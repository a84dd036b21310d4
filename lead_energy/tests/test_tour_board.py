from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestLeadBoardTour(HttpCase):
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
        Lead.create({"name": "Tour: qualified wind farm"}).action_mark_qualified()

    def test_board_tiles_and_charts_open_their_leads(self):
        self.start_tour(
            "/odoo",
            "lead_energy_board",
            login=self.seller.login,
        )
