from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .crm_lead_scoring_criterion import LINKED_CRITERIA

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
        before = self.env["crm.lead.scoring.criterion"]._scoring_config()
        linked_before = self._linked_ids()
        result = super().write(vals)
        self.env["crm.lead"]._recompute_lead_scores(before, self, linked_before)
        return result

    def unlink(self):
        before = self.env["crm.lead.scoring.criterion"]._scoring_config()
        # Leads rated with these options lose the rating (ON DELETE SET NULL):
        # rescore every rated lead.
        result = super().unlink()
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
