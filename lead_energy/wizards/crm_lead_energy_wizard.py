from odoo import api, fields, models


class CrmLeadEnergyWizard(models.AbstractModel):
    """What every wizard started from a lead shares: the lead, which the user
    must be allowed to edit, and the lead's precondition for the wizard,
    checked when the wizard is created (from the form or over RPC)."""

    _name = "crm.lead.energy.wizard"
    _description = "Wizard Started from an Energy Lead"

    lead_id = fields.Many2one("crm.lead", required=True, readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        for wizard in wizards:
            wizard.lead_id.check_access("write")
            wizard._check_lead()
        return wizards

    def _check_lead_access(self):
        """Before every action of the wizard: it is the user's own (record
        rule), and the user may still edit its lead."""
        self.ensure_one()
        self.check_access("write")
        self.lead_id.check_access("write")
        return True

    def _check_lead(self):
        """Raise a UserError when the lead does not allow this wizard."""
        self.ensure_one()
        return True
