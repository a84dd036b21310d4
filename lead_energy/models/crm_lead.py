import base64
import binascii
from urllib.parse import urlsplit

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import email_normalize
from odoo.tools.image import base64_to_image

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
# Context key set by the flows that move the state themselves.
STATE_FLOW = "lead_energy_state_flow"
BUSINESS_CARD_MAX_BYTES = 10 * 1024 * 1024


class CrmLead(models.Model):
    _inherit = "crm.lead"

    # -- general information -------------------------------------------------
    lead_number = fields.Char(
        readonly=True,
        copy=False,
        index="trigram",
        help="Assigned automatically from the company's lead number sequence.",
    )
    lead_type_id = fields.Many2one(
        "crm.energy.lead.type",
        index="btree_not_null",
        ondelete="restrict",
    )
    business_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id",
        string="Business Partner",
    )

    # -- organisation and responsibilities -----------------------------------
    meeting_user_id = fields.Many2one(
        "res.users",
        string="Appointment With",
        domain="[('share', '=', False)]",
        index="btree_not_null",
        tracking=True,
        help="Employee who holds the appointment with the lead.",
    )
    appointment_start = fields.Datetime(string="Appointment From", tracking=True)
    appointment_stop = fields.Datetime(string="Appointment To", tracking=True)
    followup_user_id = fields.Many2one(
        "res.users",
        string="Follow-up By",
        domain="[('share', '=', False)]",
        index="btree_not_null",
        tracking=True,
        help="Employee responsible for following up the lead.",
    )
    followup_deadline = fields.Date(
        string="Follow-up Until",
        index="btree_not_null",
        tracking=True,
        help="Date by which the follow-up must be done. When it has passed, "
        "the follow-up employee is reminded.",
    )
    is_followup_overdue = fields.Boolean(
        string="Follow-up Overdue",
        compute="_compute_is_followup_overdue",
        search="_search_is_followup_overdue",
    )

    # -- detail information ---------------------------------------------------
    business_card = fields.Image(
        max_width=1920,
        max_height=1920,
        help="Photo or scan of the contact's business card (JPEG, PNG, GIF, "
        "WebP; at most 10 MB).",
    )

    # -- interests and follow-up actions -------------------------------------
    interest_ids = fields.Many2many(
        "crm.energy.interest",
        "crm_lead_energy_interest_rel",
        "lead_id",
        "interest_id",
        context={"active_test": False},
        help="Archived interests stay on the leads that have them.",
    )
    send_info_material = fields.Boolean(string="Send Information Material")
    request_opt_in = fields.Boolean(string="Request Opt-in")
    arrange_appointment = fields.Boolean()
    next_appointment_date = fields.Date(string="Next Appointment")

    # -- further contacts ------------------------------------------------------
    further_contact_ids = fields.Many2many(
        "res.partner",
        "crm_lead_further_contact_rel",
        "lead_id",
        "partner_id",
        string="Further Contacts",
        help="Further contact persons of the lead, besides the main contact.",
    )

    # -- lifecycle ---------------------------------------------------------------
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

    _sql_constraints = [
        (
            "lead_number_company_uniq",
            "unique(company_id, lead_number)",
            "This lead number is already used in this company.",
        ),
    ]

    # ------------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------------

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
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Unsupported search on Follow-up Overdue."))
        today = fields.Date.context_today(self)
        if (operator == "=") == value:
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

    # ------------------------------------------------------------------------
    # Constraints and onchanges
    # ------------------------------------------------------------------------

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

    @api.constrains("email_from")
    def _check_email_from(self):
        for lead in self.filtered("email_from"):
            if not email_normalize(lead.email_from):
                raise ValidationError(
                    _(
                        "“%(email)s” is not a valid e-mail address. Enter one "
                        "address such as name@example.com.",
                        email=lead.email_from,
                    )
                )

    @api.constrains("website")
    def _check_website(self):
        for lead in self.filtered("website"):
            if not self._is_valid_website(lead.website):
                raise ValidationError(
                    _(
                        "“%(website)s” is not a valid website. Enter an address "
                        "such as www.example.com.",
                        website=lead.website,
                    )
                )

    @staticmethod
    def _is_valid_website(website):
        try:
            parts = urlsplit(website)
        except ValueError:
            return False
        host = parts.hostname or ""
        labels = host.split(".")
        return (
            parts.scheme in ("http", "https")
            and " " not in website
            and len(labels) >= 2
            and all(labels)
            and all(label.replace("-", "").isalnum() for label in labels)
        )

    @api.constrains("partner_id", "further_contact_ids")
    def _check_further_contacts(self):
        for lead in self.filtered("partner_id"):
            if lead.partner_id in lead.further_contact_ids:
                raise ValidationError(
                    _(
                        "%(contact)s is the main contact of this lead and cannot "
                        "be a further contact as well.",
                        contact=lead.partner_id.display_name,
                    )
                )

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
    def _check_business_card_value(self, value):
        """Refuse anything but an image of a sane size, before Odoo stores it."""
        if not value:
            return
        try:
            raw = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError, TypeError) as exc:
            raise ValidationError(
                _("The business card could not be read. Upload an image file.")
            ) from exc
        if len(raw) > BUSINESS_CARD_MAX_BYTES:
            raise ValidationError(
                _(
                    "The business card picture is %(size).1f MB; at most "
                    "%(limit)d MB are accepted.",
                    size=len(raw) / 1024 / 1024,
                    limit=BUSINESS_CARD_MAX_BYTES // 1024 // 1024,
                )
            )
        try:
            base64_to_image(value)
        except (UserError, ValueError, OSError) as exc:
            raise ValidationError(
                _(
                    "The business card must be a picture (JPEG, PNG, GIF or "
                    "WebP). Take a photo or scan of the card and upload that."
                )
            ) from exc

    # ------------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_business_card_value(vals.get("business_card"))
            if not self.env.context.get(STATE_FLOW):
                self._check_initial_state(vals.get("lead_state"))
            if vals.get("lead_state") in STATE_DATE_FIELDS:
                vals.setdefault(
                    STATE_DATE_FIELDS[vals["lead_state"]], fields.Datetime.now()
                )
        leads = super().create(vals_list)
        leads.filtered(lambda lead: not lead.lead_number)._assign_lead_numbers()
        return leads

    def write(self, vals):
        if "business_card" in vals:
            self._check_business_card_value(vals["business_card"])
        if "lead_state" in vals:
            if not self.env.context.get(STATE_FLOW):
                self._check_manual_state_change(vals["lead_state"])
            if vals["lead_state"] in STATE_DATE_FIELDS:
                vals = dict(vals)
                vals.setdefault(
                    STATE_DATE_FIELDS[vals["lead_state"]], fields.Datetime.now()
                )
        closing = reopening = converting = self.browse()
        if "active" in vals and not vals["active"]:
            closing = self.filtered(
                lambda lead: lead.active and lead.lead_state in ACTIVE_STATES
            )
            closing._check_can_close(vals)
        elif vals.get("active"):
            reopening = self.filtered(
                lambda lead: not lead.active and lead.lead_state == "closed"
            )
        if vals.get("type") == "opportunity":
            converting = self.filtered(
                lambda lead: lead.type == "lead" and lead.lead_state != "converted"
            )
        result = super().write(vals)
        closing._set_lead_state("closed")
        reopening._set_lead_state("open")
        converting._set_lead_state("converted")
        return result

    # ------------------------------------------------------------------------
    # Lead number
    # ------------------------------------------------------------------------

    def _assign_lead_numbers(self):
        """Number these leads from their company's sequence, in one UPDATE."""
        if not self:
            return
        companies = self.company_id | self.env.company
        sequences = companies._lead_number_sequence()
        numbers = [
            (lead.id, sequences[lead.company_id or self.env.company].next_by_id())
            for lead in self
        ]
        self.env.cr.execute(
            """
            UPDATE crm_lead AS lead SET lead_number = numbered.number
              FROM (SELECT unnest(%s::int[]) AS id,
                           unnest(%s::varchar[]) AS number) AS numbered
             WHERE lead.id = numbered.id
            """,
            [[lead_id for lead_id, _n in numbers], [n for _i, n in numbers]],
        )
        self.invalidate_recordset(["lead_number"])

    # ------------------------------------------------------------------------
    # Lifecycle
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
        if self.env.context.get(STATE_FLOW) or vals.get("lost_reason_id"):
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
            self.with_context(**{STATE_FLOW: True}).write({"lead_state": state})

    def action_set_lost(self, **additional_values):
        if not additional_values.get("lost_reason_id") and any(
            lead.type == "lead" for lead in self
        ):
            raise UserError(_("Choose a lost reason to close the lead."))
        # Archive and reason in one write, so the reason is known when closing.
        return super(
            CrmLead,
            self.with_context(**{STATE_FLOW: True}),
        ).action_set_lost(**additional_values)

    def action_mark_contacted(self):
        self._check_manual_state_change("contacted")
        self._set_lead_state("contacted")

    def action_mark_qualified(self):
        self._check_manual_state_change("qualified")
        self._set_lead_state("qualified")
