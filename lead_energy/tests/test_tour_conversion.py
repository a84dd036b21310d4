from odoo.tests import HttpCase, new_test_user, tagged


class ConversionTourCase(HttpCase):
    tour = "lead_energy_conversion"

    def test_convert_a_trade_fair_lead_into_a_quotation(self):
        seller = new_test_user(
            self.env,
            login="le_convert_seller",
            name="Conny Converter",
            groups="sales_team.group_sale_salesman_all_leads",
            tour_enabled=False,
        )
        lead = self.env["crm.lead"].create(
            {
                "type": "lead",
                "name": "Agri-PV at the Elbe",
                "partner_name": "Solarpark Elbaue eG",
                "contact_name": "Henrik Brandt",
                "email_from": "brandt@solarpark-elbaue.example",
                "city": "Dessau",
                "user_id": seller.id,
            }
        )
        self.start_tour(
            f"/odoo/action-lead_energy.crm_lead_action_energy_leads/{lead.id}",
            self.tour,
            login=seller.login,
        )
        contact = lead.partner_id
        self.assertEqual(contact.name, "Henrik Brandt")
        self.assertEqual(contact.parent_id.name, "Solarpark Elbaue eG")
        self.assertEqual(contact.parent_id.city, "Dessau")
        self.assertEqual(lead.lead_state, "converted")
        self.assertEqual(lead.type, "opportunity")  # the inquiry
        self.assertEqual(len(lead.order_ids), 1)
        self.assertEqual(lead.order_ids.state, "draft")
        self.assertEqual(lead.order_ids.partner_id, contact.parent_id)


@tagged("post_install", "-at_install")
class TestConversionTour(ConversionTourCase):
    pass


@tagged("post_install", "-at_install")
class TestConversionTourPhone(ConversionTourCase):
    tour = "lead_energy_conversion_phone"
    browser_size = "375x667"
    touch_enabled = True
