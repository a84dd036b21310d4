from odoo import fields, models


class ResPartnerIndustry(models.Model):
    _inherit = "res.partner.industry"

    # The capture screen offers the industrys that are rated.
    lead_energy_scoring_option_ids = fields.One2many(
        "crm.lead.scoring.option", "industry_id", string="Lead Scoring Option"
    )

    def unlink(self):
        """A deleted industry takes its scoring option along."""
        options = self.env["crm.lead.scoring.option"]
        return options._unlink_linked(self, super().unlink)
