from odoo import fields, models

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
    _inherit = "crm.energy.estimation.line"
    _description = "Specific Yield by Orientation and Pitch"
    _order = "orientation, pitch"

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
