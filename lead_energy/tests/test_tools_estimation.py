from odoo.tests import BaseCase

from ..tools.estimation import Rules, Site, estimate, price_per_kwp, regional_factor

# The rules of the worked examples: the German defaults, and two regions.
RULES = Rules(regional_factors={"7": 1.05, "79": 1.1, "2": 0.92, "20": 0.9})


class TestEstimationArithmetic(BaseCase):
    """Worked examples of the pre-qualification, computed by hand below each
    one; no database."""

    def test_household_in_freiburg(self):
        # 60 m² facing south, medium pitch, 4,000 kWh a year, postcode 79098.
        found = estimate(
            Site(
                roof_area=60,
                orientation="s",
                pitch="medium",
                consumption=4000,
                postcode="79098",
            ),
            RULES,
        )
        # Roof: 60 / 5.5 = 10.9 kWp; capped by the consumption, 4 MWh × 2.5 = 10.
        self.assertEqual(found.pv_kwp, 10.0)
        # 10 kWp × 1,000 kWh/kWp (south, medium) × 1.1 (prefix 79, not 7).
        self.assertEqual(found.yield_kwh, 11000)
        # 4 MWh × 1.5 kWh per MWh = 6 kWh, within 5–20.
        self.assertEqual(found.battery_kwh, 6.0)
        # r = 11,000 / 4,000 = 2.75, b = 6 / 4 = 1.5:
        # A0 = 0.45 × 2.75 / 3.25 = 0.381; Amax = 0.85 × 2.75 / 3.05 = 0.766;
        # A = 0.381 + (0.766 − 0.381) × (1 − e^(−1.5 / 1.2)) = 0.656.
        self.assertEqual(found.self_sufficiency, 0.381)
        self.assertEqual(found.self_sufficiency_battery, 0.656)
        # Self-consumption = A / r: 0.381 / 2.75 and 0.656 / 2.75.
        self.assertEqual(found.self_consumption, 0.138)
        self.assertEqual(found.self_consumption_battery, 0.239)
        # 10 kWp × 1,500 EUR (up to 10 kWp) + 6 kWh × 700 EUR + 2,000 EUR.
        self.assertEqual(found.investment_eur, 21200)
        self.assertFalse(found.missing)
        explained = {key: params for key, params, _value in found.steps}
        self.assertEqual(
            explained["yield"],
            {"kwp": "10", "specific": "1000", "factor": "1.1", "prefix": "79"},
        )
        self.assertEqual(
            explained["pv_consumption_cap"],
            {"consumption": "4000", "per": "2.5", "installed": "0"},
        )

    def test_commercial_roof_capped_by_the_grid_connection(self):
        found = estimate(
            Site(
                roof_area=1000,
                orientation="e_w",
                pitch="flat",
                consumption=120000,
                grid_kva=100,
                postcode="20095",
            ),
            RULES,
        )
        # Roof 181.8 kWp, consumption 300 kWp, grid 100 kVA × 0.7 = 70 kWp.
        self.assertEqual(found.pv_kwp, 70.0)
        # 70 × 850 (east-west, flat) × 0.9 (prefix 20).
        self.assertEqual(found.yield_kwh, 53550)
        # 120 MWh × 1.5 = 180 kWh, bounded to 20.
        self.assertEqual(found.battery_kwh, 20.0)
        # r = 0.446, b = 0.167: A0 = 0.212, A = 0.251; S = A / r.
        self.assertEqual(found.self_sufficiency, 0.212)
        self.assertEqual(found.self_sufficiency_battery, 0.251)
        self.assertEqual(found.self_consumption, 0.476)
        self.assertEqual(found.self_consumption_battery, 0.562)
        # 70 kWp × 1,050 EUR (30–100 kWp) + 20 × 700 + 2,000.
        self.assertEqual(found.investment_eur, 89500)

    def test_installed_pv_and_battery_count(self):
        found = estimate(
            Site(
                roof_area=80,
                orientation="se_sw",
                pitch="steep",
                consumption=6000,
                existing_pv_kwp=5,
                existing_battery_kwh=10,
            ),
            RULES,
        )
        # Roof 14.5 kWp; consumption 6 × 2.5 = 15 kWp − 5 installed = 10 kWp.
        self.assertEqual(found.pv_kwp, 10.0)
        self.assertEqual(found.yield_kwh, 9000)  # 10 × 900, no region
        # 6 MWh × 1.5 = 9 kWh; the 10 kWh installed cover it: nothing to add.
        self.assertEqual(found.battery_kwh, 0.0)
        # r = 1.5, b = 10 / 6 = 1.67 (the installed battery):
        # A0 = 0.45 × 1.5 / 2 = 0.3375; Amax = 0.85 × 1.5 / 1.8 = 0.7083;
        # A = 0.3375 + 0.3708 × (1 − e^(−1.389)) = 0.6158.
        self.assertEqual(found.self_sufficiency, 0.338)
        self.assertEqual(found.self_sufficiency_battery, 0.616)
        # 10 kWp × 1,500 + 2,000: no storage bought.
        self.assertEqual(found.investment_eur, 17000)

    def test_an_estimate_needs_its_inputs(self):
        found = estimate(Site(roof_area=60), RULES)
        self.assertIsNone(found.pv_kwp)
        self.assertIsNone(found.investment_eur)
        self.assertEqual(
            found.missing,
            ["orientation", "pitch", "consumption"],
        )
        # Without the consumption: size and price from the roof, no battery
        # and no self-sufficiency, and the consumption named as missing.
        found = estimate(Site(roof_area=55, orientation="n", pitch="steep"), RULES)
        self.assertEqual((found.pv_kwp, found.yield_kwh), (10.0, 5500))
        self.assertIsNone(found.battery_kwh)
        self.assertIsNone(found.self_sufficiency)
        self.assertEqual(found.investment_eur, 17000)
        self.assertEqual(found.missing, ["consumption"])

    def test_price_bands_and_regions(self):
        bands = RULES.eur_per_kwp
        self.assertEqual(
            [price_per_kwp(kwp, bands) for kwp in (10, 10.1, 30, 100, 100.1)],
            [1500, 1250, 1250, 1050, 900],
        )
        factors = RULES.regional_factors
        self.assertEqual(regional_factor("79098", factors), (1.1, "79"))
        self.assertEqual(regional_factor("70173", factors), (1.05, "7"))
        self.assertEqual(regional_factor("10115", factors), (1.0, ""))
        self.assertEqual(regional_factor("", factors), (1.0, ""))
