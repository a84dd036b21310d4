from odoo import fields, models


class CrmEnergyEstimationPrice(models.Model):
    _name = "crm.energy.estimation.price"
    _inherit = "crm.energy.estimation.line"
    _description = "PV Price per kWp by Size"
    _order = "up_to_kwp"

    up_to_kwp = fields.Float(
        string="Up to kWp", help="Systems up to this size; 0 for every larger one."
    )
    eur_per_kwp = fields.Float(string="EUR per kWp", required=True)

    _sql_constraints = [
        ("price_positive", "CHECK(eur_per_kwp > 0)", "A price is positive."),
    ]
