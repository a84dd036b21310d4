from odoo import api, fields, models
from odoo.fields import Command

# Where a suggested line's quantity comes from.
QUANTITIES = [
    ("pv_kwp", "Estimated PV (kWp)"),
    ("battery_kwh", "Suggested Battery (kWh)"),
    ("one", "One"),
]


class CrmEnergyOfferLine(models.Model):
    """Which product a quotation made from a lead suggests, and how many:
    the estimate's kWp of modules, kWh of storage, or one (a wallbox, the
    installation), for every lead or only for leads with an interest."""

    _name = "crm.energy.offer.line"
    _description = "Suggested Quotation Line"
    _order = "sequence, id"

    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    product_id = fields.Many2one(
        "product.product",
        required=True,
        ondelete="cascade",
        domain="[('sale_ok', '=', True)]",
    )
    quantity_from = fields.Selection(QUANTITIES, required=True, default="one")
    interest_id = fields.Many2one(
        "crm.energy.interest",
        string="Only With Interest",
        help="Suggest the line only for leads with this interest.",
    )
    active = fields.Boolean(default=True)

    @api.model
    def _order_lines_for(self, lead):
        """Commands for the quotation's suggested lines (none without a
        quantity: no estimate, no line that depends on it)."""
        rules = self.search(
            [("company_id", "in", (lead.company_id or self.env.company).ids)]
        )
        quantities = {
            "pv_kwp": lead.estimated_pv_kwp,
            "battery_kwh": lead.estimated_battery_kwh,
            "one": 1.0,
        }
        commands = []
        for rule in rules:
            if rule.interest_id and rule.interest_id not in lead.interest_ids:
                continue
            quantity = quantities[rule.quantity_from]
            if quantity:
                commands.append(
                    Command.create(
                        {"product_id": rule.product_id.id, "product_uom_qty": quantity}
                    )
                )
        return commands
