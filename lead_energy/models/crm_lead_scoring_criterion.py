from odoo import api, fields, models

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


class ScoringConfig:
    """The weights and points in force, read once, to score many leads."""

    def __init__(self, criteria, options):
        self.weights = {c.code: c.weight for c in criteria}
        self.points = {}  # (code, option or linked record id) -> points
        self.maxima = dict.fromkeys(self.weights, 0)
        for option in options:
            code = option.criterion_id.code
            key = (
                option[LINKED_CRITERIA[code]].id
                if code in LINKED_CRITERIA
                else option.id
            )
            self.points[code, key] = option.points
            self.maxima[code] = max(self.maxima[code], option.points)
        self.denominator = sum(
            self.weights[code] * self.maxima[code] for code in self.weights
        )

    def points_of(self, code, record_id):
        return self.points.get((code, record_id), 0) if record_id else 0

    def score(self, rated_ids):
        """Score 0-100 from {criterion code: rated record id or False}."""
        if not self.denominator:
            return 0
        total = sum(
            self.weights[code] * self.points_of(code, record_id)
            for code, record_id in rated_ids.items()
            if code in self.weights
        )
        # 100 * total / denominator, rounded half up in integers (as in SQL).
        return (200 * total + self.denominator) // (2 * self.denominator)


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
    def _scoring_config(self):
        criteria = self.sudo().search([])
        options = self.env["crm.lead.scoring.option"].sudo().search([])
        return ScoringConfig(criteria, options)

    def write(self, vals):
        if "weight" not in vals:
            return super().write(vals)
        before = self._scoring_config()
        result = super().write(vals)
        self.env["crm.lead"]._recompute_lead_scores(before)
        return result
