from odoo import api, fields, models

ORIENTATIONS = [
    ("s", "South"),
    ("se_sw", "South-East / South-West"),
    ("e_w", "East / West"),
    ("n", "North"),
]
PITCHES = [
    ("flat", "Flat (under 15°)"),
    ("medium", "Medium (15–40°)"),
    ("steep", "Steep (over 40°)"),
]


class CrmEnergyEstimationYield(models.Model):
    _name = "crm.energy.estimation.yield"
    _description = "Specific Yield by Orientation and Pitch"
    _order = "orientation, pitch"

    estimation_id = fields.Many2one(
        "crm.energy.estimation", required=True, ondelete="cascade", index=True
    )
    orientation = fields.Selection(ORIENTATIONS, required=True)
    pitch = fields.Selection(PITCHES, required=True)
    specific_yield = fields.Float(
        string="kWh per kWp and Year", required=True, digits=(6, 0)
    )

    _sql_constraints = [
        (
            "orientation_pitch_uniq",
            "unique(estimation_id, orientation, pitch)",
            "Each orientation and pitch has one specific yield.",
        ),
        ("yield_positive", "CHECK(specific_yield > 0)", "A yield is positive."),
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
