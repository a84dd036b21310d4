from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestGermanTranslation(TransactionCase):
    def test_german_terms_load(self):
        self.env["res.lang"]._activate_lang("de_DE")
        self.env["ir.module.module"]._load_module_terms(
            ["lead_energy"], ["de_DE"], overwrite=True
        )
        menu = self.env.ref("lead_energy.crm_lead_menu_energy_leads")
        self.assertEqual(menu.with_context(lang="de_DE").name, "Energie-Leads")
        self.assertEqual(menu.with_context(lang="en_US").name, "Energy Leads")
