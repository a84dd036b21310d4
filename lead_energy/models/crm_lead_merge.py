from datetime import date

from odoo import _, models
from odoo.fields import Command

from ..tools.internal_flow import MAINTAINED, internal_context
from .calendar_event import FROM_EVENT
from .crm_lead_appointment import APPOINTMENT_FIELDS
from .crm_lead_scoring_criterion import CRITERION_FIELDS
from .crm_lead_state import ACTIVE_STATES, STATE_DATE_FIELDS, STATE_FLOW

# Taken from the first lead (in CRM's merge order) that has a value.
FIRST_VALUE_FIELDS = [
    "lead_type_id",
    "send_info_material",
    "request_opt_in",
    "arrange_appointment",
]
FOLLOWUP_FIELDS = ("followup_user_id", "followup_deadline", "followup_notified_date")
# The planned appointment moves as a whole, with its event.
APPOINTMENT_GROUP = (*APPOINTMENT_FIELDS, "appointment_event_id", "appointment_created")
# The lifecycle's order of progress; closed is no progress (see _merged_state).
STATE_PROGRESS = (*ACTIVE_STATES, "converted")


# crm.lead is split by concern on purpose, one file each (see __init__.py).
# pylint: disable=consider-merging-classes-inherited
class CrmLead(models.Model):
    """Merging duplicates (CRM's merge wizard, the conversion's merge, the
    automatic assignment) keeps the energy data of every merged lead."""

    _inherit = "crm.lead"

    # ------------------------------------------------------------------------
    # Field values: CRM's _merge_data calls these with the leads in merge
    # order, the surviving lead first.
    # ------------------------------------------------------------------------

    def _merge_get_fields(self):
        return super()._merge_get_fields() + FIRST_VALUE_FIELDS

    def _merge_get_fields_specific(self):
        specific = super()._merge_get_fields_specific()
        specific.update(
            {
                # Archived interests stay, as on the leads.
                "interest_ids": lambda fname, leads: [
                    Command.set(leads.with_context(active_test=False).interest_ids.ids)
                ],
                # The picture itself, never its size (bin_size in a context).
                "business_card": lambda fname, leads: leads.with_context(
                    bin_size=False
                ).filtered(fname)[:1][fname],
                "further_contact_ids": lambda fname, leads: [
                    Command.set(leads._merged_further_contacts().ids)
                ],
                "next_appointment_date": lambda fname, leads: min(
                    leads.filtered(fname).mapped(fname), default=False
                ),
                "info_material_sent_date": lambda fname, leads: max(
                    leads.filtered(fname).mapped(fname), default=False
                ),
            }
        )
        for code, fname in CRITERION_FIELDS.items():
            specific[fname] = lambda fname, leads, code=code: leads._merged_rating(
                code, fname
            )
        for fname in FOLLOWUP_FIELDS:
            specific[fname] = lambda fname, leads: leads._merged_followup_value(fname)
        return specific

    def _merged_further_contacts(self):
        """Everyone's further contacts, without the merged lead's main contact
        (the first main contact, as CRM merges partner_id)."""
        return self.further_contact_ids - self.partner_id[:1]

    def _merged_rating(self, code, fname):
        """The rating that earns most points in this criterion (the surviving
        lead's on a tie)."""
        config = self.env["crm.lead.scoring.criterion"]._scoring_config()
        rated = self.filtered(fname).mapped(fname)
        if not rated:
            return False
        return max(rated, key=lambda record: config.points_of(code, record.id)).id

    def _merged_followup_value(self, fname):
        """The follow-up that is due first, employee and date together."""
        followups = self.filtered(
            lambda lead: lead.followup_user_id or lead.followup_deadline
        )
        if not followups:
            return False
        first = min(followups, key=lambda lead: lead.followup_deadline or date.max)
        value = first[fname]
        return value.id if isinstance(value, models.BaseModel) else value

    # ------------------------------------------------------------------------
    # The appointment: one event keeps claiming it
    # ------------------------------------------------------------------------

    def _merge_dependences(self, opportunities):
        result = super()._merge_dependences(opportunities)
        self._merge_appointments(opportunities)
        return result

    def _merge_appointment_source(self, opportunities):
        """The lead whose appointment the merged lead keeps: its own, else the
        first merged lead's (with its event, else its planned appointment)."""
        leads = self | opportunities
        return (
            leads.filtered("appointment_event_id")[:1]
            or leads.filtered(
                lambda lead: any(lead[fname] for fname in APPOINTMENT_FIELDS)
            )[:1]
        )

    def _merge_appointments(self, opportunities):
        """Take over the kept appointment when it was a merged lead's. CRM moved
        every event here; the others no longer claim to be the appointment
        (crm_lead_appointment.py released them before the move)."""
        self.ensure_one()
        source = self._merge_appointment_source(opportunities)
        if source and source != self:
            values = source._convert_to_write(
                {fname: source[fname] for fname in APPOINTMENT_GROUP}
            )
            self.with_context(**internal_context(FROM_EVENT, MAINTAINED)).write(values)

    # ------------------------------------------------------------------------
    # Lead number and state, once CRM has merged
    # ------------------------------------------------------------------------

    def _merge_opportunity(
        self, user_id=False, team_id=False, auto_unlink=True, max_length=5
    ):
        numbered = self.filtered("lead_number").sorted("id")
        numbers = [(lead.id, lead.lead_number, lead.company_id) for lead in numbered]
        states = {lead.lead_state for lead in self}
        state_dates = {
            fname: min(self.filtered(fname).mapped(fname), default=False)
            for fname in STATE_DATE_FIELDS.values()
        }
        # CRM writes the merged values (follow-up and mail dates among them,
        # which only the module sets) on the surviving lead.
        head = (
            super(CrmLead, self.with_context(**internal_context(MAINTAINED)))
            ._merge_opportunity(
                user_id=user_id,
                team_id=team_id,
                auto_unlink=auto_unlink,
                max_length=max_length,
            )
            .with_env(self.env)
        )
        head._merge_set_state(states, state_dates)
        head._merge_keep_earliest_number(numbers)
        return head

    def _merge_set_state(self, states, state_dates):
        """The most advanced state of the merged leads: converted if one was
        converted, else the furthest active state. Closed leads add nothing,
        and a closed surviving lead stays closed: a merge never reopens a lead
        (Restore does)."""
        self.ensure_one()
        if self.lead_state == "closed" or not self.active:
            return
        progress = [state for state in STATE_PROGRESS if state in states]
        state = max([*progress, self.lead_state], key=STATE_PROGRESS.index)
        reached = STATE_PROGRESS[: STATE_PROGRESS.index(state) + 1]
        values = {
            fname: state_dates[fname]
            for reached_state, fname in STATE_DATE_FIELDS.items()
            if reached_state in reached
            and state_dates[fname]
            and state_dates[fname] != self[fname]
        }
        if state != self.lead_state:
            values["lead_state"] = state
        if values:
            self.with_context(**internal_context(STATE_FLOW, MAINTAINED)).write(values)

    def _merge_keep_earliest_number(self, numbers):
        """Keep the earliest lead number of the company and name the others
        in the chatter. A merged lead CRM did not delete yet takes this lead's
        former number (numbers are unique per company)."""
        self.ensure_one()
        same_company = [
            (lead_id, number)
            for lead_id, number, company in numbers
            if company == self.company_id
        ]
        if same_company and same_company[0][1] != self.lead_number:
            self._take_lead_number(*same_company[0])
        others = [
            number
            for _lead_id, number, _company in numbers
            if number != self.lead_number
        ]
        if others:
            self.message_post(
                body=_(
                    "Merged leads %(numbers)s into this lead, which keeps the lead "
                    "number %(number)s.",
                    numbers=", ".join(others),
                    number=self.lead_number,
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _take_lead_number(self, lead_id, number):
        (self | self.browse(lead_id)).flush_recordset(["lead_number"])
        self.env.cr.execute(
            """
            UPDATE crm_lead SET lead_number = NULL WHERE id = %(other)s;
            UPDATE crm_lead SET lead_number = %(number)s WHERE id = %(head)s;
            UPDATE crm_lead SET lead_number = %(former)s WHERE id = %(other)s;
            """,
            {
                "other": lead_id,
                "head": self.id,
                "number": number,
                "former": self.lead_number,
            },
        )
        self.browse(lead_id).invalidate_recordset(["lead_number"], flush=False)
        self.invalidate_recordset(["lead_number"], flush=False)
