from odoo import api, fields, models


class CrmEnergyEstimationPrice(models.Model):
    _name = "crm.energy.estimation.price"
    _description = "PV Price per kWp by Size"
    _order = "up_to_kwp"

    estimation_id = fields.Many2one(
        "crm.energy.estimation", required=True, ondelete="cascade", index=True
    )
    up_to_kwp = fields.Float(
        string="Up to kWp", help="Systems up to this size; 0 for every larger one."
    )
    eur_per_kwp = fields.Float(string="EUR per kWp", required=True)

    _sql_constraints = [
        ("price_positive", "CHECK(eur_per_kwp > 0)", "A price is positive."),
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
