from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools.internal_flow import MAINTAINED, in_internal_flow, internal_context

# Flags (tools/internal_flow.py) that stop the lead and its appointment from
# echoing each other.
FROM_LEAD = "lead_energy_from_lead"
FROM_EVENT = "lead_energy_from_event"


class CalendarEvent(models.Model):
    _inherit = "calendar.event"

    # CRM limits meetings to opportunities; energy leads have appointments too.
    opportunity_id = fields.Many2one(domain="[]")
    # Set only by the lead when it creates its appointment (see
    # crm_lead_appointment.py); copies and recurrence occurrences do not claim.
    is_lead_appointment = fields.Boolean(
        string="Lead Appointment",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Created from a lead's planned appointment and kept in step with it.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        if any("is_lead_appointment" in vals for vals in vals_list):
            self._raise_lead_appointment_flag()
        return super().create(vals_list)

    def write(self, vals):
        if "is_lead_appointment" in vals:
            self._raise_lead_appointment_flag()
        if "opportunity_id" in vals:
            self._check_appointment_stays_with_its_lead(vals["opportunity_id"])
        result = super().write(vals)
        if {"start", "stop"} & vals.keys() and not in_internal_flow(
            self.env, FROM_LEAD
        ):
            self._update_leads_from_appointment()
        return result

    @api.model
    def _raise_lead_appointment_flag(self):
        raise UserError(
            _(
                "“Lead Appointment” is set only when a lead's appointment is "
                "planned on the lead (Appointment With, From and To)."
            )
        )

    def _check_appointment_stays_with_its_lead(self, opportunity_id):
        if in_internal_flow(self.env, MAINTAINED):  # the module's merge moves it
            return True
        moved = self.filtered(
            lambda event: event.is_lead_appointment
            and event.opportunity_id.id != opportunity_id
        )
        if moved:
            raise UserError(
                _(
                    "This meeting is the appointment of a lead and stays linked "
                    "to it. Plan a new meeting for the other lead instead."
                )
            )
        return True

    def _update_leads_from_appointment(self):
        """Moving the appointment in the calendar moves the lead's planned dates,
        when the user who moved it may edit the lead."""
        appointments = self.filtered("is_lead_appointment")
        if not appointments:
            return
        leads = (
            self.env["crm.lead"]
            .sudo()
            .search([("appointment_event_id", "in", appointments.ids)])
        )
        for lead in leads:
            event = lead.appointment_event_id
            if (lead.appointment_start, lead.appointment_stop) == (
                event.start,
                event.stop,
            ):
                continue
            lead = lead.with_env(self.env)
            if not lead.has_access("write"):
                continue
            lead.with_context(**internal_context(FROM_EVENT)).write(
                {"appointment_start": event.start, "appointment_stop": event.stop}
            )
            if lead.meeting_user_id and lead.meeting_user_id != self.env.user:
                lead._notify_appointment(event, lead.meeting_user_id, "changed")
