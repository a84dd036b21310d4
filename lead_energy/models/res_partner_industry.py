from odoo import models


class ResPartnerIndustry(models.Model):
    _inherit = "res.partner.industry"

    def unlink(self):
        """A deleted industry takes its scoring option along."""
        options = self.env["crm.lead.scoring.option"]
        return options._unlink_linked(self, super().unlink)
