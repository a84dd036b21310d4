from odoo import fields, models

from ..tools.internal_flow import in_internal_flow, internal_context

# Flags (tools/internal_flow.py) that stop the lead and its appointment from
# echoing each other.
FROM_LEAD = "lead_energy_from_lead"
FROM_EVENT = "lead_energy_from_event"


class CalendarEvent(models.Model):
    _inherit = "calendar.event"

    # CRM limits meetings to opportunities; energy leads have appointments too.
    opportunity_id = fields.Many2one(domain="[]")
    is_lead_appointment = fields.Boolean(
        string="Lead Appointment",
        readonly=True,
        index="btree_not_null",
        help="Created from a lead's planned appointment and kept in step with it.",
    )

    def write(self, vals):
        result = super().write(vals)
        if {"start", "stop"} & vals.keys() and not in_internal_flow(
            self.env, FROM_LEAD
        ):
            self._update_leads_from_appointment()
        return result

    def _update_leads_from_appointment(self):
        """Moving the appointment in the calendar moves the lead's planned dates."""
        for event in self.filtered("is_lead_appointment"):
            lead = event.sudo().opportunity_id
            if not lead or lead.appointment_event_id != event:
                continue
            if (lead.appointment_start, lead.appointment_stop) == (
                event.start,
                event.stop,
            ):
                continue
            lead.with_context(**internal_context(FROM_EVENT)).write(
                {"appointment_start": event.start, "appointment_stop": event.stop}
            )
            if lead.meeting_user_id and lead.meeting_user_id != self.env.user:
                lead._notify_appointment(event, lead.meeting_user_id, "changed")
