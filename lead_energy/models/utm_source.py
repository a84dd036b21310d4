from odoo import models


class UtmSource(models.Model):
    _inherit = "utm.source"

    def unlink(self):
        """A deleted source takes its scoring option along."""
        options = self.env["crm.lead.scoring.option"]
        return options._unlink_linked(self, super().unlink)
