from lxml import etree

from odoo.exceptions import UserError
from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval

from .common import LeadEnergyCase


@tagged("post_install", "-at_install")
class TestLeadState(LeadEnergyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reason = cls.env["crm.lost.reason"].create(
            {"name": "Went with a competitor"}
        )

    def lost_button_action(self, lead, user):
        """What the web client opens for the Lost button of the lead form: the
        button's action, with the button's context and the action's own context
        evaluated for the lead, as the client passes them."""
        view = self.env.ref("lead_energy.crm_lead_view_form_energy")
        arch = self.env["crm.lead"].with_user(user).get_views([(view.id, "form")])
        (button,) = etree.fromstring(arch["views"]["form"]["arch"]).xpath(
            "//header/button[@string='Lost']"
        )
        self.assertEqual(button.get("type"), "action")
        action = self.env["ir.actions.act_window"].browse(int(button.get("name")))
        eval_context = {
            "active_id": lead.id,
            "active_ids": lead.ids,
            "active_model": lead._name,
            "uid": user.id,
            "context": {},
        }
        context = {
            "active_id": lead.id,
            "active_ids": lead.ids,
            "active_model": lead._name,
            **safe_eval(button.get("context") or "{}", eval_context),
        }
        eval_context["context"] = context
        context.update(safe_eval(action.context or "{}", {**eval_context, **context}))
        return action, context

    def lose(self, lead, reason=None, user=None):
        user = user or self.salesman
        action, context = self.lost_button_action(lead, user)
        wizard = Form(
            self.env[action.res_model].with_user(user).with_context(**context),
            view=action.view_id,
        )
        if reason:
            wizard.lost_reason_id = reason
        return wizard.save().action_lost_reason_apply()

    def test_new_lead_is_open(self):
        lead = self.create_lead()
        self.assertEqual(lead.lead_state, "open")

    def test_open_contacted_qualified(self):
        lead = self.create_lead()
        lead.with_user(self.salesman).action_mark_contacted()
        self.assertEqual(lead.lead_state, "contacted")
        self.assertTrue(lead.date_contacted)
        self.assertFalse(lead.date_qualified)
        lead.with_user(self.salesman).action_mark_qualified()
        self.assertEqual(lead.lead_state, "qualified")
        self.assertTrue(lead.date_qualified)

    def test_open_may_be_qualified_directly(self):
        lead = self.create_lead()
        lead.with_user(self.salesman).write({"lead_state": "qualified"})
        self.assertEqual(lead.lead_state, "qualified")

    def test_forbidden_transitions_are_refused_on_the_server(self):
        lead = self.create_lead()
        lead.action_mark_qualified()
        cases = [
            ("contacted", "cannot go from Qualified to Contacted"),
            ("open", "Restore"),
            ("closed", "Lost and a reason"),
            ("converted", "converted into an opportunity"),
        ]
        for state, message in cases:
            with self.subTest(state=state), self.assertRaisesRegex(UserError, message):
                lead.with_user(self.salesman).write({"lead_state": state})
        self.assertEqual(lead.lead_state, "qualified")
        with self.assertRaisesRegex(UserError, "cannot go from Qualified to Contacted"):
            lead.with_user(self.salesman).action_mark_contacted()

    def test_new_lead_cannot_start_closed_or_converted(self):
        for state in ("closed", "converted"):
            with self.subTest(state=state), self.assertRaises(UserError):
                self.create_lead(lead_state=state)

    def test_close_with_lost_reason(self):
        lead = self.create_lead()
        lead.action_mark_contacted()
        self.lose(lead, self.reason)
        self.assertEqual(lead.lead_state, "closed")
        self.assertFalse(lead.active)
        self.assertEqual(lead.lost_reason_id, self.reason)
        self.assertTrue(lead.date_closed)

    def test_close_without_reason_is_refused(self):
        lead = self.create_lead()
        with self.assertRaisesRegex(UserError, "lost reason"):
            lead.with_user(self.salesman).action_set_lost()
        with self.assertRaisesRegex(UserError, "closed with Lost and a reason"):
            lead.with_user(self.salesman).action_archive()
        self.assertTrue(lead.active)
        self.assertEqual(lead.lead_state, "open")

    def test_lost_wizard_requires_reason_in_the_form(self):
        lead = self.create_lead()
        with self.assertRaises(AssertionError):
            self.lose(lead)  # Form refuses to save without the required reason
        self.assertTrue(lead.active)

    def test_restore_reopens(self):
        lead = self.create_lead()
        lead.action_mark_qualified()
        self.lose(lead, self.reason)
        lead.with_user(self.salesman).action_unarchive()
        self.assertTrue(lead.active)
        self.assertEqual(lead.lead_state, "open")
        self.assertFalse(lead.lost_reason_id)

    def test_convert_to_opportunity_sets_converted(self):
        lead = self.create_lead(contact_name="Eva Bauer", partner_name="Bauer Agrar")
        wizard = Form(
            self.env["crm.lead2opportunity.partner"]
            .with_user(self.salesman)
            .with_context(
                active_model="crm.lead", active_id=lead.id, active_ids=lead.ids
            )
        )
        wizard.name = "convert"
        wizard.action = "nothing"
        wizard.save().action_apply()
        self.assertEqual(lead.type, "opportunity")
        self.assertEqual(lead.lead_state, "converted")
        self.assertTrue(lead.date_conversion)
        action = self.env.ref("lead_energy.crm_lead_action_energy_leads")
        self.assertIn(lead, self.env["crm.lead"].search(safe_eval(action.domain)))
        # CRM's opportunity form keeps the number and what the lead captured.
        opportunity_form = Form(lead.with_user(self.salesman))
        self.assertEqual(opportunity_form.lead_number, lead.lead_number)
        self.assertEqual(opportunity_form.lead_state, "converted")

    def test_state_changes_are_tracked_in_the_chatter(self):
        lead = self.create_lead()
        # As in two requests: tracking is written when the transaction ends.
        self.env.cr.precommit.run()
        lead.with_user(self.salesman).action_mark_contacted()
        self.env.cr.precommit.run()
        lead.invalidate_recordset(["message_ids"])
        tracked = lead.sudo().message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "lead_state"
        )
        self.assertEqual(tracked.old_value_char, "Open")
        self.assertEqual(tracked.new_value_char, "Contacted")

    def test_data_files_create_leads_in_their_final_state(self):
        """Module data (the demo leads) may create a closed lead with its dates;
        the same values in a client's import or create are refused."""
        values = {
            "name": "Demo: closed lead",
            "type": "lead",
            "lead_state": "closed",
            "active": False,
            "date_contacted": "2026-01-05 10:00:00",
        }
        [lead] = self.env["crm.lead"]._load_records(
            [{"xml_id": "lead_energy.test_closed_demo_lead", "values": dict(values)}]
        )
        self.assertEqual((lead.lead_state, lead.active), ("closed", False))
        self.assertEqual(str(lead.date_contacted), "2026-01-05 10:00:00")
        with self.assertRaises(UserError):
            self.Lead.with_user(self.salesman).create(dict(values))
        result = self.Lead.with_user(self.salesman).load(
            ["name", "type", "lead_state"], [["Imported lead", "lead", "closed"]]
        )
        self.assertFalse(result["ids"])
