from odoo import models

from .crm_lead_scoring_criterion import CRITERION_FIELDS


class IrFieldsConverter(models.AbstractModel):
    _inherit = "ir.fields.converter"

    def _str_to_many2one(self, model, field, values):
        """Import ratings by name within their criterion.

        Option names may repeat across criteria ("None"); the lead's column
        tells which criterion is meant.
        """
        if (
            model._name == "crm.lead"
            and field.comodel_name == "crm.lead.scoring.option"
        ):
            code = {f: c for c, f in CRITERION_FIELDS.items()}[field.name]
            self = self.with_context(lead_energy_scoring_criterion=code)
        return super()._str_to_many2one(model, field, values)
