from odoo import fields, models


class CrmEnergyEstimationRegion(models.Model):
    _name = "crm.energy.estimation.region"
    _inherit = "crm.energy.estimation.line"
    _description = "Regional Yield Factor by Postcode"
    _order = "prefix"

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
