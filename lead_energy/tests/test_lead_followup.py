import json
import logging
from datetime import timedelta

from odoo import fields
from odoo.tests import new_test_user, tagged

from ..models.mail_thread import INBOX_ONLY
from ..tools.internal_flow import internal_context
from .common import ALL_LEADS, LeadEnergyCase


@tagged("post_install", "-at_install")
class TestFollowupReminder(LeadEnergyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.follower = cls.sales_user(
            "le_followup", "Fiona Follow-up", ALL_LEADS, notification_type="email"
        )
        cls.today = fields.Date.today()
        cls.yesterday = cls.today - timedelta(days=1)
        cls.reason = cls.env["crm.lost.reason"].create({"name": "No budget"})
        # Start from a clean slate: remind the overdue leads of the demo data.
        while cls.env["crm.lead"]._cron_notify_overdue_followups():
            pass

    def overdue_lead(self, **values):
        values = {
            "followup_user_id": self.follower.id,
            "followup_deadline": self.yesterday,
            "partner_name": "Stadtwerke Rheinau GmbH",
            **values,
        }
        return self.create_lead(**values)

    def reminders(self, lead):
        self.env.flush_all()
        return self.env["mail.notification"].search(
            [
                ("res_partner_id", "=", self.follower.partner_id.id),
                ("notification_type", "=", "inbox"),
                ("mail_message_id.model", "=", "crm.lead"),
                ("mail_message_id.res_id", "=", lead.id),
                ("mail_message_id.message_type", "=", "user_notification"),
            ]
        )

    def run_cron(self, batch_size=500):
        """Call the reminder like the cron runner: batch after batch."""
        total = 0
        while done := self.env["crm.lead"]._cron_notify_overdue_followups(batch_size):
            total += done
        return total

    def test_due_yesterday_is_reminded_in_the_inbox(self):
        lead = self.overdue_lead()
        self.run_cron()
        reminder = self.reminders(lead)
        self.assertEqual(len(reminder), 1)
        message = reminder.mail_message_id
        self.assertIn("Stadtwerke Rheinau GmbH", message.subject)
        self.assertIn(lead.lead_number, message.body)
        self.assertEqual(lead.followup_notified_date, self.yesterday)
        # Inbox only, although the employee prefers e-mail.
        self.assertFalse(
            self.env["mail.mail"].search([("mail_message_id", "=", message.id)])
        )

    def test_due_today_is_not_reminded(self):
        lead = self.overdue_lead(followup_deadline=self.today)
        self.run_cron()
        self.assertFalse(self.reminders(lead))

    def test_closed_and_converted_are_left_alone(self):
        closed = self.overdue_lead()
        closed.action_set_lost(lost_reason_id=self.reason.id)
        converted = self.overdue_lead()
        converted.convert_opportunity(self.env["res.partner"])
        self.assertEqual(
            (closed.lead_state, converted.lead_state), ("closed", "converted")
        )
        self.run_cron()
        self.assertFalse(self.reminders(closed))
        self.assertFalse(self.reminders(converted))

    def test_without_followup_employee_not_reminded_but_listed(self):
        lead = self.overdue_lead(followup_user_id=False)
        self.run_cron()
        self.assertFalse(
            self.env["mail.message"].search(
                [
                    ("model", "=", "crm.lead"),
                    ("res_id", "=", lead.id),
                    ("message_type", "=", "user_notification"),
                ]
            )
        )
        self.assertIn(
            lead,
            self.Lead.search(
                [
                    ("followup_user_id", "=", False),
                    ("lead_state", "in", ("open", "contacted", "qualified")),
                ]
            ),
        )

    def test_reminded_once_per_date_and_again_when_moved(self):
        lead = self.overdue_lead()
        self.run_cron()
        self.run_cron()
        self.assertEqual(len(self.reminders(lead)), 1)
        # Moved later: nothing until the new date has passed...
        lead.with_user(self.follower).followup_deadline = self.today + timedelta(days=3)
        self.run_cron()
        self.assertEqual(len(self.reminders(lead)), 1)
        # ...then one more reminder.
        lead.with_user(self.follower).followup_deadline = self.yesterday - timedelta(
            days=1
        )
        self.run_cron()
        self.assertEqual(len(self.reminders(lead)), 2)

    def test_business_partner_named_before_company(self):
        customer = self.env["res.partner"].create(
            {"name": "Bürgerwind Hohe Heide eG", "is_company": True}
        )
        contact = self.env["res.partner"].create(
            {"name": "Jens Hansen", "parent_id": customer.id}
        )
        with_partner = self.overdue_lead(partner_id=contact.id)
        without = self.overdue_lead()
        self.run_cron()
        self.assertIn(
            "Bürgerwind Hohe Heide eG",
            self.reminders(with_partner).mail_message_id.subject,
        )
        self.assertIn(
            "Stadtwerke Rheinau GmbH", self.reminders(without).mail_message_id.subject
        )

    def test_reminder_in_the_recipients_language(self):
        self.env["res.lang"]._activate_lang("de_DE")
        self.env["ir.module.module"]._load_module_terms(
            ["lead_energy"], ["de_DE"], overwrite=True
        )
        self.follower.lang = "de_DE"
        lead = self.overdue_lead(followup_deadline=fields.Date.to_date("2026-03-05"))
        self.run_cron()
        message = self.reminders(lead).mail_message_id
        self.assertIn("Nachbetreuung überfällig", message.subject)
        self.assertIn("05.03.2026", message.body)

    def test_batches_cover_every_overdue_lead(self):
        leads = self.Lead.create(
            [
                {
                    "name": f"Overdue {i}",
                    "followup_user_id": self.follower.id,
                    "followup_deadline": self.yesterday,
                }
                for i in range(7)
            ]
        )
        Lead = self.env["crm.lead"]
        self.assertEqual(Lead._cron_notify_overdue_followups(batch_size=3), 3)
        self.assertEqual(self.run_cron(batch_size=3), 4)
        self.assertTrue(all(lead.followup_notified_date for lead in leads))

    def test_each_reminder_is_a_notification_of_its_own_employee(self):
        """More leads than a batch's prefetch group, for two employees: every
        lead gets one reminder, in its employee's inbox (unread) and pushed live
        to that employee only."""
        other = new_test_user(
            self.env,
            login="le_followup_2",
            name="Olaf Other",
            groups="sales_team.group_sale_salesman_all_leads",
        )
        employees = [self.follower, other]
        leads = self.Lead.create(
            [
                {
                    "name": f"Overdue {i}",
                    "followup_user_id": employees[i % 2].id,
                    "followup_deadline": self.yesterday,
                }
                for i in range(120)
            ]
        )
        self.env.cr.precommit.run()  # pushes of the creation, not wanted below
        self.env["bus.bus"].search([]).unlink()
        self.assertEqual(self.run_cron(batch_size=500), 120)
        self.env.cr.precommit.run()  # the cron runner's commit writes the pushes
        inbox = {
            employee: self.env["mail.message"]
            .with_user(employee)
            .search([("needaction", "=", True)])
            for employee in employees
        }
        for lead in leads:
            employee = lead.followup_user_id
            message = self.env["mail.message"].search(
                [
                    ("model", "=", "crm.lead"),
                    ("res_id", "=", lead.id),
                    ("message_type", "=", "user_notification"),
                ]
            )
            self.assertEqual(len(message), 1, lead.name)
            self.assertEqual(message.author_id, self.env.ref("base.partner_root"))
            self.assertEqual(message.subtype_id, self.env.ref("mail.mt_note"))
            self.assertEqual(
                message.notification_ids.mapped(
                    lambda n: (n.res_partner_id, n.notification_type, n.is_read)
                ),
                [(employee.partner_id, "inbox", False)],
            )
            self.assertIn(message, inbox[employee])
        pushed = {}
        for push in self.env["bus.bus"].search([]):
            content = json.loads(push.message)
            if content["type"] == "mail.message/inbox":
                (message_values,) = content["payload"]["mail.message"]
                channel = json.loads(push.channel)
                pushed[message_values["res_id"]] = channel[1:]
        self.assertEqual(
            pushed,
            {
                lead.id: ["res.partner", lead.followup_user_id.partner_id.id]
                for lead in leads
            },
        )

    def test_reminder_is_the_message_message_notify_would_post(self):
        """The batch builds message_notify's values itself: any difference to
        what Odoo's message_notify posts (after an Odoo update) shows here."""
        lead = self.overdue_lead()
        self.run_cron()
        reminder = self.reminders(lead).mail_message_id
        Lead = lead.sudo().with_context(**internal_context(INBOX_ONLY))
        notified = Lead.message_notify(
            partner_ids=self.follower.partner_id.ids,
            author_id=reminder.author_id.id,
            subject=reminder.subject,
            body=reminder.body,
        )
        # What differs between any two messages (and who ran the test's call).
        ignored = {"id", "date", "message_id", "create_date", "write_date"}
        ignored |= {"create_uid", "write_uid", "notification_ids"}
        names = [
            name
            for name, field in reminder._fields.items()
            if field.store and name not in ignored and field.type != "one2many"
        ]
        expected = notified.read(names)[0]
        actual = reminder.read(names)[0]
        self.assertEqual(
            {name: actual[name] for name in names if actual[name] != expected[name]},
            {},
        )
        self.assertEqual(
            reminder.notification_ids.mapped(
                lambda n: (n.res_partner_id, n.notification_type, n.notification_status)
            ),
            notified.notification_ids.mapped(
                lambda n: (n.res_partner_id, n.notification_type, n.notification_status)
            ),
        )

    def test_cron_record_runs_the_reminder(self):
        lead = self.overdue_lead()
        cron = self.env.ref("lead_energy.ir_cron_notify_overdue_followups")
        self.assertEqual((cron.interval_number, cron.interval_type), (1, "days"))
        cron.method_direct_trigger()
        self.assertEqual(len(self.reminders(lead)), 1)

    def test_past_followup_date_is_accepted_with_a_warning(self):
        yesterday = fields.Date.today() - timedelta(days=1)
        form = self.lead_form()
        form.name = "Smart home for a villa"
        with self.assertLogs("odoo.tests.form.onchange", level=logging.WARNING) as logs:
            form.followup_deadline = yesterday
        self.assertIn("has already passed", "\n".join(logs.output))
        lead = form.save()
        self.assertEqual(lead.followup_deadline, yesterday)
        self.assertTrue(lead.is_followup_overdue)
        self.assertIn(lead, self.Lead.search([("is_followup_overdue", "=", True)]))

    def test_followup_overdue_excludes_closed_and_future(self):
        yesterday = fields.Date.today() - timedelta(days=1)
        tomorrow = fields.Date.today() + timedelta(days=1)
        overdue = self.create_lead(followup_deadline=yesterday)
        future = self.create_lead(followup_deadline=tomorrow)
        none = self.create_lead()
        self.assertTrue(overdue.is_followup_overdue)
        self.assertFalse(future.is_followup_overdue)
        not_overdue = self.Lead.search([("is_followup_overdue", "=", False)])
        self.assertIn(future, not_overdue)
        self.assertIn(none, not_overdue)
        self.assertNotIn(overdue, not_overdue)
