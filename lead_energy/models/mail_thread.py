from odoo import models

from ..tools.internal_flow import in_internal_flow

# Flag (tools/internal_flow.py) for notifications that go to the Odoo inbox
# only, never by e-mail (lead_energy's appointment and follow-up notifications).
INBOX_ONLY = "lead_energy_inbox_only"


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _notify_get_recipients(self, message, msg_vals, **kwargs):
        recipients = super()._notify_get_recipients(message, msg_vals, **kwargs)
        if in_internal_flow(self.env, INBOX_ONLY):
            recipients = inbox_only(recipients)
        return recipients


def inbox_only(recipients):
    """The recipients of an inbox-only notification: employees. An archived
    user (no active user left) or a portal user would only get an e-mail."""
    recipients = [
        recipient
        for recipient in recipients
        if recipient.get("uid") and not recipient.get("ushare")
    ]
    for recipient in recipients:
        recipient["notif"] = "inbox"
    return recipients
