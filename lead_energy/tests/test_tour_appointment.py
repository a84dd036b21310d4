from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestAppointmentTour(HttpCase):
    def test_plan_open_and_add_employees(self):
        seller = new_test_user(
            self.env,
            login="le_tour_planner",
            name="Sam Seller",
            groups="sales_team.group_sale_salesman_all_leads",
            tour_enabled=False,
        )
        paula = new_test_user(
            self.env,
            login="le_paula",
            name="Paula Planner",
            groups="sales_team.group_sale_salesman",
        )
        ole = new_test_user(
            self.env, login="le_ole", name="Ole Onsite", groups="base.group_user"
        )
        self.start_tour(
            "/odoo/action-lead_energy.crm_lead_action_energy_leads/new",
            "lead_energy_appointment",
            login=seller.login,
        )
        lead = self.env["crm.lead"].search(
            [("name", "=", "Battery storage for the bakery")]
        )
        event = lead.appointment_event_id
        self.assertEqual(event.user_id, paula)
        self.assertEqual(event.opportunity_id, lead)
        self.assertEqual(event.partner_ids, paula.partner_id | ole.partner_id)
        notified = self.env["mail.notification"].search(
            [
                ("mail_message_id.model", "=", "calendar.event"),
                ("mail_message_id.res_id", "=", event.id),
                ("notification_type", "=", "inbox"),
            ]
        )
        self.assertEqual(notified.res_partner_id, paula.partner_id | ole.partner_id)
