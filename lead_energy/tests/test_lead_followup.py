import json
import logging
from datetime import timedelta
from unittest.mock import patch

from dateutil.relativedelta import relativedelta
from lxml import etree

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.osv import expression
from odoo.tests import new_test_user, tagged
from odoo.tools.safe_eval import datetime as safe_datetime
from odoo.tools.safe_eval import safe_eval
from odoo.tools.safe_eval import time as safe_time

from odoo.addons.mail.tools.discuss import Store

from ..models.mail_thread import INBOX_ONLY
from ..tools.internal_flow import internal_context
from .common import ALL_LEADS, OWN_LEADS, LeadEnergyCase


class FollowupCase(LeadEnergyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.follower = cls.sales_user(
            "le_followup", "Fiona Follow-up", ALL_LEADS, notification_type="email"
        )
        # "Today" as the cron sees it: in its user's time zone.
        cls.today = fields.Date.context_today(cls.env["crm.lead"])
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

    def search_filters(self, user):
        """The filters of the module's Energy Leads search view, by name, each
        with its domain evaluated as the web client does for ``user``."""
        view = self.env.ref("lead_energy.crm_lead_view_search_energy")
        own = {
            node.get("name")
            for node in etree.fromstring(view.arch).iter("filter")
            if node.get("domain")
        }
        Lead = self.env["crm.lead"].with_user(user)
        arch = Lead.get_views([(view.id, "search")])["views"]["search"]["arch"]
        context = dict(Lead.env.context, uid=user.id)
        eval_context = {
            "uid": user.id,
            "context": context,
            "context_today": lambda: fields.Date.context_today(Lead),
            "current_date": fields.Date.to_string(fields.Date.context_today(Lead)),
            "datetime": safe_datetime,
            "relativedelta": relativedelta,
            "time": safe_time,
        }
        return {
            node.get("name"): safe_eval(node.get("domain"), eval_context)
            for node in etree.fromstring(arch).iter("filter")
            if node.get("name") in own
        }

    def listed(self, filter_name, user=None):
        """The leads of the Energy Leads action that ``user`` finds with one of
        the search view's filters."""
        user = user or self.salesman
        action = self.env.ref("lead_energy.crm_lead_action_energy_leads")
        Lead = self.env["crm.lead"].with_user(user)
        Lead = Lead.with_context(**safe_eval(action.context, {"uid": user.id}))
        domain = expression.AND(
            [
                safe_eval(action.domain, {"uid": user.id}),
                self.search_filters(user)[filter_name],
            ]
        )
        return Lead.search(domain)

    def run_cron(self, batch_size=500):
        """Call the reminder like the cron runner: batch after batch."""
        total = 0
        while done := self.env["crm.lead"]._cron_notify_overdue_followups(batch_size):
            total += done
        return total


@tagged("post_install", "-at_install")
class TestFollowupReminder(FollowupCase):
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
        self.assertIn(lead, self.listed("without_responsibility"))

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

    def test_live_push_is_the_one_of_odoos_inbox_notification(self):
        """Each reminder's live push carries what Odoo's own inbox push of
        that message carries, though the batch formats them all at once."""
        self.maxDiff = None
        leads = self.overdue_lead() | self.overdue_lead(name="Second overdue")
        leads[0].message_subscribe(partner_ids=self.follower.partner_id.ids)
        self.env.cr.precommit.run()
        self.env["bus.bus"].search([]).unlink()
        self.run_cron()
        self.env.cr.precommit.run()
        pushed = {}
        for push in self.env["bus.bus"].search([]):
            content = json.loads(push.message)
            if content["type"] == "mail.message/inbox":
                (message,) = content["payload"]["mail.message"]
                pushed[message["id"]] = content["payload"]
        reminders = self.reminders(leads[0]) | self.reminders(leads[1])
        self.assertEqual(set(pushed), set(reminders.mail_message_id.ids))
        for message in reminders.mail_message_id:
            expected = Store(
                message.with_user(self.follower).with_context(allowed_company_ids=[]),
                for_current_user=True,
                add_followers=True,
            ).get_result()
            self.assertEqual(
                json.loads(json.dumps(expected, default=str)), pushed[message.id]
            )

    def test_web_push_only_to_employees_with_a_device(self):
        """Odoo's web push (browser, phone) of each reminder whose employee
        registered a device; the batch skips it when nobody did."""
        Lead = type(self.env["crm.lead"])
        other = new_test_user(self.env, login="le_push_other", groups="base.group_user")
        with_device = self.overdue_lead()
        self.overdue_lead(followup_user_id=other.id)
        pushed = []

        def web_push(lead, message, recipients, msg_vals=False, **kwargs):
            pushed.append((lead.id, [r["id"] for r in recipients]))

        with patch.object(Lead, "_notify_thread_by_web_push", web_push):
            self.run_cron()
            self.assertEqual(pushed, [])  # no device anywhere
            self.env["mail.push.device"].sudo().create(
                {
                    "partner_id": self.follower.partner_id.id,
                    "endpoint": "https://push.example.com/device-1",
                    "keys": '{"p256dh": "key", "auth": "secret"}',
                }
            )
            with_device.followup_deadline = self.yesterday - timedelta(days=1)
            self.run_cron()
        self.assertEqual(pushed, [(with_device.id, self.follower.partner_id.ids)])

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
        closed = self.create_lead(followup_deadline=yesterday)
        closed.with_user(self.salesman).action_set_lost(lost_reason_id=self.reason.id)
        converted = self.create_lead(followup_deadline=yesterday)
        converted.convert_opportunity(self.env["res.partner"])
        self.assertEqual(
            (closed.lead_state, closed.active, converted.lead_state),
            ("closed", False, "converted"),
        )
        self.assertEqual(
            [lead.is_followup_overdue for lead in (overdue, future, none)],
            [True, False, False],
        )
        self.assertFalse(closed.is_followup_overdue)
        self.assertFalse(converted.is_followup_overdue)
        mine = overdue | future | none | closed | converted
        Lead = self.Lead.with_context(active_test=False)
        self.env.flush_all()
        self.assertEqual(
            Lead.search([("is_followup_overdue", "=", True), ("id", "in", mine.ids)]),
            overdue,
        )
        self.assertEqual(
            Lead.search([("is_followup_overdue", "=", False), ("id", "in", mine.ids)]),
            future | none | closed | converted,
        )

    def test_reminder_marks_the_due_date_not_yet_written(self):
        lead = self.overdue_lead()
        # The due date moved in this transaction, not yet in the database: the
        # reminder is for that date, so a later run does not remind again.
        lead.followup_deadline = self.yesterday - timedelta(days=1)
        lead._notify_overdue_followup()
        self.env.flush_all()
        lead.invalidate_recordset()
        self.assertEqual(lead.followup_notified_date, lead.followup_deadline)

    def test_search_filters_find_exactly_their_leads(self):
        """Every filter of the Energy Leads search view, as the salesman
        applies it in the list: exactly which of these leads each one finds."""
        high_score = self.high_score_rating()
        # Past and future in any time zone: the filter counts in the salesman's.
        tomorrow = self.today + timedelta(days=2)
        past = self.today - timedelta(days=2)
        me = self.salesman.id
        leads = {
            "mine": self.create_lead(followup_user_id=me, followup_deadline=tomorrow),
            "mine_overdue": self.overdue_lead(
                followup_user_id=me, followup_deadline=past
            ),
            "colleagues_overdue": self.overdue_lead(followup_deadline=past),
            "nobodys": self.create_lead(),
            "contacted": self.create_lead(followup_user_id=self.follower.id),
            "qualified": self.create_lead(
                followup_user_id=self.follower.id, **high_score
            ),
            "closed": self.overdue_lead(followup_user_id=False),
            "converted": self.overdue_lead(),
            "stale": self.create_lead(followup_user_id=self.follower.id),
            "consented": self.create_lead(
                followup_user_id=self.follower.id, email_from="yes@example.com"
            ),
        }
        self.env["crm.lead.consent"]._request_for_lead(
            leads["consented"], ("email",)
        )._answer("confirmed")
        as_salesman = {
            key: lead.with_user(self.salesman) for key, lead in leads.items()
        }
        as_salesman["contacted"].action_mark_contacted()
        as_salesman["qualified"].action_mark_qualified()
        as_salesman["closed"].action_set_lost(lost_reason_id=self.reason.id)
        leads["converted"].convert_opportunity(self.env["res.partner"])
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE crm_lead SET create_date = now() - interval '40 days',"
            " write_date = now() - interval '40 days' WHERE id = %s",
            [leads["stale"].id],
        )
        self.env.invalidate_all()
        open_ = {
            "mine",
            "mine_overdue",
            "colleagues_overdue",
            "nobodys",
            "stale",
            "consented",
        }
        expected = {
            "my_followups": {"mine", "mine_overdue"},
            "followup_overdue": {"mine_overdue", "colleagues_overdue"},
            "without_responsibility": {"nobodys"},
            "new_leads": set(leads) - {"stale", "closed"},
            "high_score": {"qualified"},
            "stale": {"stale"},
            "state_open": open_,
            "state_contacted": {"contacted"},
            "state_qualified": {"qualified"},
            "state_closed": {"closed"},
            "state_converted": {"converted"},
            "opt_in_confirmed": {"consented"},
        }
        self.assertEqual(set(self.search_filters(self.salesman)), set(expected))
        ids = {lead.id: key for key, lead in leads.items()}
        for name, keys in expected.items():
            with self.subTest(filter=name):
                found = self.listed(name)
                self.assertEqual(
                    {ids[lead_id] for lead_id in found.ids if lead_id in ids},
                    keys,
                    name,
                )


@tagged("post_install", "-at_install")
class TestFollowupEmployeeAccess(FollowupCase):
    """The employees named on a lead work on it, even with own documents only;
    their reminders stay in the inbox and reach employees only."""

    def mails_of(self, lead):
        self.env.flush_all()
        return self.env["mail.mail"].search(
            [
                ("model", "=", "crm.lead"),
                ("res_id", "=", lead.id),
                ("mail_message_id.message_type", "=", "user_notification"),
            ]
        )

    def test_salesman_follows_up_a_colleagues_lead(self):
        lead = self.overdue_lead(
            user=self.salesman_all,
            user_id=self.salesman_all.id,
            followup_user_id=self.salesman.id,
        )
        as_salesman = lead.with_user(self.salesman)
        self.assertEqual(as_salesman.read(["name"])[0]["name"], lead.name)
        as_salesman.description = "<p>Called, sending the offer.</p>"
        self.assertIn(lead, self.Lead.with_user(self.salesman).search([]))
        self.run_cron()
        self.env.flush_all()
        reminder = self.env["mail.message"].search(
            [
                ("model", "=", "crm.lead"),
                ("res_id", "=", lead.id),
                ("message_type", "=", "user_notification"),
                ("partner_ids", "in", self.salesman.partner_id.ids),
            ]
        )
        self.assertEqual(len(reminder), 1)
        # The salesman opens the lead the reminder links to.
        self.assertEqual(
            reminder.with_user(self.salesman).read(["res_id"])[0]["res_id"], lead.id
        )
        # Deleting and creating stay with the lead's salesperson.
        with self.assertRaises(AccessError):
            as_salesman.unlink()

    def test_colleagues_leads_of_others_stay_hidden(self):
        other = self.sales_user("le_other", "Otto Other", OWN_LEADS)
        lead = self.create_lead(
            user=self.salesman_all,
            user_id=self.salesman_all.id,
            followup_user_id=other.id,
        )
        with self.assertRaises(AccessError):
            lead.with_user(self.salesman).read(["name"])

    def test_archived_or_portal_employee_is_never_mailed(self):
        archived = self.sales_user(
            "le_archived", "Anton Archived", ALL_LEADS, notification_type="email"
        )
        portal = new_test_user(
            self.env,
            login="le_portal_followup",
            name="Petra Portal",
            groups="base.group_portal",
            email="petra@example.com",
        )
        archived_lead = self.overdue_lead(followup_user_id=archived.id)
        archived.active = False
        portal_lead = self.overdue_lead()
        portal_lead.sudo().followup_user_id = portal
        self.run_cron()
        for lead in archived_lead | portal_lead:
            self.assertFalse(self.mails_of(lead))
            self.assertFalse(
                self.env["mail.notification"].search(
                    [
                        ("mail_message_id.model", "=", "crm.lead"),
                        ("mail_message_id.res_id", "=", lead.id),
                        ("notification_type", "=", "email"),
                    ]
                )
            )


@tagged("post_install", "-at_install")
class TestLeadCompanyConsistency(LeadEnergyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_company = cls.env["res.company"].create({"name": "Wind Nord AG"})
        cls.foreigner = new_test_user(
            cls.env,
            login="le_foreigner",
            name="Frida Foreign",
            groups=OWN_LEADS,
            company_id=cls.other_company.id,
            company_ids=[Command.set(cls.other_company.ids)],
        )

    def test_employees_of_another_company_are_refused(self):
        lead = self.create_lead(user=self.manager)
        self.assertEqual(lead.company_id, self.env.company)
        for field in ("followup_user_id", "meeting_user_id"):
            with self.subTest(field=field), self.assertRaises(UserError):
                lead.write({field: self.foreigner.id})
                self.env.flush_all()

    def test_further_contacts_of_another_company_are_refused(self):
        lead = self.create_lead(user=self.manager)
        stranger = self.env["res.partner"].create(
            {"name": "Hanne Nord", "company_id": self.other_company.id}
        )
        with self.assertRaises(UserError):
            lead.write({"further_contact_ids": [Command.link(stranger.id)]})
