from odoo import fields, models


class CrmEnergyLeadType(models.Model):
    _name = "crm.energy.lead.type"
    _description = "Lead Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
