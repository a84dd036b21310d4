import base64
import binascii
import logging
from datetime import timedelta
from urllib.parse import urlsplit

from markupsafe import Markup, escape
from psycopg2.errors import SerializationFailure

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, create_index, email_normalize, format_date, format_datetime
from odoo.tools.image import base64_to_image
from odoo.tools.mail import generate_tracking_message_id

from .calendar_event import FROM_EVENT, FROM_LEAD
from .crm_lead_scoring_criterion import CRITERION_FIELDS, LINKED_CRITERIA
from .mail_thread import INBOX_ONLY

_logger = logging.getLogger(__name__)

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
# Leads whose follow-up date passed and whose follow-up employee was not told
# about that date yet; a partial index keeps the reminder cron proportional to
# them, whatever the size of the table.
FOLLOWUP_PENDING = (
    "followup_user_id IS NOT NULL AND followup_deadline IS NOT NULL"
    " AND active AND lead_state IN ('open', 'contacted', 'qualified')"
    " AND followup_notified_date IS DISTINCT FROM followup_deadline"
)
NOTIFY_PREFETCH_SIZE = 50
FOLLOWUP_BATCH_SIZE = 500
BUSINESS_CARD_MAX_BYTES = 10 * 1024 * 1024
RATING_FIELDS = tuple(CRITERION_FIELDS.values())
APPOINTMENT_FIELDS = {"meeting_user_id", "appointment_start", "appointment_stop"}
OPTION_FIELDS = {
    field: code
    for code, field in CRITERION_FIELDS.items()
    if code not in LINKED_CRITERIA
}
# Settings (ir.config_parameter) and their defaults.
SETTINGS = {
    "lead_energy.high_score_threshold": 70,
    "lead_energy.stale_days": 30,
    "lead_energy.new_days": 7,
}


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
    info_material_sent_date = fields.Datetime(
        string="Information Material Sent On", readonly=True, copy=False
    )
    request_opt_in = fields.Boolean(string="Request Opt-in")
    arrange_appointment = fields.Boolean()
    next_appointment_date = fields.Date(string="Next Appointment")

    # -- rating -----------------------------------------------------------------
    influence_option_id = fields.Many2one(
        "crm.lead.scoring.option",
        string="Influence",
        domain="[('criterion_code', '=', 'influence')]",
        index="btree_not_null",
        help="The contact's role in the buying decision.",
    )
    size_option_id = fields.Many2one(
        "crm.lead.scoring.option",
        string="Size",
        domain="[('criterion_code', '=', 'size')]",
        index="btree_not_null",
        help="Size of the prospect's organisation.",
    )
    industry_id = fields.Many2one(
        "res.partner.industry", index="btree_not_null", tracking=True
    )
    need_option_id = fields.Many2one(
        "crm.lead.scoring.option",
        string="Need",
        domain="[('criterion_code', '=', 'need')]",
        index="btree_not_null",
        help="How urgent the prospect's need is.",
    )
    volume_option_id = fields.Many2one(
        "crm.lead.scoring.option",
        string="Volume",
        domain="[('criterion_code', '=', 'volume')]",
        index="btree_not_null",
        help="Expected order volume.",
    )
    lead_score = fields.Integer(
        compute="_compute_lead_score",
        store=True,
        index=True,
        aggregator="avg",
        help="0-100 from the rating: every criterion's points times its weight, "
        "against the best option of every criterion.",
    )
    score_breakdown = fields.Html(
        compute="_compute_score_breakdown", sanitize=False, string="Why This Score"
    )
    is_high_score = fields.Boolean(
        string="High Score",
        compute="_compute_score_flags",
        search="_search_is_high_score",
    )
    is_stale = fields.Boolean(
        string="Stale", compute="_compute_score_flags", search="_search_is_stale"
    )
    is_new = fields.Boolean(
        string="New", compute="_compute_score_flags", search="_search_is_new"
    )

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

    def init(self):
        result = super().init()
        create_index(
            self.env.cr,
            "crm_lead_followup_pending_index",
            self._table,
            ["followup_deadline", "id"],
            where=FOLLOWUP_PENDING,
        )
        return result

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

    # ------------------------------------------------------------------------
    # Scoring
    # ------------------------------------------------------------------------

    @api.model
    def _lead_energy_setting(self, key):
        value = self.env["ir.config_parameter"].sudo().get_param(key)
        try:
            return int(value) if value else SETTINGS[key]
        except ValueError:
            return SETTINGS[key]

    @api.model
    def _days_ago(self, setting):
        """Now minus the number of days a setting gives (stale, new)."""
        return fields.Datetime.now() - timedelta(
            days=self._lead_energy_setting(setting)
        )

    def _rated_ids(self):
        self.ensure_one()
        return {code: self[field].id for code, field in CRITERION_FIELDS.items()}

    @api.depends(*RATING_FIELDS)
    def _compute_lead_score(self):
        config = self.env["crm.lead.scoring.criterion"]._scoring_config()
        for lead in self:
            lead.lead_score = config.score(lead._rated_ids())

    @api.depends(*RATING_FIELDS)
    def _compute_score_breakdown(self):
        config = self.env["crm.lead.scoring.criterion"]._scoring_config()
        criteria = self.env["crm.lead.scoring.criterion"].sudo().search([])
        for lead in self:
            lead.score_breakdown = lead._render_score_breakdown(config, criteria)

    def _render_score_breakdown(self, config, criteria):
        rows = []
        for criterion in criteria:
            rated = self[CRITERION_FIELDS[criterion.code]]
            points = config.points_of(criterion.code, rated.id)
            rows.append(
                Markup(
                    "<tr><td>%s</td><td>%s</td><td class='text-end'>%s</td>"
                    "<td class='text-end'>× %s</td></tr>"
                )
                % (
                    criterion.name,
                    rated.display_name
                    if rated
                    else Markup("<span class='text-muted'>%s</span>") % _("not rated"),
                    _(
                        "%(points)s of %(max)s",
                        points=points,
                        max=config.maxima[criterion.code],
                    ),
                    criterion.weight,
                )
            )
        header = Markup(
            "<thead><tr><th>%s</th><th>%s</th><th class='text-end'>%s</th>"
            "<th class='text-end'>%s</th></tr></thead>"
        ) % (_("Criterion"), _("Rating"), _("Points"), _("Weight"))
        return (
            Markup(
                "<table class='table table-sm o_lead_energy_score_breakdown'>%s<tbody>"
            )
            % header
            + Markup("").join(rows)
            + Markup("</tbody></table>")
        )

    @api.depends("lead_score", "lead_state", "write_date", "create_date")
    def _compute_score_flags(self):
        threshold = self._lead_energy_setting("lead_energy.high_score_threshold")
        stale_before = self._days_ago("lead_energy.stale_days")
        new_since = self._days_ago("lead_energy.new_days")
        for lead in self:
            lead.is_high_score = lead.lead_score >= threshold
            lead.is_stale = bool(
                lead.lead_state in ACTIVE_STATES
                and lead.write_date
                and lead.write_date < stale_before
            )
            lead.is_new = bool(lead.create_date and lead.create_date >= new_since)

    @staticmethod
    def _positive_search(operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("This filter only searches for true or false."))
        return (operator == "=") == value

    def _search_is_high_score(self, operator, value):
        threshold = self._lead_energy_setting("lead_energy.high_score_threshold")
        comparison = ">=" if self._positive_search(operator, value) else "<"
        return [("lead_score", comparison, threshold)]

    def _search_is_stale(self, operator, value):
        stale_before = self._days_ago("lead_energy.stale_days")
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
        new_since = self._days_ago("lead_energy.new_days")
        comparison = ">=" if self._positive_search(operator, value) else "<"
        return [("create_date", comparison, new_since)]

    @api.model
    def _priority_follows_score(self):
        return bool(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("lead_energy.score_sets_priority")
        )

    @api.model
    def _priority_for_score(self, score):
        """Stars by score: three from the high-score threshold, then by thirds."""
        threshold = self._lead_energy_setting("lead_energy.high_score_threshold")
        if score >= threshold:
            return "3"
        if 3 * score >= 2 * threshold:
            return "2"
        if 3 * score >= threshold:
            return "1"
        return "0"

    @api.onchange(*RATING_FIELDS)
    def _onchange_rating_set_priority(self):
        if self._priority_follows_score():
            self.priority = self._priority_for_score(self.lead_score)

    def _sync_priority_with_score(self):
        if not self or not self._priority_follows_score():
            return
        by_priority = {}
        for lead in self:
            priority = self._priority_for_score(lead.lead_score)
            if lead.priority != priority:
                by_priority.setdefault(priority, self.browse())
                by_priority[priority] |= lead
        for priority, leads in by_priority.items():
            leads.write({"priority": priority})

    @api.model
    def _resolve_rating_names(self, vals):
        """Let integrations rate by name: {'influence_option_id': 'Decision Maker'}."""
        for field_name in RATING_FIELDS:
            value = vals.get(field_name)
            if not isinstance(value, str):
                continue
            field = self._fields[field_name]
            domain = [("name", "=ilike", value)]
            if field_name in OPTION_FIELDS:
                domain.append(("criterion_code", "=", OPTION_FIELDS[field_name]))
            found = self.env[field.comodel_name].search(domain, limit=1)
            if not found:
                raise UserError(
                    _(
                        "Unknown value “%(value)s” for %(field)s.",
                        value=value,
                        field=field._description_string(self.env),
                    )
                )
            vals[field_name] = found.id
        return vals

    @api.model
    def _recompute_lead_scores(
        self, before, options=None, linked_before=None, all_leads=False
    ):
        """Bring the stored scores in line with the scoring configuration.

        One UPDATE for all affected leads instead of the ORM's per-record
        recomputation. When neither a weight nor a criterion's best points
        changed, only the leads rated with ``options`` (or with the industries
        and sources they linked before) can change; otherwise every rated lead.
        """
        self.env.flush_all()
        config = self.env["crm.lead.scoring.criterion"]._scoring_config()
        unchanged = (before.weights, before.maxima) == (config.weights, config.maxima)
        if all_leads:
            scope = SQL("TRUE")
        elif options is not None and unchanged:
            scope = self._leads_rated_with(options, linked_before or {})
        else:
            scope = SQL(
                " OR ".join(f"lead.{field} IS NOT NULL" for field in RATING_FIELDS)
            )
        self._update_scores(config, scope)

    @api.model
    def _leads_rated_with(self, options, linked_before):
        conditions = [
            SQL("lead.%s = ANY(%s)", SQL.identifier(field), options.ids)
            for field in OPTION_FIELDS
        ]
        for field in LINKED_CRITERIA.values():
            linked_ids = set(options.sudo()[field].ids) | linked_before.get(
                field, set()
            )
            if linked_ids:
                conditions.append(
                    SQL("lead.%s = ANY(%s)", SQL.identifier(field), sorted(linked_ids))
                )
        return SQL(" OR ").join(conditions)

    @api.model
    def _update_scores(self, config, scope):
        weights = config.weights
        total = SQL(" + ").join(
            SQL(
                "%s * COALESCE(%s.points, 0)",
                weights.get(code, 0),
                SQL.identifier(f"o_{code}"),
            )
            for code in CRITERION_FIELDS
        )
        joins = SQL(" ").join(
            SQL(
                "LEFT JOIN crm_lead_scoring_option %s ON %s.%s = lead.%s AND %s.active",
                SQL.identifier(f"o_{code}"),
                SQL.identifier(f"o_{code}"),
                SQL.identifier(LINKED_CRITERIA.get(code, "id")),
                SQL.identifier(field),
                SQL.identifier(f"o_{code}"),
            )
            for code, field in CRITERION_FIELDS.items()
        )
        # Integer arithmetic, rounding half up: the same as ScoringConfig.score.
        denominator = config.denominator
        score = (
            SQL("(200 * (%s) + %s) / %s", total, denominator, 2 * denominator)
            if denominator
            else SQL("0")
        )
        threshold = self._lead_energy_setting("lead_energy.high_score_threshold")
        priority = SQL("lead.priority")
        if self._priority_follows_score():
            priority = SQL(
                "CASE WHEN new.score >= %s THEN '3' WHEN 3 * new.score >= 2 * %s "
                "THEN '2' WHEN 3 * new.score >= %s THEN '1' ELSE '0' END",
                threshold,
                threshold,
                threshold,
            )
        self.env.cr.execute(
            SQL(
                """
                UPDATE crm_lead AS lead
                   SET lead_score = new.score, priority = %(priority)s
                  FROM (SELECT lead.id, %(score)s AS score
                          FROM crm_lead AS lead %(joins)s
                         WHERE %(scope)s) AS new
                 WHERE lead.id = new.id
                   AND (lead.lead_score IS DISTINCT FROM new.score
                        OR lead.priority IS DISTINCT FROM %(priority)s)
                """,
                priority=priority,
                score=score,
                joins=joins,
                scope=scope,
            )
        )
        self.env["crm.lead"].invalidate_model(["lead_score", "priority"])
        return self.env.cr.rowcount

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
        vals_list = [self._resolve_rating_names(dict(vals)) for vals in vals_list]
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
        leads._sync_priority_with_score()
        leads.filtered(lambda lead: lead._has_full_appointment())._create_appointments()
        return leads

    def write(self, vals):
        if any(isinstance(vals.get(field), str) for field in RATING_FIELDS):
            vals = self._resolve_rating_names(dict(vals))
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
        appointment_changes = (
            APPOINTMENT_FIELDS & vals.keys() and not self.env.context.get(FROM_EVENT)
        )
        if appointment_changes:
            planned_before = {lead.id: lead._planned_appointment() for lead in self}
        result = super().write(vals)
        if appointment_changes:
            self._sync_appointments(planned_before)
        if any(field in vals for field in RATING_FIELDS):
            self._sync_priority_with_score()
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
    # Wizards started from the lead
    # ------------------------------------------------------------------------

    def _open_wizard(self, model, title, **context):
        self.ensure_one()
        self.check_access("write")
        return {
            "type": "ir.actions.act_window",
            "res_model": model,
            "views": [(False, "form")],
            "target": "new",
            "name": title,
            "context": {"default_lead_id": self.id, **context},
        }

    # ------------------------------------------------------------------------
    # Appointment
    # ------------------------------------------------------------------------

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
            "partner_ids": [(6, 0, partners.ids)],
            "description": description,
            "opportunity_id": self.id,
            "res_model_id": self.env["ir.model"]._get_id("crm.lead"),
            "res_id": self.id,
            "is_lead_appointment": True,
        }

    def _create_appointments(self):
        """One calendar event per lead, created in one batch, linked both ways."""
        if not self:
            return
        events = (
            self.env["calendar.event"]
            .with_context(**{FROM_LEAD: True})
            .create([lead._appointment_values() for lead in self])
        )
        self.env.cr.execute(
            """
            UPDATE crm_lead AS lead
               SET appointment_event_id = linked.event_id, appointment_created = TRUE
              FROM (SELECT unnest(%s::int[]) AS id, unnest(%s::int[]) AS event_id)
                   AS linked
             WHERE lead.id = linked.id
            """,
            [self.ids, events.ids],
        )
        self.invalidate_recordset(["appointment_event_id", "appointment_created"])
        for lead, event in zip(self, events, strict=True):
            if lead.meeting_user_id != self.env.user:
                lead._notify_appointment(event, lead.meeting_user_id, "created")

    def _lead_appointments(self):
        """The events claiming to be each lead's appointment, by lead id."""
        events = (
            self.env["calendar.event"]
            .sudo()
            .search(
                [("opportunity_id", "in", self.ids), ("is_lead_appointment", "=", True)]
            )
        )
        by_lead = {lead.id: self.env["calendar.event"] for lead in self}
        for event in events:
            by_lead[event.opportunity_id.id] |= event
        return by_lead

    def _sync_appointments(self, planned_before):
        """Create or update each lead's appointment after its planning changed."""
        candidates = self._lead_appointments()
        to_create = self.browse()
        for lead in self.filtered(lambda lead: lead._has_full_appointment()):
            events = candidates[lead.id]
            if not events and not lead.appointment_created:
                to_create |= lead
            elif len(events) == 1:
                lead._update_appointment(events, planned_before[lead.id])
            else:
                lead._report_unidentified_appointment(events)
        to_create._create_appointments()

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
            attendees = [(4, self.meeting_user_id.partner_id.id)]
            if old_user and old_user.partner_id != self.partner_id:
                attendees.append((3, old_user.partner_id.id))
            values["partner_ids"] = attendees
        event.with_context(**{FROM_LEAD: True}).write(values)
        if self.appointment_event_id != event:
            self.sudo().with_context(**{FROM_EVENT: True}).appointment_event_id = event
        if self.meeting_user_id != self.env.user:
            self._notify_appointment(event, self.meeting_user_id, "changed")

    def _report_unidentified_appointment(self, events):
        """Say, in the chatter and to the user, why the appointment stayed as it was."""
        self.ensure_one()
        if events:
            reason = _(
                "%(count)s calendar events claim to be the appointment of this lead.",
                count=len(events),
            )
        else:
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
        event.sudo().with_context(**{INBOX_ONLY: True}).message_notify(
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
        events = self._lead_appointments()[self.id]
        if len(events) != 1:
            raise UserError(
                _(
                    "The appointment of lead “%(lead)s” cannot be identified: "
                    "%(count)s calendar events claim to be it.",
                    lead=self.display_name,
                    count=len(events),
                )
                if events
                else _(
                    "The appointment of lead “%(lead)s” was deleted from the calendar.",
                    lead=self.display_name,
                )
            )
        return events

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

    # ------------------------------------------------------------------------
    # Follow-up reminders
    # ------------------------------------------------------------------------

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
        if remaining and leads and not self.env.context.get("ir_cron_progress_id"):
            # Started by hand or from code: let the cron worker do the rest.
            self.env.ref("lead_energy.ir_cron_notify_overdue_followups")._trigger()
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
            # leave this run's leads to a new transaction, in a few minutes.
            _logger.info("Overdue follow-ups changed meanwhile; retrying shortly.")
            self.env.ref("lead_energy.ir_cron_notify_overdue_followups")._trigger(
                fields.Datetime.now() + timedelta(minutes=5)
            )
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
            )
        )
        return self.browse(row[0] for row in self.env.cr.fetchall())

    def _notify_overdue_followup(self):
        leads = self.sudo().with_context(**{INBOX_ONLY: True})
        # What message_notify does lead by lead, in two steps: the batch's
        # messages in one INSERT, then Odoo's notification of each message
        # (inbox, live push, and whatever other modules add, e.g. mobile push).
        values_list = leads._followup_reminder_values()
        messages = leads._message_create(values_list)
        for start in range(0, len(leads), NOTIFY_PREFETCH_SIZE):
            # A slice is its own prefetch group. Formatting a message for the
            # live push walks its whole group, so groups are kept small.
            group = slice(start, start + NOTIFY_PREFETCH_SIZE)
            for lead, message, values in zip(
                leads[group], messages[group], values_list[group], strict=True
            ):
                lead._notify_thread(message, values)
        self.env.cr.execute(
            "UPDATE crm_lead SET followup_notified_date = followup_deadline"
            " WHERE id = ANY(%s)",
            [self.ids],
        )
        self.invalidate_recordset(["followup_notified_date"])

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
                    "message_type": "user_notification",
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

    # ------------------------------------------------------------------------
    # Mail: appointment confirmation and information material
    # ------------------------------------------------------------------------

    def _check_can_send_lead_mail(self, purpose):
        for lead in self:
            if not (lead.partner_id or lead.email_from):
                raise UserError(
                    _(
                        "Lead “%(lead)s” has neither a main contact nor an e-mail "
                        "address to write to.",
                        lead=lead.display_name,
                    )
                )
            if purpose == "appointment_confirmation" and not lead.appointment_start:
                raise UserError(
                    _(
                        "Lead “%(lead)s” has no planned appointment to confirm: set "
                        "Appointment From first.",
                        lead=lead.display_name,
                    )
                )

    def _open_lead_mail_wizard(self, purpose):
        self.ensure_one()
        self._check_can_send_lead_mail(purpose)
        titles = {
            "appointment_confirmation": _("Send Appointment Confirmation"),
            "info_material": _("Send Information Material"),
        }
        return self._open_wizard(
            "crm.lead.mail", titles[purpose], default_purpose=purpose
        )

    def action_send_appointment_confirmation(self):
        return self._open_lead_mail_wizard("appointment_confirmation")

    def action_send_info_material(self):
        return self._open_lead_mail_wizard("info_material")

    def _lead_energy_mail_sent(self, purpose):
        """After the mail left: an Open lead is Contacted, material is done."""
        self.filtered(lambda lead: lead.lead_state == "open")._set_lead_state(
            "contacted"
        )
        if purpose == "info_material":
            self.write(
                {
                    "send_info_material": False,
                    "info_material_sent_date": fields.Datetime.now(),
                }
            )

    # ------------------------------------------------------------------------
    # Contact persons, conversion, inquiry and offer
    # ------------------------------------------------------------------------

    def _check_has_main_contact(self):
        for lead in self:
            if not lead.partner_id:
                raise UserError(
                    _(
                        "Lead “%(lead)s” has no main contact yet: create the contact "
                        "person first.",
                        lead=lead.display_name,
                    )
                )

    def action_open_further_contacts(self):
        self._check_has_main_contact()
        return self._open_wizard(
            "crm.lead.further.contacts", _("Add Further Contact Persons")
        )

    def _add_further_contacts(self, partners):
        """Add partners as further contacts; the main contact and those already
        there are left out, so repeating it changes nothing."""
        self.ensure_one()
        self._check_has_main_contact()
        new = partners - self.partner_id - self.further_contact_ids
        if new:
            self.further_contact_ids = [(4, partner.id) for partner in new]
        return new

    def action_open_convert_contact(self):
        self.ensure_one()
        if self.partner_id:
            raise UserError(
                _(
                    "Lead “%(lead)s” already has its contact person %(contact)s.",
                    lead=self.display_name,
                    contact=self.partner_id.display_name,
                )
            )
        return self._open_wizard("crm.lead.convert.contact", _("Create Contact Person"))

    def _check_converted(self):
        for lead in self:
            if lead.lead_state != "converted" or not lead.partner_id:
                raise UserError(
                    _(
                        "Lead “%(lead)s” is not converted yet: create its business "
                        "partner and contact person first.",
                        lead=lead.display_name,
                    )
                )

    def action_create_inquiry(self):
        """The inquiry is the opportunity: Odoo's own conversion of the lead."""
        self.ensure_one()
        self._check_converted()
        if self.type == "lead":
            # Passing the salesperson and team keeps them: CRM would otherwise
            # pick the default team for opportunities.
            self.convert_opportunity(
                self.partner_id, user_ids=self.user_id.ids, team_id=self.team_id.id
            )
            self.message_post(body=_("Inquiry created from the lead."))
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.lead",
            "res_id": self.id,
            "views": [(self.env.ref("crm.crm_lead_view_form").id, "form")],
            "name": _("Inquiry"),
        }

    def action_create_offer(self):
        """A new quotation for the business partner, on the inquiry."""
        self.ensure_one()
        self._check_converted()
        if self.type == "lead":
            self.action_create_inquiry()
        action = self.action_new_quotation()
        action["context"]["default_partner_id"] = (
            self.partner_id.commercial_partner_id.id
        )
        return action

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
