from odoo import api, fields, models


class CrmEnergyEstimationRegion(models.Model):
    _name = "crm.energy.estimation.region"
    _description = "Regional Yield Factor by Postcode"
    _order = "prefix"

    estimation_id = fields.Many2one(
        "crm.energy.estimation", required=True, ondelete="cascade", index=True
    )
    name = fields.Char(string="Region")
    prefix = fields.Char(
        string="Postcode Prefix",
        required=True,
        help="Postcodes starting with this; the longest matching prefix counts.",
    )
    factor = fields.Float(required=True, default=1.0, digits=(3, 2))

    _sql_constraints = [
        ("prefix_uniq", "unique(estimation_id, prefix)", "A prefix has one factor."),
        ("factor_positive", "CHECK(factor > 0)", "A factor is positive."),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.estimation_id._recompute_lead_estimates()
        return lines

    def write(self, vals):
        estimations = self.estimation_id
        result = super().write(vals)
        (estimations | self.estimation_id)._recompute_lead_estimates()
        return result

    def unlink(self):
        estimations = self.estimation_id
        result = super().unlink()
        estimations._recompute_lead_estimates()
        return result
