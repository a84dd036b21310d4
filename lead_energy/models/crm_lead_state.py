from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools.internal_flow import MAINTAINED, in_internal_flow, internal_context
from .res_config_settings import NEW_DAYS, STALE_DAYS

LEAD_STATES = [
    ("open", "Open"),
    ("contacted", "Contacted"),
    ("qualified", "Qualified"),
    ("closed", "Closed"),
    ("converted", "Converted"),
]
ACTIVE_STATES = ("open", "contacted", "qualified")
# What a user (or an integration) may set directly. Closing goes through the
# lost flow (with a reason), reopening through restore, converting through
# the conversion; those set the state themselves.
MANUAL_TRANSITIONS = {
    "open": {"contacted", "qualified"},
    "contacted": {"qualified"},
}
STATE_DATE_FIELDS = {
    "contacted": "date_contacted",
    "qualified": "date_qualified",
    "converted": "date_conversion",
}
# Flag (tools/internal_flow.py) of the flows that move the state themselves.
STATE_FLOW = "lead_energy_state_flow"
# Client imports go through _load_records too, as the module's data files do.
CLIENT_IMPORT = "lead_energy_client_import"


# crm.lead is split by concern on purpose, one file each (see __init__.py).
# pylint: disable=consider-merging-classes-inherited
class CrmLead(models.Model):
    """The lifecycle Open → Contacted → Qualified → Closed / Converted."""

    _inherit = "crm.lead"

    lead_state = fields.Selection(
        LEAD_STATES,
        string="Lead Status",
        default="open",
        required=True,
        index=True,
        tracking=True,
        copy=False,
    )
    date_contacted = fields.Datetime(string="Contacted On", readonly=True, copy=False)
    date_qualified = fields.Datetime(string="Qualified On", readonly=True, copy=False)
    is_stale = fields.Boolean(
        string="Stale", compute="_compute_is_stale", search="_search_is_stale"
    )
    is_new = fields.Boolean(
        string="New", compute="_compute_is_new", search="_search_is_new"
    )

    # ------------------------------------------------------------------------
    # Stale and new leads
    # ------------------------------------------------------------------------

    @api.model
    def _days_ago(self, setting):
        """Now minus the number of days a setting gives (stale, new)."""
        return fields.Datetime.now() - timedelta(
            days=self._lead_energy_setting(setting)
        )

    @api.depends("lead_state", "write_date")
    def _compute_is_stale(self):
        stale_before = self._days_ago(STALE_DAYS)
        for lead in self:
            lead.is_stale = bool(
                lead.lead_state in ACTIVE_STATES
                and lead.write_date
                and lead.write_date < stale_before
            )

    @api.depends("create_date")
    def _compute_is_new(self):
        new_since = self._days_ago(NEW_DAYS)
        for lead in self:
            lead.is_new = bool(lead.create_date and lead.create_date >= new_since)

    def _search_is_stale(self, operator, value):
        stale_before = self._days_ago(STALE_DAYS)
        if self._positive_search(operator, value):
            return [
                ("lead_state", "in", ACTIVE_STATES),
                ("write_date", "<", stale_before),
            ]
        return [
            "|",
            ("lead_state", "not in", ACTIVE_STATES),
            ("write_date", ">=", stale_before),
        ]

    def _search_is_new(self, operator, value):
        new_since = self._days_ago(NEW_DAYS)
        comparison = ">=" if self._positive_search(operator, value) else "<"
        return [("create_date", comparison, new_since)]

    # ------------------------------------------------------------------------
    # ORM: the state moves only as the lifecycle allows
    # ------------------------------------------------------------------------

    # The maintained fields are checked here, before the state's date is added
    # to the values: no later concern adds maintained fields to a client's values.
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_maintained_fields(vals)
        if not in_internal_flow(self.env, STATE_FLOW):
            for vals in vals_list:
                self._check_initial_state(
                    vals.get("lead_state", self.env.context.get("default_lead_state"))
                )
        return super().create(
            [self._stamp_state_date(dict(vals)) for vals in vals_list]
        )

    def write(self, vals):
        self._check_maintained_fields(vals)
        if "lead_state" in vals:
            if not in_internal_flow(self.env, STATE_FLOW):
                self._check_manual_state_change(vals["lead_state"])
            vals = self._stamp_state_date(dict(vals))
        closing, reopening = self._closing_and_reopening(vals)
        converting = self.browse()
        if vals.get("type") == "opportunity":
            converting = self.filtered(
                lambda lead: lead.type == "lead" and lead.lead_state != "converted"
            )
        result = super().write(vals)
        closing._set_lead_state("closed")
        reopening._set_lead_state("open")
        converting._set_lead_state("converted")
        return result

    @api.model
    def _stamp_state_date(self, vals):
        """The date the state in ``vals`` was reached, unless given."""
        if vals.get("lead_state") in STATE_DATE_FIELDS:
            vals.setdefault(
                STATE_DATE_FIELDS[vals["lead_state"]], fields.Datetime.now()
            )
        return vals

    def _closing_and_reopening(self, vals):
        """Archiving an active lead closes it, unarchiving a closed one reopens it."""
        closing = reopening = self.browse()
        if "active" in vals and not vals["active"]:
            closing = self.filtered(
                lambda lead: lead.active and lead.lead_state in ACTIVE_STATES
            )
            closing._check_can_close(vals)
        elif vals.get("active"):
            reopening = self.filtered(
                lambda lead: not lead.active and lead.lead_state == "closed"
            )
        return closing, reopening

    # ------------------------------------------------------------------------
    # Transitions
    # ------------------------------------------------------------------------

    def _state_label(self, state):
        return dict(self._fields["lead_state"]._description_selection(self.env))[state]

    @api.model
    def _check_initial_state(self, state):
        if state and state not in ACTIVE_STATES:
            raise UserError(
                _(
                    "A new lead starts as Open, Contacted or Qualified, not as "
                    "%(state)s.",
                    state=self._state_label(state),
                )
            )

    def _check_manual_state_change(self, new_state):
        hints = {
            "closed": _("Close a lead with Lost and a reason."),
            "open": _("Reopen a closed lead with Restore."),
            "converted": _(
                "A lead becomes Converted when it is converted into an "
                "opportunity or a contact."
            ),
        }
        for lead in self:
            if lead.lead_state == new_state:
                continue
            if new_state not in MANUAL_TRANSITIONS.get(lead.lead_state, ()):
                raise UserError(
                    _(
                        "Lead “%(lead)s” cannot go from %(old)s to %(new)s. %(hint)s",
                        lead=lead.display_name,
                        old=self._state_label(lead.lead_state),
                        new=self._state_label(new_state),
                        hint=hints.get(new_state, ""),
                    )
                )

    def _check_can_close(self, vals):
        """Closing a lead needs a reason, as Odoo's lost flow asks for one."""
        if in_internal_flow(self.env, STATE_FLOW) or vals.get("lost_reason_id"):
            return
        leads = self.filtered(lambda lead: lead.type == "lead")
        if leads:
            raise UserError(
                _(
                    "Lead “%(lead)s” is closed with Lost and a reason, not by "
                    "archiving it.",
                    lead=leads[0].display_name,
                )
            )

    def _set_lead_state(self, state):
        if self:
            self.with_context(**internal_context(STATE_FLOW)).write(
                {"lead_state": state}
            )

    def action_set_lost(self, **additional_values):
        if not additional_values.get("lost_reason_id") and any(
            lead.type == "lead" for lead in self
        ):
            raise UserError(_("Choose a lost reason to close the lead."))
        # Archive and reason in one write, so the reason is known when closing.
        return super(
            CrmLead,
            self.with_context(**internal_context(STATE_FLOW)),
        ).action_set_lost(**additional_values)

    def action_mark_contacted(self):
        self._check_manual_state_change("contacted")
        self._set_lead_state("contacted")
        return True

    def action_mark_qualified(self):
        self._check_manual_state_change("qualified")
        self._set_lead_state("qualified")
        return True

    def toggle_active(self):
        # Lost (action_set_lost) and Restore (action_unarchive) return this;
        # Odoo's None cannot be sent over XML-RPC.
        super().toggle_active()
        return True

    # ------------------------------------------------------------------------
    # Data files and imports
    # ------------------------------------------------------------------------

    @api.model
    def load(self, fields, data):
        return super(
            CrmLead, self.with_context(**internal_context(CLIENT_IMPORT))
        ).load(fields, data)

    def _as_data_file(self):
        """The module's data files (demo leads in their final state, with their
        dates) are the module's own writes; a client's import is not."""
        if in_internal_flow(self.env, CLIENT_IMPORT):
            return self
        return self.with_context(**internal_context(STATE_FLOW, MAINTAINED))

    def _load_records_create(self, vals_list):
        leads = super(CrmLead, self._as_data_file())._load_records_create(vals_list)
        return leads.with_env(self.env)

    def _load_records_write(self, values):
        return super(CrmLead, self._as_data_file())._load_records_write(values)
