import random
import time

from markupsafe import Markup

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.service.model import (
    MAX_TRIES_ON_CONCURRENCY_FAILURE,
    PG_CONCURRENCY_EXCEPTIONS_TO_RETRY,
)
from odoo.tools import SQL

from ..tools.scoring import NO_PRIORITY, PRIORITY_BANDS, SCORE_SQL, priority_for_score
from .crm_lead_scoring_criterion import (
    CRITERION_FIELDS,
    LINKED_CRITERIA,
    OPTION_FIELDS,
)
from .res_config_settings import HIGH_SCORE_THRESHOLD, SCORE_SETS_PRIORITY

RATING_FIELDS = tuple(CRITERION_FIELDS.values())


def rating_option_field(criterion, string, help_text):
    """The lead's rating in one criterion: one of that criterion's options."""
    return fields.Many2one(
        "crm.lead.scoring.option",
        string=string,
        domain=f"[('criterion_code', '=', '{criterion}')]",
        index="btree_not_null",
        help=help_text,
    )


# crm.lead is split by concern on purpose, one file each (see __init__.py).
# pylint: disable=consider-merging-classes-inherited
class CrmLead(models.Model):
    """The rating, the lead score it gives, and the priority stars."""

    _inherit = "crm.lead"

    influence_option_id = rating_option_field(
        "influence", "Influence", "The contact's role in the buying decision."
    )
    size_option_id = rating_option_field(
        "size", "Size", "Size of the prospect's organisation."
    )
    industry_id = fields.Many2one(
        "res.partner.industry", index="btree_not_null", tracking=True
    )
    need_option_id = rating_option_field(
        "need", "Need", "How urgent the prospect's need is."
    )
    volume_option_id = rating_option_field("volume", "Volume", "Expected order volume.")
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
        compute="_compute_is_high_score",
        search="_search_is_high_score",
    )

    # ------------------------------------------------------------------------
    # Score and breakdown
    # ------------------------------------------------------------------------

    @api.constrains(*OPTION_FIELDS)
    def _check_rating_criteria(self):
        """Each rating is an option of its own criterion: the score counts an
        option only there."""
        for lead in self:
            for field_name, code in OPTION_FIELDS.items():
                option = lead[field_name].sudo()
                if option and option.criterion_code != code:
                    raise ValidationError(
                        _(
                            "“%(option)s” is an option of %(criterion)s and cannot "
                            "rate %(field)s.",
                            option=option.name,
                            criterion=option.criterion_id.name,
                            field=self._fields[field_name]._description_string(
                                self.env
                            ),
                        )
                    )

    def _rated_ids(self):
        self.ensure_one()
        return {code: self[field].id for code, field in CRITERION_FIELDS.items()}

    @api.depends(*RATING_FIELDS)
    def _compute_lead_score(self):
        if any(self.ids):
            self._lock_scoring_config()
        config = self.env["crm.lead.scoring.criterion"]._scoring_config()
        for lead in self:
            lead.lead_score = config.score(lead._rated_ids())

    @api.depends(*RATING_FIELDS)
    def _compute_score_breakdown(self):
        criteria = self.env["crm.lead.scoring.criterion"].sudo().search([])
        options = self.env["crm.lead.scoring.option"].sudo().search([])
        config = criteria._scoring_config(criteria, options)
        # An industry or a source is named by its option: the option's name is
        # translated, a UTM source's name is not.
        option_names = {
            (option.criterion_id.code, option._scoring_key()): option.name
            for option in options
        }
        for lead in self:
            lead.score_breakdown = lead._render_score_breakdown(
                config, criteria, option_names
            )

    def _render_score_breakdown(self, config, criteria, option_names):
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
                    option_names.get((criterion.code, rated.id), rated.display_name)
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

    @api.depends("lead_score")
    def _compute_is_high_score(self):
        threshold = self._lead_energy_setting(HIGH_SCORE_THRESHOLD)
        for lead in self:
            lead.is_high_score = lead.lead_score >= threshold

    def _search_is_high_score(self, operator, value):
        threshold = self._lead_energy_setting(HIGH_SCORE_THRESHOLD)
        comparison = ">=" if self._positive_search(operator, value) else "<"
        return [("lead_score", comparison, threshold)]

    # ------------------------------------------------------------------------
    # Priority stars following the score
    # ------------------------------------------------------------------------

    @api.model
    def _priority_follows_score(self):
        return bool(
            self.env["ir.config_parameter"].sudo().get_param(SCORE_SETS_PRIORITY)
        )

    @api.model
    def _priority_for_score(self, score):
        threshold = self._lead_energy_setting(HIGH_SCORE_THRESHOLD)
        return priority_for_score(score, threshold)

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

    # ------------------------------------------------------------------------
    # ORM: rating by name, priority after rating
    # ------------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [self._resolve_rating_names(dict(vals)) for vals in vals_list]
        leads = super().create(vals_list)
        leads._sync_priority_with_score()
        return leads

    def write(self, vals):
        if any(isinstance(vals.get(field), str) for field in RATING_FIELDS):
            vals = self._resolve_rating_names(dict(vals))
        result = super().write(vals)
        if any(field in vals for field in RATING_FIELDS):
            self._sync_priority_with_score()
        return result

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

    # ------------------------------------------------------------------------
    # Set-based rescoring after a configuration change
    # ------------------------------------------------------------------------

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
            # A lead that lost its last rating (option deleted) still has a score.
            scope = SQL(
                " OR ".join(
                    [f"lead.{field} IS NOT NULL" for field in RATING_FIELDS]
                    + ["lead.lead_score <> 0"]
                )
            )
        self._update_scores(config, scope)
        self._mark_scoring_changed()
        self._rescore_after_commit(scope)

    # A rating computes its score from the configuration it sees; a change of
    # the configuration rescored only the leads it saw rated. Under Odoo's
    # REPEATABLE READ, two rules keep a concurrent rating from keeping a stale
    # score: the rating shares a lock on the criteria, which every change of
    # the configuration updates (a rating that saw the old configuration then
    # fails to serialise and is retried), and the change rescores once more
    # after its commit (it may have waited for a rating it could not see).

    @api.model
    def _lock_scoring_config(self):
        # Failing to serialise is this lock's purpose: Odoo retries the
        # request, no error to log.
        self.env.cr.execute(
            "SELECT id FROM crm_lead_scoring_criterion FOR SHARE",
            log_exceptions=False,
        )

    @api.model
    def _mark_scoring_changed(self):
        self.env.cr.execute(
            "UPDATE crm_lead_scoring_criterion SET write_date = %s",
            [self.env.cr.now()],
        )
        self.env["crm.lead.scoring.criterion"].invalidate_model(
            ["write_date"], flush=False
        )

    @api.model
    def _rescore_after_commit(self, scope):
        if not self.pool.ready:
            return  # installing or upgrading: no request rates meanwhile
        registry = self.pool

        @self.env.cr.postcommit.add
        def rescore():
            # A rating that commits meanwhile has its own score right: when it
            # holds a lead this pass wants, take a new snapshot and go again.
            for attempt in range(MAX_TRIES_ON_CONCURRENCY_FAILURE):
                try:
                    with registry.cursor() as cr:
                        env = api.Environment(cr, SUPERUSER_ID, {})
                        config = env["crm.lead.scoring.criterion"]._scoring_config()
                        env["crm.lead"]._update_scores(config, scope)
                    return
                except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                    if attempt + 1 == MAX_TRIES_ON_CONCURRENCY_FAILURE:
                        raise
                    time.sleep(random.uniform(0.0, 2**attempt))

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
    def _score_sql(self, config):
        """The score of ``lead`` joined with its options ``o_<code>``, in SQL."""
        total = SQL(" + ").join(
            SQL(
                "%s * COALESCE(%s.points, 0)",
                config.weights.get(code, 0),
                SQL.identifier(f"o_{code}"),
            )
            for code in CRITERION_FIELDS
        )
        denominator = config.denominator
        if not denominator:
            return SQL("0")
        return SQL(SCORE_SQL, total, denominator, 2 * denominator)

    @api.model
    def _rating_joins_sql(self):
        return SQL(" ").join(
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

    @api.model
    def _priority_sql(self, score):
        """The priority for ``score`` (SQL), or the lead's own if it does not
        follow the score."""
        if not self._priority_follows_score():
            return SQL("lead.priority")
        threshold = self._lead_energy_setting(HIGH_SCORE_THRESHOLD)
        bands = SQL(" ").join(
            SQL("WHEN 3 * (%s) >= %s THEN %s", score, thirds * threshold, stars)
            for stars, thirds in PRIORITY_BANDS
        )
        return SQL("CASE %s ELSE %s END", bands, NO_PRIORITY)

    @api.model
    def _update_scores(self, config, scope):
        priority = self._priority_sql(SQL("new.score"))
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
                score=self._score_sql(config),
                joins=self._rating_joins_sql(),
                scope=scope,
            )
        )
        self.env["crm.lead"].invalidate_model(["lead_score", "priority"], flush=False)
        return self.env.cr.rowcount
