from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestInfoMaterialTour(HttpCase):
    def test_send_information_material(self):
        seller = new_test_user(
            self.env,
            login="le_mail_seller",
            name="Mia Mailer",
            groups="sales_team.group_sale_salesman",
            tour_enabled=False,
        )
        contact = self.env["res.partner"].create(
            {"name": "Henrik Brandt", "email": "brandt@solarpark-elbaue.example"}
        )
        lead = self.env["crm.lead"].create(
            {
                "type": "lead",
                "name": "Agri-PV at the Elbe",
                "partner_id": contact.id,
                "user_id": seller.id,
                "send_info_material": True,
            }
        )
        self.start_tour(
            f"/odoo/action-lead_energy.crm_lead_action_energy_leads/{lead.id}",
            "lead_energy_info_material",
            login=seller.login,
        )
        message = lead.message_ids.filtered(lambda m: m.message_type == "comment")
        self.assertEqual(len(message), 1)
        self.assertEqual(message.partner_ids, contact)
        self.assertEqual(lead.lead_state, "contacted")
        self.assertFalse(lead.send_info_material)
