from odoo.tests import Form, tagged

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

    # -- the volume rating follows the estimate --------------------------------

    def volume(self, key):
        return self.env.ref(f"lead_energy.crm_lead_scoring_option_volume_{key}")

    def test_the_estimate_chooses_the_volume_and_the_score_follows(self):
        form = self.lead_form()
        form.name = "Family house"
        form.influence_option_id = self.env.ref(
            "lead_energy.crm_lead_scoring_option_influence_decision_maker"
        )
        score_unrated = form.lead_score
        form.roof_area = 60
        form.roof_orientation = "s"
        form.roof_pitch = "medium"
        form.annual_consumption = 4000
        # 21,200 EUR (see the first test): €10,000–50,000.
        self.assertEqual(form.volume_option_id, self.volume("10k_50k"))
        self.assertGreater(form.lead_score, score_unrated)
        lead = form.save()
        self.assertFalse(lead.volume_chosen_by_hand)  # the client sent it back
        # A commercial roof: 70 kWp, 89,500 EUR: €50,000–250,000.
        score = lead.lead_score
        lead.write(
            {
                "roof_area": 1000,
                "annual_consumption": 120000,
                "grid_connection_kva": 100,
            }
        )
        self.assertEqual(lead.volume_option_id, self.volume("50k_250k"))
        self.assertGreater(lead.lead_score, score)

    def test_a_volume_chosen_by_hand_stays(self):
        lead = self.create_lead(roof_area=60, roof_orientation="s", roof_pitch="medium")
        self.assertEqual(lead.volume_option_id, self.volume("10k_50k"))
        lead.with_user(self.salesman).volume_option_id = self.volume("gt_250k")
        self.assertTrue(lead.volume_chosen_by_hand)
        lead.roof_area = 20
        self.assertEqual(lead.volume_option_id, self.volume("gt_250k"))
        # Let the estimate choose again: 20 m² / 5.5 = 3.6 kWp; 3.6 × 1,500 + 2,000
        # = 7,400 EUR, under €10,000.
        lead.volume_chosen_by_hand = False
        self.assertEqual(lead.estimated_investment, 7400)
        self.assertEqual(lead.volume_option_id, self.volume("lt_10k"))
        # Chosen at creation, against the estimate: by hand too.
        other = self.create_lead(
            roof_area=60,
            roof_orientation="s",
            roof_pitch="medium",
            volume_option_id=self.volume("lt_10k").id,
        )
        self.assertTrue(other.volume_chosen_by_hand)
        self.assertEqual(other.volume_option_id, self.volume("lt_10k"))

    def test_a_rule_change_recomputes_the_leads_volume_and_score(self):
        lead = self.create_lead(
            roof_area=60, roof_orientation="s", roof_pitch="medium", zip="79098"
        )
        # 10.9 kWp × 1,250 (10–30 kWp) + 2,000 = 15,625 EUR: €10,000–50,000.
        self.assertEqual(lead.estimated_investment, 15625)
        self.assertEqual(lead.volume_option_id, self.volume("10k_50k"))
        score = lead.lead_score
        rules = self.env.ref("lead_energy.crm_energy_estimation_main")
        band = self.env.ref("lead_energy.crm_energy_estimation_price_30")
        # The manager's form: the price band and the fixed costs together.
        rules.with_user(self.manager).write(
            {
                "fixed_costs_eur": 45000,
                "price_ids": [(1, band.id, {"eur_per_kwp": 1500})],
            }
        )
        # 10.9 × 1,500 + 45,000 = 61,350 EUR: €50,000–250,000; the score follows.
        self.assertEqual(lead.estimated_investment, 61350)
        self.assertEqual(lead.volume_option_id, self.volume("50k_250k"))
        self.assertGreater(lead.lead_score, score)
        # A regional factor changes the yield of the leads of its region.
        yield_before = lead.estimated_yield_kwh
        region = self.env.ref("lead_energy.crm_energy_estimation_region_7")
        region.with_user(self.manager).factor = 1.1
        self.assertGreater(lead.estimated_yield_kwh, yield_before)

    # -- the offer's suggested lines ---------------------------------------------

    def test_the_offer_suggests_lines_from_the_mapping(self):
        Product = self.env["product.product"]
        modules, storage, wallbox, install = Product.create(
            [
                {"name": "PV module package (per kWp)", "sale_ok": True},
                {"name": "Battery storage (per kWh)", "sale_ok": True},
                {"name": "Wallbox 11 kW", "sale_ok": True},
                {"name": "Installation", "sale_ok": True},
            ]
        )
        storage_interest = self.env.ref(
            "lead_energy.crm_energy_interest_battery_storage"
        )
        smart_home = self.env.ref("lead_energy.crm_energy_interest_smart_home")
        self.env["crm.energy.offer.line"].create(
            [
                {"product_id": modules.id, "quantity_from": "pv_kwp", "sequence": 1},
                {
                    "product_id": storage.id,
                    "quantity_from": "battery_kwh",
                    "interest_id": storage_interest.id,
                    "sequence": 2,
                },
                {
                    "product_id": wallbox.id,
                    "quantity_from": "one",
                    "interest_id": smart_home.id,
                    "sequence": 3,
                },
                {"product_id": install.id, "quantity_from": "one", "sequence": 4},
            ]
        )
        customer = self.env["res.partner"].create({"name": "Familie Korn"})
        lead = self.create_lead(
            partner_id=customer.id,
            roof_area=60,
            roof_orientation="s",
            roof_pitch="medium",
            annual_consumption=4000,
            interest_ids=[(6, 0, storage_interest.ids)],
        )
        lead._set_lead_state("converted")
        action = lead.with_user(self.salesman).action_create_offer()
        order = Form(
            self.env["sale.order"]
            .with_user(self.salesman)
            .with_context(**action["context"])
        ).save()
        # 10 kWp of modules, 6 kWh of storage (the lead wants storage), no
        # wallbox (no smart home interest), one installation.
        self.assertEqual(
            [(line.product_id, line.product_uom_qty) for line in order.order_line],
            [(modules, 10.0), (storage, 6.0), (install, 1.0)],
        )

    def test_merge_keeps_the_site(self):
        site = {"roof_area": 60, "roof_orientation": "s", "roof_pitch": "medium"}
        with_site = self.create_lead(user=self.salesman_all, **site)
        without = self.create_lead(user=self.salesman_all, annual_consumption=4000)
        merged = self.merge(with_site | without)
        self.assertEqual(
            (merged.roof_area, merged.roof_orientation, merged.annual_consumption),
            (60, "s", 4000),
        )
        self.assertEqual(merged.estimated_investment, 21200)

    def test_the_stars_follow_a_score_the_estimate_changed(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "lead_energy.score_sets_priority", "True"
        )
        lead = self.create_lead(**self.high_score_rating())
        lead.volume_option_id = False  # 80 of 120 points without the volume
        lead.volume_chosen_by_hand = False
        stars = lead.priority
        lead.write(
            {
                "roof_area": 5000,
                "roof_orientation": "s",
                "roof_pitch": "flat",
                "annual_consumption": 900000,
            }
        )
        self.assertEqual(lead.volume_option_id, self.volume("gt_250k"))
        self.assertGreater(lead.priority, stars)
