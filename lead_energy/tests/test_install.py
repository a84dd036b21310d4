from odoo.modules.module import get_manifest
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import convert_file
from odoo.tools.safe_eval import safe_eval

from ..hooks import pre_init_hook


@tagged("post_install", "-at_install")
class TestInstall(TransactionCase):
    def test_module_installed_with_dependencies(self):
        modules = self.env["ir.module.module"].search(
            [("name", "in", ["lead_energy", "crm", "sale_crm", "calendar", "sms"])]
        )
        self.assertEqual(
            {m.name: m.state for m in modules},
            dict.fromkeys(
                ["lead_energy", "crm", "sale_crm", "calendar", "sms"], "installed"
            ),
        )

    def test_leads_enabled_for_new_internal_users(self):
        user = new_test_user(self.env, login="le_new_seller", groups="base.group_user")
        self.assertTrue(user.has_group("crm.group_use_lead"))
        self.assertIn(
            self.env.ref("crm.group_use_lead"),
            self.env.ref("base.group_user").implied_ids,
        )

    def test_upgrade_keeps_leads_switched_off_by_the_administrator(self):
        self.env["res.config.settings"].create({"group_use_lead": False}).execute()
        leads_group = self.env.ref("crm.group_use_lead")
        self.assertNotIn(leads_group, self.env.ref("base.group_user").implied_ids)
        # An upgrade loads every data file of the module again.
        manifest = get_manifest("lead_energy")
        for filename in manifest["data"]:
            convert_file(self.env, "lead_energy", filename, {}, mode="update")
        self.assertNotIn(leads_group, self.env.ref("base.group_user").implied_ids)
        self.assertFalse(
            new_test_user(self.env, login="le_no_leads").has_group("crm.group_use_lead")
        )

    def test_salesman_reaches_the_energy_leads_menu(self):
        seller = new_test_user(
            self.env, login="le_seller", groups="sales_team.group_sale_salesman"
        )
        menu = self.env.ref("lead_energy.crm_lead_menu_energy_leads")
        capture = self.env.ref("lead_energy.crm_lead_menu_capture")
        visible = self.env["ir.ui.menu"].with_user(seller)._visible_menu_ids()
        self.assertIn(menu.id, visible)
        self.assertIn(capture.id, visible)
        employee = new_test_user(
            self.env, login="le_employee", groups="base.group_user"
        )
        hidden = self.env["ir.ui.menu"].with_user(employee)._visible_menu_ids()
        self.assertNotIn(menu.id, hidden)
        self.assertNotIn(capture.id, hidden)

    def test_energy_leads_action_lists_leads_and_converted_leads(self):
        action = self.env.ref("lead_energy.crm_lead_action_energy_leads")
        leads = self.env["crm.lead"].with_context(**safe_eval(action.context))
        lead = leads.create({"name": "Rooftop PV"})
        self.assertEqual(lead.type, "lead")
        converted = leads.create({"name": "Carport PV"})
        converted.convert_opportunity(self.env["res.partner"])
        opportunity = leads.create({"name": "Wind farm", "type": "opportunity"})
        found = leads.search(safe_eval(action.domain))
        self.assertIn(lead, found)
        self.assertIn(converted, found)
        self.assertNotIn(opportunity, found)

    def test_install_reuses_a_source_of_the_same_name(self):
        # A database that had "Referral" before the module came: installing
        # links the module's source to it instead of adding "Referral [2]".
        referral = self.env.ref("lead_energy.utm_source_referral")
        self.env["ir.model.data"].search(
            [("module", "=", "lead_energy"), ("name", "=", "utm_source_referral")]
        ).unlink()
        pre_init_hook(self.env)
        self.assertEqual(self.env.ref("lead_energy.utm_source_referral"), referral)
        self.assertEqual(
            self.env["utm.source"].search_count([("name", "=like", "Referral%")]), 1
        )
