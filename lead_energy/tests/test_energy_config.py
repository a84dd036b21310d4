from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import LeadEnergyCase


@tagged("post_install", "-at_install")
class TestEnergyConfiguration(LeadEnergyCase):
    def test_default_interests_and_types(self):
        interests = self.env["crm.energy.interest"].search([])
        self.assertEqual(
            interests.with_context(lang="en_US").mapped("name")[:5],
            [
                "Photovoltaics",
                "Wind Power",
                "Energy Management",
                "Smart Home Products",
                "Battery Storage Systems",
            ],
        )
        self.assertEqual(len(self.env["crm.energy.lead.type"].search([])), 4)

    def test_salesman_reads_but_cannot_change_configuration(self):
        for model in ("crm.energy.interest", "crm.energy.lead.type"):
            records = self.env[model].with_user(self.salesman)
            with self.subTest(model=model):
                self.assertTrue(records.search([]))
                with self.assertRaises(AccessError):
                    records.create({"name": "Heat Pumps"})
                with self.assertRaises(AccessError):
                    records.search([], limit=1).write({"name": "Renamed"})
                with self.assertRaises(AccessError):
                    records.search([], limit=1).unlink()

    def test_manager_adds_an_interest_and_a_salesman_uses_it(self):
        heat_pumps = (
            self.env["crm.energy.interest"]
            .with_user(self.manager)
            .create({"name": "Heat Pumps", "sequence": 60})
        )
        lead = self.create_lead(interest_ids=[(4, heat_pumps.id)])
        self.assertEqual(lead.interest_ids, heat_pumps)
        lead_type = (
            self.env["crm.energy.lead.type"]
            .with_user(self.manager)
            .create({"name": "Housing Association"})
        )
        lead.with_user(self.salesman).lead_type_id = lead_type
        self.assertEqual(lead.lead_type_id, lead_type)

    def test_archived_interest_stays_on_existing_leads(self):
        storage = self.env.ref("lead_energy.crm_energy_interest_battery_storage")
        lead = self.create_lead(interest_ids=[(4, storage.id)])
        storage.with_user(self.manager).action_archive()
        self.assertNotIn(storage, self.env["crm.energy.interest"].search([]))
        self.assertEqual(lead.interest_ids, storage)

    def test_interests_in_german(self):
        self.env["res.lang"]._activate_lang("de_DE")
        self.env["ir.module.module"]._load_module_terms(
            ["lead_energy"], ["de_DE"], overwrite=True
        )
        interest = self.env.ref("lead_energy.crm_energy_interest_photovoltaics")
        self.assertEqual(interest.with_context(lang="de_DE").name, "Photovoltaik")

    def test_saving_the_settings_answers_over_xml_rpc(self):
        settings = self.env["res.config.settings"].create(
            {"lead_energy_stale_days": 21}
        )
        self.assertIs(settings.set_values(), True)
        self.assertEqual(
            self.env["ir.config_parameter"].get_param("lead_energy.stale_days"), "21"
        )
