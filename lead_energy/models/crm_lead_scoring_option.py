from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .crm_lead_scoring_criterion import LINKED_CRITERIA, OPTION_FIELDS

# Option fields a lead's score depends on.
SCORING_FIELDS = {"points", "active", "criterion_id", "industry_id", "source_id"}


class CrmLeadScoringOption(models.Model):
    _name = "crm.lead.scoring.option"
    _description = "Lead Scoring Option"
    _order = "criterion_id, sequence, id"

    name = fields.Char(required=True, translate=True)
    criterion_id = fields.Many2one(
        "crm.lead.scoring.criterion", required=True, ondelete="cascade", index=True
    )
    criterion_code = fields.Selection(related="criterion_id.code", store=True)
    points = fields.Integer(required=True, default=0)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    industry_id = fields.Many2one(
        "res.partner.industry",
        index="btree_not_null",
        ondelete="cascade",
        help="The industry this option gives points to.",
    )
    source_id = fields.Many2one(
        "utm.source",
        index="btree_not_null",
        ondelete="cascade",
        help="The source this option gives points to.",
    )
    volume_from_eur = fields.Float(
        string="Volume From (EUR)",
        help="Volume options: the estimated investment from this amount selects "
        "this option (see the lead's Site and Consumption).",
    )
    volume_to_eur = fields.Float(
        string="Volume Below (EUR)",
        help="Volume options: up to below this amount; 0 for no upper bound.",
    )

    _sql_constraints = [
        ("points_positive", "CHECK(points >= 0)", "Points cannot be negative."),
        (
            "industry_uniq",
            "unique(industry_id)",
            "This industry already has its points.",
        ),
        ("source_uniq", "unique(source_id)", "This source already has its points."),
    ]

    @api.constrains("criterion_id", "industry_id", "source_id")
    def _check_link_matches_criterion(self):
        messages = {
            "industry_id": _("Each industry option names the industry it rates."),
            "source_id": _("Each source option names the source it rates."),
        }
        for option in self:
            code = option.criterion_id.code
            for linked_code, field_name in LINKED_CRITERIA.items():
                if bool(option[field_name]) != (code == linked_code):
                    raise ValidationError(
                        _(
                            "Option “%(option)s” of %(criterion)s: %(rule)s Options of "
                            "the other criteria name no industry and no source.",
                            option=option.name,
                            criterion=option.criterion_id.name,
                            rule=messages[field_name],
                        )
                    )

    @api.onchange("industry_id", "source_id")
    def _onchange_link_name(self):
        linked = self.industry_id or self.source_id
        if linked and not self.name:
            self.name = linked.name

    @api.model_create_multi
    def create(self, vals_list):
        before = self.env["crm.lead.scoring.criterion"]._scoring_config()
        options = super().create(vals_list)
        self.env["crm.lead"]._recompute_lead_scores(before, options)
        return options

    def write(self, vals):
        if not SCORING_FIELDS.intersection(vals):
            return super().write(vals)
        if "criterion_id" in vals:
            self._check_no_lead_rated_with(vals["criterion_id"])
        before = self.env["crm.lead.scoring.criterion"]._scoring_config()
        linked_before = self._linked_ids()
        result = super().write(vals)
        self.env["crm.lead"]._recompute_lead_scores(before, self, linked_before)
        return result

    def _check_no_lead_rated_with(self, criterion_id):
        """A lead rated with an option keeps it in the field of its criterion:
        an option that rates leads stays in its criterion."""
        moved = self.filtered(lambda option: option.criterion_id.id != criterion_id)
        domain = [(field, "in", moved.ids) for field in OPTION_FIELDS]
        leads = self.env["crm.lead"].sudo().with_context(active_test=False)
        if moved and leads.search_count(["|"] * (len(domain) - 1) + domain, limit=1):
            raise ValidationError(
                _(
                    "Leads are rated with “%(options)s”: it cannot move to "
                    "another criterion. Create a new option there instead.",
                    options=", ".join(moved.mapped("name")),
                )
            )

    def unlink(self):
        before = self.env["crm.lead.scoring.criterion"]._scoring_config()
        # Leads rated with these options lose the rating (ON DELETE SET NULL):
        # rescore every rated lead.
        result = super().unlink()
        self.env["crm.lead"]._recompute_lead_scores(before)
        return result

    @api.model
    def _unlink_linked(self, linked, unlink):
        """Delete industries or sources with ``unlink``. The database deletes
        the options that name them (ON DELETE CASCADE, past the ORM): rescore
        as for a deleted option."""
        field = LINKED_CRITERIA[
            "industry" if linked._name != "utm.source" else "source"
        ]
        options = self.sudo().with_context(active_test=False)
        if not options.search_count([(field, "in", linked.ids)], limit=1):
            return unlink()
        before = self.env["crm.lead.scoring.criterion"]._scoring_config()
        result = unlink()
        self.env["crm.lead"]._recompute_lead_scores(before)
        return result

    def _scoring_key(self):
        """What a lead is rated with to earn this option's points: the option,
        or for industry and source the industry or source it names."""
        self.ensure_one()
        code = self.criterion_id.code
        return self[LINKED_CRITERIA[code]].id if code in LINKED_CRITERIA else self.id

    def _linked_ids(self):
        return {
            field: set(self.sudo()[field].ids) for field in LINKED_CRITERIA.values()
        }

    @api.model
    def _search_display_name(self, operator, value):
        domain = super()._search_display_name(operator, value)
        code = self.env.context.get("lead_energy_scoring_criterion")
        if code:
            domain = [("criterion_code", "=", code), *domain]
        return domain

    @api.model
    def _volume_options(self):
        """The active volume options that have an EUR range."""
        return self.search([("criterion_code", "=", "volume")]).filtered(
            lambda option: option.volume_from_eur or option.volume_to_eur
        )

    def _volume_option_for(self, amount):
        """Of these volume options (``_volume_options``), the one whose EUR
        range contains ``amount``."""
        for option in self:
            above = amount >= option.volume_from_eur
            below = not option.volume_to_eur or amount < option.volume_to_eur
            if above and below:
                return option
        return self.browse()
