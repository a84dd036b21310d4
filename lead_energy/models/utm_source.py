from odoo import fields, models


class UtmSource(models.Model):
    _inherit = "utm.source"

    # The capture screen offers the sources that are rated.
    lead_energy_scoring_option_ids = fields.One2many(
        "crm.lead.scoring.option", "source_id", string="Lead Scoring Option"
    )

    def unlink(self):
        """A deleted source takes its scoring option along."""
        options = self.env["crm.lead.scoring.option"]
        return options._unlink_linked(self, super().unlink)
