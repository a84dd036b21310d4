from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command
from odoo.tools import format_datetime

from ..tools.internal_flow import MAINTAINED, in_internal_flow, internal_context
from .calendar_event import FROM_EVENT, FROM_LEAD
from .crm_lead import employee_field
from .mail_thread import INBOX_ONLY

APPOINTMENT_FIELDS = {"meeting_user_id", "appointment_start", "appointment_stop"}


# crm.lead is split by concern on purpose, one file each (see __init__.py).
# pylint: disable=consider-merging-classes-inherited
class CrmLead(models.Model):
    """The planned appointment, kept in step with its calendar event."""

    _inherit = "crm.lead"

    # A duplicated lead plans its own appointment: nothing of it is copied.
    meeting_user_id = employee_field(
        "Appointment With",
        "Employee who holds the appointment with the lead.",
        copy=False,
    )
    appointment_start = fields.Datetime(
        string="Appointment From", tracking=True, copy=False
    )
    appointment_stop = fields.Datetime(
        string="Appointment To", tracking=True, copy=False
    )
    appointment_event_id = fields.Many2one(
        "calendar.event",
        string="Appointment",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The calendar event of the planned appointment, kept in step with "
        "the lead.",
    )
    appointment_created = fields.Boolean(
        readonly=True,
        copy=False,
        help="An appointment was created for this lead (its event may have been "
        "deleted since).",
    )

    @api.constrains("appointment_start", "appointment_stop")
    def _check_appointment_dates(self):
        for lead in self:
            start, stop = lead.appointment_start, lead.appointment_stop
            if start and stop and stop <= start:
                raise ValidationError(
                    _(
                        "The appointment of lead “%(lead)s” must end after it "
                        "starts.",
                        lead=lead.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        leads = super().create(vals_list)
        leads.filtered(lambda lead: lead._has_full_appointment())._create_appointments()
        return leads

    def write(self, vals):
        appointment_changes = APPOINTMENT_FIELDS & vals.keys() and not in_internal_flow(
            self.env, FROM_EVENT
        )
        if appointment_changes:
            planned_before = {lead.id: lead._planned_appointment() for lead in self}
        result = super().write(vals)
        if appointment_changes:
            self._sync_appointments(planned_before)
        return result

    def _has_full_appointment(self):
        self.ensure_one()
        return bool(
            self.meeting_user_id and self.appointment_start and self.appointment_stop
        )

    def _planned_appointment(self):
        self.ensure_one()
        return (self.meeting_user_id, self.appointment_start, self.appointment_stop)

    def _appointment_values(self):
        self.ensure_one()
        partners = self.meeting_user_id.partner_id | self.partner_id
        details = [
            (_("Contact"), self.contact_name or self.partner_id.name),
            (
                _("Company"),
                self.partner_name or self.partner_id.commercial_partner_id.name,
            ),
            (_("Lead"), f"{self.lead_number or ''} {self.name}".strip()),
        ]
        description = Markup("").join(
            Markup("<p><strong>%s:</strong> %s</p>") % (label, value)
            for label, value in details
            if value
        )
        if self.description:
            description += Markup(self.description)
        company = self.partner_name or self.partner_id.commercial_partner_id.name
        return {
            "name": f"{self.name} ({company})" if company else self.name,
            "start": self.appointment_start,
            "stop": self.appointment_stop,
            "user_id": self.meeting_user_id.id,
            "partner_ids": [Command.set(partners.ids)],
            "description": description,
            "opportunity_id": self.id,
            "res_model_id": self.env["ir.model"]._get_id("crm.lead"),
            "res_id": self.id,
        }

    def _create_appointments(self):
        """One calendar event per lead, created in one batch, linked both ways."""
        if not self:
            return
        events = (
            self.env["calendar.event"]
            .with_context(**internal_context(FROM_LEAD))
            .create([lead._appointment_values() for lead in self])
        )
        # Flag the events and link them, in SQL: no client can write either.
        events.flush_recordset(["is_lead_appointment"])
        self.flush_recordset(["appointment_event_id", "appointment_created"])
        self.env.cr.execute(
            """
              WITH flagged AS (
                   UPDATE calendar_event SET is_lead_appointment = TRUE
                    WHERE id = ANY(%s)
                   )
            UPDATE crm_lead AS lead
               SET appointment_event_id = linked.event_id, appointment_created = TRUE
              FROM (SELECT unnest(%s::int[]) AS id, unnest(%s::int[]) AS event_id)
                   AS linked
             WHERE lead.id = linked.id
            """,
            [events.ids, self.ids, events.ids],
        )
        events.invalidate_recordset(["is_lead_appointment"], flush=False)
        self.invalidate_recordset(
            ["appointment_event_id", "appointment_created"], flush=False
        )
        for lead, event in zip(self, events, strict=True):
            if lead.meeting_user_id != self.env.user:
                lead._notify_appointment(event, lead.meeting_user_id, "created")

    def _appointment_event(self):
        """The lead's appointment event, unless it was deleted or archived."""
        self.ensure_one()
        event = self.sudo().appointment_event_id
        return event if event.exists() and event.active else event.browse()

    def _sync_appointments(self, planned_before):
        """Create or update each lead's appointment after its planning changed."""
        to_create = self.browse()
        for lead in self.filtered(lambda lead: lead._has_full_appointment()):
            event = lead._appointment_event()
            if event:
                lead._update_appointment(event, planned_before[lead.id])
            elif not lead.appointment_created:
                to_create |= lead
            else:
                lead._report_deleted_appointment()
        to_create._create_appointments()

    def _merge_dependences_calendar_events(self, opportunities):
        # The merged leads' appointments become ordinary meetings of this lead,
        # but the one it keeps (see crm_lead_merge.py).
        kept = self._merge_appointment_source(opportunities)
        (opportunities - self - kept)._release_appointments()
        return super(
            CrmLead, self.with_context(**internal_context(MAINTAINED))
        )._merge_dependences_calendar_events(opportunities)

    def _release_appointments(self):
        events = self.sudo().appointment_event_id
        if events:
            events.flush_recordset(["is_lead_appointment"])
            self.env.cr.execute(
                "UPDATE calendar_event SET is_lead_appointment = FALSE"
                " WHERE id = ANY(%s)",
                [events.ids],
            )
            events.invalidate_recordset(["is_lead_appointment"], flush=False)
        return True

    def _update_appointment(self, event, planned_before):
        self.ensure_one()
        if self._planned_appointment() == planned_before:
            return
        old_user = planned_before[0]
        values = {
            "start": self.appointment_start,
            "stop": self.appointment_stop,
            "user_id": self.meeting_user_id.id,
        }
        if old_user != self.meeting_user_id:
            attendees = [Command.link(self.meeting_user_id.partner_id.id)]
            if old_user and old_user.partner_id != self.partner_id:
                attendees.append(Command.unlink(old_user.partner_id.id))
            values["partner_ids"] = attendees
        event.with_context(**internal_context(FROM_LEAD)).write(values)
        if self.meeting_user_id != self.env.user:
            self._notify_appointment(event, self.meeting_user_id, "changed")

    def _report_deleted_appointment(self):
        """Say, in the chatter and to the user, why the appointment stayed as it was."""
        self.ensure_one()
        reason = _("The appointment's calendar event was deleted.")
        message = _(
            "The appointment of lead “%(lead)s” was not updated: %(reason)s Change "
            "the meeting in the calendar, or plan a new one with the Meetings button.",
            lead=self.display_name,
            reason=reason,
        )
        self.message_post(body=message, subtype_xmlid="mail.mt_note")
        self.env.user._bus_send(
            "simple_notification",
            {
                "type": "warning",
                "title": _("Appointment not updated"),
                "message": message,
                "sticky": True,
            },
        )

    def _notify_appointment(self, event, user, kind, author=None):
        """Tell ``user`` in the Odoo inbox about the appointment ``event``."""
        self.ensure_one()
        lead = self.with_context(lang=user.lang or self.env.lang)
        when = format_datetime(
            lead.env, event.start, tz=user.tz or "UTC", dt_format="medium"
        )
        author = author or self.env.user
        subject, body = lead._appointment_texts(kind, event, when, author)
        event.sudo().with_context(**internal_context(INBOX_ONLY)).message_notify(
            partner_ids=user.partner_id.ids,
            author_id=author.partner_id.id,
            subject=subject,
            body=body,
        )

    def _appointment_texts(self, kind, event, when, author):
        """Subject and body of an appointment notification, in self's language."""
        values = {"event": event.name, "when": when, "author": author.name}
        if kind == "created":
            return (
                _("New appointment: %(event)s", **values),
                _(
                    "%(author)s planned an appointment for you on %(when)s: %(event)s.",
                    **values,
                ),
            )
        if kind == "changed":
            return (
                _("Appointment changed: %(event)s", **values),
                _(
                    "%(author)s changed your appointment %(event)s; "
                    "it is now on %(when)s.",
                    **values,
                ),
            )
        return (
            _("You were added to an appointment: %(event)s", **values),
            _(
                "%(author)s added you to the appointment %(event)s on %(when)s.",
                **values,
            ),
        )

    def _check_appointment_planned(self):
        for lead in self:
            if not lead._has_full_appointment():
                raise UserError(
                    _(
                        "Lead “%(lead)s” has no planned appointment yet: set "
                        "Appointment With, From and To first.",
                        lead=lead.display_name,
                    )
                )

    def _identified_appointment(self):
        """The lead's one appointment event, or a clear error."""
        self.ensure_one()
        self._check_appointment_planned()
        event = self._appointment_event()
        if not event:
            raise UserError(
                _(
                    "The appointment of lead “%(lead)s” was deleted from the calendar.",
                    lead=self.display_name,
                )
            )
        return event

    def action_open_appointment(self):
        self.ensure_one()
        event = self._identified_appointment()
        return {
            "type": "ir.actions.act_window",
            "res_model": "calendar.event",
            "res_id": event.id,
            "views": [(False, "form")],
            "name": _("Appointment"),
        }

    def action_open_add_appointment_employees(self):
        self.ensure_one()
        self._identified_appointment()
        return self._open_wizard(
            "crm.lead.appointment.employees", _("Add Employees to the Appointment")
        )

    def action_schedule_meeting(self, smart_calendar=True):
        # CRM offers the lead's meetings only for opportunities.
        action = super().action_schedule_meeting(smart_calendar=smart_calendar)
        if self.type == "lead":
            action["context"].update(
                search_default_opportunity_id=self.id, default_opportunity_id=self.id
            )
            if smart_calendar:
                mode, initial_date = self._get_opportunity_meeting_view_parameters()
                action["context"].update(default_mode=mode, initial_date=initial_date)
        return action
