import logging
from collections import defaultdict
from datetime import timedelta

from markupsafe import escape
from psycopg2.errors import SerializationFailure

from odoo import _, api, fields, models
from odoo.tools import SQL, create_index, format_date
from odoo.tools.mail import generate_tracking_message_id

from odoo.addons.mail.tools.discuss import Store

from ..tools.internal_flow import internal_context
from .crm_lead import employee_field
from .crm_lead_state import ACTIVE_STATES
from .mail_thread import INBOX_ONLY, inbox_only

_logger = logging.getLogger(__name__)

# Leads whose follow-up date passed and whose follow-up employee was not told
# about that date yet; a partial index keeps the reminder cron proportional to
# them, whatever the size of the table.
FOLLOWUP_PENDING = (
    "followup_user_id IS NOT NULL AND followup_deadline IS NOT NULL"
    " AND active AND lead_state IN ({states})"
    " AND followup_notified_date IS DISTINCT FROM followup_deadline"
).format(states=", ".join(f"'{state}'" for state in ACTIVE_STATES))
USER_NOTIFICATION = "user_notification"
RETRY_LOCKED_AFTER = timedelta(minutes=5)
FOLLOWUP_BATCH_SIZE = 500


def payloads_by_message(result):
    """The Store ``result`` of several messages as one payload per message,
    as the Store of that message alone: the message, its notifications, its
    thread and the user's following of it, and the rest (the author, the
    recipient) as it is."""
    notifications = defaultdict(list)
    for notification in result.get("mail.notification", []):
        notifications[notification.get("message")].append(notification)
    threads = defaultdict(list)
    for record in result.get("mail.thread", []):
        threads[(record.get("id"), record.get("model"))].append(record)
    followers = defaultdict(list)  # id -> [(position in the result, follower)]
    for position, follower in enumerate(result.get("mail.followers", [])):
        followers[follower.get("id")].append((position, follower))
    for message in result.get("mail.message", []):
        thread = message.get("thread") or {}
        message_threads = threads.get((thread.get("id"), thread.get("model")), [])
        followed = {
            record["selfFollower"]
            for record in message_threads
            if record.get("selfFollower")
        }
        parts = {
            "mail.message": [message],
            "mail.notification": notifications.get(message["id"], []),
            "mail.thread": message_threads,
            "mail.followers": [
                follower
                for _position, follower in sorted(
                    (pair for key in followed for pair in followers.get(key, [])),
                    key=lambda pair: pair[0],
                )
            ],
        }
        payload = {key: value for key, value in result.items() if key not in parts}
        payload.update({key: value for key, value in parts.items() if value})
        yield payload


# crm.lead is split by concern on purpose, one file each (see __init__.py).
# pylint: disable=consider-merging-classes-inherited
class CrmLead(models.Model):
    """Who follows the lead up by when, and the reminder when that date passed."""

    _inherit = "crm.lead"

    followup_user_id = employee_field(
        "Follow-up By", "Employee responsible for following up the lead."
    )
    followup_deadline = fields.Date(
        string="Follow-up Until",
        index="btree_not_null",
        tracking=True,
        help="Date by which the follow-up must be done. When it has passed, "
        "the follow-up employee is reminded.",
    )
    followup_notified_date = fields.Date(
        string="Follow-up Reminder Sent For",
        readonly=True,
        copy=False,
        help="The follow-up date for which the follow-up employee was reminded.",
    )
    is_followup_overdue = fields.Boolean(
        string="Follow-up Overdue",
        compute="_compute_is_followup_overdue",
        search="_search_is_followup_overdue",
    )

    def init(self):
        super().init()
        create_index(
            self.env.cr,
            "crm_lead_followup_pending_index",
            self._table,
            ["followup_deadline", "id"],
            where=FOLLOWUP_PENDING,
        )
        return True

    @api.depends("followup_deadline", "lead_state")
    @api.depends_context("tz")
    def _compute_is_followup_overdue(self):
        today = fields.Date.context_today(self)
        for lead in self:
            lead.is_followup_overdue = bool(
                lead.followup_deadline
                and lead.followup_deadline < today
                and lead.lead_state in ACTIVE_STATES
            )

    def _search_is_followup_overdue(self, operator, value):
        today = fields.Date.context_today(self)
        if self._positive_search(operator, value):
            return [
                ("followup_deadline", "<", today),
                ("lead_state", "in", ACTIVE_STATES),
            ]
        return [
            "|",
            "|",
            ("followup_deadline", "=", False),
            ("followup_deadline", ">=", today),
            ("lead_state", "not in", ACTIVE_STATES),
        ]

    @api.onchange("followup_deadline")
    def _onchange_followup_deadline_warn_past(self):
        if (
            self.followup_deadline
            and self.followup_deadline < fields.Date.context_today(self)
        ):
            return {
                "warning": {
                    "title": _("Follow-up date in the past"),
                    "message": _(
                        "The follow-up date %(date)s has already passed: the lead "
                        "will count as overdue and its follow-up employee will be "
                        "reminded.",
                        date=fields.Date.to_string(self.followup_deadline),
                    ),
                    "type": "notification",
                }
            }

    @api.model
    def _cron_notify_overdue_followups(self, batch_size=FOLLOWUP_BATCH_SIZE):
        """Remind follow-up employees of leads whose follow-up date has passed.

        One batch per call: the cron runner commits it and calls again while
        leads remain (Odoo's cron progress API), so an interrupted run resumes
        where it stopped. A batch locks its leads and skips those another
        transaction holds (a user editing the lead, a second worker); they are
        taken by a later run, and nobody is reminded twice.
        """
        today = fields.Date.context_today(self)
        leads = self._lock_overdue_followups(today, batch_size)
        leads._notify_overdue_followup()
        remaining = self._count_overdue_followups(today)
        self.env["ir.cron"]._notify_progress(done=len(leads), remaining=remaining)
        cron = self.env.ref("lead_energy.ir_cron_notify_overdue_followups")
        if remaining and not leads:
            # What is left is locked (a user editing the lead, another worker):
            # look again in a few minutes rather than tomorrow.
            cron._trigger(fields.Datetime.now() + RETRY_LOCKED_AFTER)
        elif remaining and not self.env.context.get("ir_cron_progress_id"):
            # Started by hand or from code: let the cron worker do the rest.
            cron._trigger()
        return len(leads)

    @api.model
    def _overdue_followups_condition(self, today):
        return SQL("%s AND followup_deadline < %s", SQL(FOLLOWUP_PENDING), today)

    @api.model
    def _count_overdue_followups(self, today):
        self.env.cr.execute(
            SQL(
                "SELECT count(*) FROM crm_lead WHERE %s",
                self._overdue_followups_condition(today),
            )
        )
        return self.env.cr.fetchone()[0]

    @api.model
    def _lock_overdue_followups(self, today, limit):
        self.env.flush_all()
        try:
            with self.env.cr.savepoint(flush=False):
                return self._select_overdue_followups(today, limit)
        except SerializationFailure:
            # A lead changed (and was committed) after this transaction began:
            # leave this run's leads to a new transaction; with nothing taken,
            # the caller schedules the retry in a few minutes.
            _logger.info("Overdue follow-ups changed meanwhile; retrying shortly.")
            return self.browse()

    @api.model
    def _select_overdue_followups(self, today, limit):
        self.env.cr.execute(
            SQL(
                """
                SELECT id FROM crm_lead
                 WHERE %s
                 ORDER BY followup_deadline, id
                 LIMIT %s
                   FOR NO KEY UPDATE SKIP LOCKED
                """,
                self._overdue_followups_condition(today),
                limit,
            ),
            log_exceptions=False,  # a serialization failure is handled above
        )
        return self.browse(row[0] for row in self.env.cr.fetchall())

    def _notify_overdue_followup(self):
        """What message_notify does lead by lead, for the batch at once: the
        messages in one INSERT, their recipients in two queries, the inbox
        notifications in one INSERT, the live pushes formatted per recipient
        for all of his reminders, and the web pushes where a recipient has a
        device."""
        leads = self.sudo().with_context(**internal_context(INBOX_ONLY))
        values_list = leads._followup_reminder_values()
        messages = leads._message_create(values_list)
        recipients_list = leads._followup_recipients(values_list)
        leads._notify_followup_inboxes(messages, recipients_list)
        leads._notify_followup_web_pushes(messages, values_list, recipients_list)
        self._mark_followups_notified()

    def _followup_recipients(self, values_list):
        """For each lead, the recipients ``_notify_get_recipients`` would find
        for its reminder: followers of its subtype and the follow-up employee,
        without the author and inactive partners, employees only."""
        Followers = self.env["mail.followers"]
        subtype = values_list[0]["subtype_id"] if values_list else False
        followers = Followers._get_recipient_data(self, USER_NOTIFICATION, subtype)
        pids = {pid for values in values_list for pid in values["partner_ids"]}
        named = Followers._get_recipient_data(
            self.browse(), USER_NOTIFICATION, subtype, pids=list(pids)
        )[0]
        recipients_list = []
        for lead, values in zip(self, values_list, strict=True):
            data = {pid: named[pid] for pid in values["partner_ids"] if pid in named}
            data.update(followers.get(lead.id, {}))
            recipients_list.append(
                inbox_only(
                    [
                        recipient
                        for pid, recipient in data.items()
                        if pid != values["author_id"]
                        and recipient["active"] is not False
                    ]
                )
            )
        return recipients_list

    def _notify_followup_inboxes(self, messages, recipients_list):
        notifications = []
        message_ids_by_user = defaultdict(list)
        for message, recipients in zip(messages, recipients_list, strict=True):
            for recipient in recipients:
                notifications.append(
                    {
                        "author_id": message.author_id.id,
                        "mail_message_id": message.id,
                        "notification_status": "sent",
                        "notification_type": "inbox",
                        "res_partner_id": recipient["id"],
                    }
                )
                message_ids_by_user[recipient["uid"]].append(message.id)
        self.env["mail.notification"].sudo().create(notifications)
        for uid, message_ids in message_ids_by_user.items():
            # Odoo's own inbox push, one per reminder, formatted for all of
            # the user's reminders of the batch at once.
            user = self.env["res.users"].browse(uid)
            store = Store(
                self.env["mail.message"]
                .browse(message_ids)
                .with_user(user)
                .with_context(allowed_company_ids=[]),
                for_current_user=True,
                add_followers=True,
            )
            for payload in payloads_by_message(store.get_result()):
                user._bus_send("mail.message/inbox", payload)

    def _notify_followup_web_pushes(self, messages, values_list, recipients_list):
        """Odoo's web push (browser and phone notifications) of each reminder
        whose recipient registered a device; nothing to do otherwise."""
        partners = {r["id"] for recipients in recipients_list for r in recipients}
        if not partners:
            return
        # Odoo looks the devices up for each message; a reminder none of whose
        # recipients has one is left out here, where Odoo would stop anyway.
        with_device = set(
            self.env["mail.push.device"]
            .sudo()
            .search([("partner_id", "in", list(partners))])
            .partner_id.ids
        )
        for lead, message, values, recipients in zip(
            self, messages, values_list, recipients_list, strict=True
        ):
            if any(recipient["id"] in with_device for recipient in recipients):
                lead._notify_thread_by_web_push(message, recipients, values)

    def _mark_followups_notified(self):
        """Reminded for the date due now, in one UPDATE for the batch."""
        self.flush_recordset(["followup_notified_date", "followup_deadline"])
        self.env.cr.execute(
            "UPDATE crm_lead SET followup_notified_date = followup_deadline"
            " WHERE id = ANY(%s)",
            [self.ids],
        )
        self.invalidate_recordset(["followup_notified_date"], flush=False)

    def _followup_reminder_values(self):
        """The mail.message values message_notify would build, for every lead."""
        author = self.env.ref("base.partner_root")
        # The reminders stay in the inbox and are never mailed: one reply-to
        # for the batch spares the alias look-ups of every message.
        reply_to = self.env["mail.thread"]._notify_get_reply_to(
            default=author.email_formatted
        )[False]
        alias_domains = self._mail_get_alias_domains(default_company=self.env.company)
        companies = self._mail_get_companies(default=self.env.company)
        note = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note")
        values_list = []
        for lead in self:
            user = lead.followup_user_id
            lead_in_lang = lead.with_context(lang=user.lang or self.env.lang)
            subject, body = lead_in_lang._followup_overdue_texts()
            values_list.append(
                {
                    "author_id": author.id,
                    "email_from": author.email_formatted,
                    "model": self._name,
                    "res_id": lead.id,
                    "record_name": False,
                    "body": escape(body),
                    "is_internal": True,
                    "message_type": USER_NOTIFICATION,
                    "subject": subject,
                    "subtype_id": note,
                    "message_id": generate_tracking_message_id("message-notify"),
                    "partner_ids": user.partner_id.ids,
                    "email_add_signature": True,
                    "reply_to": reply_to,
                    "record_alias_domain_id": alias_domains[lead.id].id,
                    "record_company_id": companies[lead.id].id,
                }
            )
        return values_list

    def _followup_overdue_texts(self):
        self.ensure_one()
        customer = (
            self.partner_id.commercial_partner_id.name
            or self.partner_name
            or self.contact_name
            or _("no company given")
        )
        due = format_date(self.env, self.followup_deadline)
        title = f"{self.lead_number} {self.name}" if self.lead_number else self.name
        return (
            _("Follow-up overdue: %(customer)s", customer=customer),
            _(
                "The follow-up of lead %(lead)s for %(customer)s was due on %(date)s.",
                lead=title,
                customer=customer,
                date=due,
            ),
        )
