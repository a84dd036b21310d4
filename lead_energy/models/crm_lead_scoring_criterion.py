from odoo import api, fields, models

from ..tools.scoring import ScoringConfig

# The six criteria of the documentation: code -> the crm.lead field rated.
CRITERION_FIELDS = {
    "influence": "influence_option_id",
    "size": "size_option_id",
    "industry": "industry_id",
    "need": "need_option_id",
    "source": "source_id",
    "volume": "volume_option_id",
}
# Criteria whose lead field points at a record of another model; their options
# link that record (res.partner.industry, utm.source) to points.
LINKED_CRITERIA = {"industry": "industry_id", "source": "source_id"}
# The lead fields rated with a scoring option (not an industry or a source),
# lead field -> criterion code.
OPTION_FIELDS = {
    field: code
    for code, field in CRITERION_FIELDS.items()
    if code not in LINKED_CRITERIA
}


class CrmLeadScoringCriterion(models.Model):
    _name = "crm.lead.scoring.criterion"
    _description = "Lead Scoring Criterion"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Selection(
        [
            ("influence", "Influence"),
            ("size", "Size"),
            ("industry", "Industry"),
            ("need", "Need"),
            ("source", "Source"),
            ("volume", "Volume"),
        ],
        required=True,
        readonly=True,
    )
    sequence = fields.Integer(default=10)
    weight = fields.Integer(
        default=1,
        required=True,
        help="How much this criterion counts against the others (0 ignores it).",
    )
    description = fields.Text(translate=True)
    option_ids = fields.One2many(
        "crm.lead.scoring.option", "criterion_id", string="Options"
    )
    max_points = fields.Integer(compute="_compute_max_points")

    _sql_constraints = [
        ("code_uniq", "unique(code)", "Each criterion exists once."),
        ("weight_positive", "CHECK(weight >= 0)", "A weight cannot be negative."),
    ]

    @api.depends("option_ids.points", "option_ids.active")
    def _compute_max_points(self):
        for criterion in self:
            criterion.max_points = max(criterion.option_ids.mapped("points") or [0])

    @api.model
    def _scoring_config(self, criteria=None, options=None):
        """The weights and points of every criterion and active option; a
        caller that has read them already passes them."""
        if criteria is None:
            criteria = self.sudo().search([])
        if options is None:
            options = self.env["crm.lead.scoring.option"].sudo().search([])
        return ScoringConfig(
            {criterion.code: criterion.weight for criterion in criteria},
            [
                (option.criterion_id.code, option._scoring_key(), option.points)
                for option in options
            ],
        )

    def write(self, vals):
        if "weight" not in vals:
            return super().write(vals)
        before = self._scoring_config()
        result = super().write(vals)
        self.env["crm.lead"]._recompute_lead_scores(before)
        return result
