from odoo import fields, models


class MailComposeMessage(models.TransientModel):
    _inherit = "mail.compose.message"

    lead_energy_purpose = fields.Selection(related="template_id.lead_energy_purpose")

    def _action_send_mail_comment(self, res_ids):
        messages = super()._action_send_mail_comment(res_ids)
        if self.model == "crm.lead" and self.lead_energy_purpose:
            self.env["crm.lead"].browse(res_ids)._lead_energy_mail_sent(
                self.lead_energy_purpose
            )
        return messages
