from odoo import _, fields, models
from odoo.exceptions import UserError

from ..tools.internal_flow import MAINTAINED, internal_context
from .crm_lead_consent import CONSENT_CHANNELS


# crm.lead is split by concern on purpose, one file each (see __init__.py).
# pylint: disable=consider-merging-classes-inherited
class CrmLead(models.Model):
    """Appointment confirmation and information material, sent from the lead."""

    _inherit = "crm.lead"

    send_info_material = fields.Boolean(string="Send Information Material")
    info_material_sent_date = fields.Datetime(
        string="Information Material Sent On", readonly=True, copy=False
    )

    def _check_can_send_lead_mail(self, purpose):
        for lead in self:
            if not (lead.partner_id or lead.email_from):
                raise UserError(
                    _(
                        "Lead “%(lead)s” has neither a main contact nor an e-mail "
                        "address to write to.",
                        lead=lead.display_name,
                    )
                )
            if purpose == "appointment_confirmation" and not lead.appointment_start:
                raise UserError(
                    _(
                        "Lead “%(lead)s” has no planned appointment to confirm: set "
                        "Appointment From first.",
                        lead=lead.display_name,
                    )
                )
            if purpose == "opt_in":
                self.env["crm.lead.consent"]._check_can_request(lead, CONSENT_CHANNELS)

    def _open_lead_mail_wizard(self, purpose):
        self.ensure_one()
        self._check_can_send_lead_mail(purpose)
        titles = {
            "appointment_confirmation": _("Send Appointment Confirmation"),
            "info_material": _("Send Information Material"),
            "opt_in": _("Request Opt-in"),
        }
        return self._open_wizard(
            "crm.lead.mail", titles[purpose], default_purpose=purpose
        )

    def action_send_appointment_confirmation(self):
        return self._open_lead_mail_wizard("appointment_confirmation")

    def action_send_info_material(self):
        return self._open_lead_mail_wizard("info_material")

    def _lead_energy_mail_sent(self, purpose):
        """After the mail left: an Open lead is Contacted, material is done."""
        self.filtered(lambda lead: lead.lead_state == "open")._set_lead_state(
            "contacted"
        )
        if purpose == "opt_in":
            # Done once the open request's link went out (also when its
            # template was chosen in the chatter's composer).
            self.filtered(
                lambda lead: "requested" in lead.sudo().consent_ids.mapped("state")
            ).write({"request_opt_in": False})
        if purpose == "info_material":
            self.with_context(**internal_context(MAINTAINED)).write(
                {
                    "send_info_material": False,
                    "info_material_sent_date": fields.Datetime.now(),
                }
            )
