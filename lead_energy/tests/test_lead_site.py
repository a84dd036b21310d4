from odoo.tests import tagged

from .common import LeadEnergyCase


@tagged("post_install", "-at_install")
class TestLeadSite(LeadEnergyCase):
    """The site and consumption of a lead give its first estimate, from the
    company's estimation rules (Germany's defaults in the data)."""

    def test_the_form_shows_the_estimate_as_the_site_is_filled_in(self):
        form = self.lead_form()
        form.name = "PV for a family house in Freiburg"
        form.roof_area = 60
        form.roof_orientation = "s"
        self.assertFalse(form.estimated_pv_kwp)
        self.assertIn("roof pitch", form.estimate_breakdown)
        form.roof_pitch = "medium"
        form.annual_consumption = 4000
        form.site_postcode = "79098"
        # 60 / 5.5 = 10.9 kWp, capped at 4 MWh × 2.5 = 10 kWp; 10 × 1,000 kWh
        # × 1.05 (postcodes 7…); 6 kWh battery; 10 × 1,500 + 6 × 700 + 2,000.
        self.assertEqual(form.estimated_pv_kwp, 10.0)
        self.assertEqual(form.estimated_yield_kwh, 10500)
        self.assertEqual(form.estimated_battery_kwh, 6.0)
        self.assertEqual(form.estimated_investment, 21200)
        self.assertIn(
            "10 kWp × 1000 kWh/kWp × 1.05 (postcode 7…)", form.estimate_breakdown
        )
        lead = form.save()
        self.assertEqual(lead.estimated_investment, 21200)

    def test_the_site_postcode_defaults_to_the_leads(self):
        lead = self.create_lead(zip="20095")
        self.assertEqual(lead.site_postcode, "20095")
        lead.site_postcode = "79098"
        lead.zip = "10115"
        self.assertEqual(lead.site_postcode, "79098")

    def test_a_manager_changes_the_rules(self):
        rules = self.env.ref("lead_energy.crm_energy_estimation_main")
        rules.with_user(self.manager).fixed_costs_eur = 3000
        lead = self.create_lead(
            roof_area=55, roof_orientation="n", roof_pitch="steep", zip="10115"
        )
        # 10 kWp × 550 × 0.98 (postcodes 1…); 10 × 1,500 + 3,000, no battery.
        self.assertEqual(lead.estimated_yield_kwh, 5390)
        self.assertEqual(lead.estimated_investment, 18000)
        self.assertFalse(lead.estimated_battery_kwh)
