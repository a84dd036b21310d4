from odoo import api, fields, models


class CrmEnergyEstimationLine(models.AbstractModel):
    """What the lines of the estimation rules (yields, regional factors, price
    bands) share: their rules, and the leads' estimates recomputed when a
    line is added, changed or removed."""

    _name = "crm.energy.estimation.line"
    _description = "Line of the Estimation Rules"

    estimation_id = fields.Many2one(
        "crm.energy.estimation", required=True, ondelete="cascade", index=True
    )

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
