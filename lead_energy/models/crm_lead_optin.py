from odoo import models
from odoo.tools import email_normalize


# crm.lead is split by concern on purpose, one file each (see __init__.py).
# pylint: disable=consider-merging-classes-inherited
class CrmLead(models.Model):
    """The double opt-in of the lead's contact (see crm_lead_consent.py)."""

    _inherit = "crm.lead"

    def _consent_addresses(self, channels):
        """(channel, address) of the lead for the channels asked: its e-mail
        address normalised, its phone as CRM sanitises it."""
        self.ensure_one()
        addresses = []
        email = email_normalize(self.email_from or "")
        if "email" in channels and email:
            addresses.append(("email", email))
        phone = (
            self.phone_sanitized
            or self.mobile
            and self._phone_format(number=self.mobile)
        )
        if "phone" in channels and phone:
            addresses.append(("phone", phone))
        return addresses
