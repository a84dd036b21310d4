from random import randint

from odoo import fields, models


class CrmEnergyInterest(models.Model):
    _name = "crm.energy.interest"
    _description = "Energy Interest"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    color = fields.Integer(default=lambda self: randint(1, 11))
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
