from odoo import _, api, fields, models
from odoo.tools import email_normalize

from .crm_lead_consent import STATES


# crm.lead is split by concern on purpose, one file each (see __init__.py).
# pylint: disable=consider-merging-classes-inherited
class CrmLead(models.Model):
    """The double opt-in of the lead's contact (see crm_lead_consent.py)."""

    _inherit = "crm.lead"

    consent_ids = fields.One2many(
        "crm.lead.consent", "lead_id", string="Marketing Consents", readonly=True
    )
    opt_in_state = fields.Selection(
        STATES,
        string="Opt-in",
        compute="_compute_opt_in_state",
        store=True,
        index="btree_not_null",
        help="The state of the lead's latest opt-in request.",
    )

    @api.depends("consent_ids.state", "consent_ids.request_date")
    def _compute_opt_in_state(self):
        for lead in self:
            latest = lead.sudo().consent_ids.sorted(
                lambda consent: (consent.request_date, consent.id), reverse=True
            )[:1]
            lead.opt_in_state = latest.state or False

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

    def action_request_opt_in(self):
        """The opt-in mail's wizard: template, recipient and channels."""
        return self._open_lead_mail_wizard("opt_in")

    def action_view_consents(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.lead.consent",
            "views": [(False, "list"), (False, "form")],
            "name": _("Marketing Consents"),
            "domain": [("lead_id", "=", self.id)],
            "context": {"create": False},
        }

    # -- links in the module's mail templates -----------------------------------

    def _opt_in_url(self):
        """The confirmation link of the lead's open request ("" without one)."""
        self.ensure_one()
        consents = self.sudo().consent_ids.filtered(
            lambda consent: consent.state == "requested"
        )
        return consents._answer_url() if consents else ""

    def _opt_out_url(self):
        """The withdrawal link for the lead's advertising mails: of its
        confirmed consent, else an objection link for its e-mail address (""
        without one)."""
        self.ensure_one()
        consents = self.sudo().consent_ids.filtered(
            lambda consent: consent.state == "confirmed" and consent.channel == "email"
        )
        if consents:
            return consents._withdraw_url()
        email = email_normalize(self.email_from or "")
        return self.env["crm.lead.consent"]._objection_url(self, email) if email else ""

    # -- conversion and merge ---------------------------------------------------

    def write(self, vals):
        result = super().write(vals)
        if vals.get("partner_id"):
            self._consents_to_contact()
        return result

    def _consents_to_contact(self):
        """The lead's consents follow it to its contact (on conversion, or when
        the main contact is set), unless they already name one."""
        for lead in self.filtered("partner_id"):
            lead.sudo().consent_ids.filtered(
                lambda consent: not consent.partner_id
            ).write({"partner_id": lead.partner_id.id})

    def _merge_dependences(self, opportunities):
        result = super()._merge_dependences(opportunities)
        # The proof moves to the surviving lead before CRM deletes the others.
        self.env["crm.lead.consent"].sudo().search(
            [("lead_id", "in", opportunities.ids)]
        ).write({"lead_id": self.id})
        return result
