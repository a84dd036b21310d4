import hashlib
import uuid

from odoo import _, api, fields, models

from ..tools import consent_token
from ..tools.consent_token import TokenError

# The "request" of an objection link: the company, the lead and the address.
OBJECTION = "objection:"


# The consent's objections are a concern of their own (see __init__.py).
# pylint: disable=consider-merging-classes-inherited
class CrmLeadConsent(models.Model):
    """Objections: the withdrawal link of an advertising mail to someone who
    never consented (every advertising mail must offer one, UWG §7(3)). It
    works like a consent's withdrawal link; the answer is recorded as a
    withdrawn consent marked as an objection, and blacklists the address."""

    _inherit = "crm.lead.consent"

    is_objection = fields.Boolean(
        string="Objection",
        readonly=True,
        help="The person objected to advertising with the link of a mail, "
        "without having consented before.",
    )

    @api.model
    def _objection_url(self, lead, email):
        company = lead.company_id or self.env.company
        request = f"{OBJECTION}{company.id}:{lead.id}:{email}"
        token = consent_token.sign(self.env, request, "withdraw")
        return f"{lead.get_base_url()}/lead_energy/consent/withdraw/{token}"

    @api.model
    def _consents_of(self, request_token, action):
        if action != "withdraw" or not request_token.startswith(OBJECTION):
            return super()._consents_of(request_token, action)
        company_id, lead_id, email = request_token.removeprefix(OBJECTION).split(":", 2)
        company = self.env["res.company"].sudo().browse(int(company_id)).exists()
        if not company:
            raise TokenError("invalid")
        lead = self.env["crm.lead"].sudo().browse(int(lead_id)).exists()
        consents = self.sudo().search(
            [
                ("company_id", "=", company.id),
                ("channel", "=", "email"),
                ("address", "=", email),
                ("state", "in", ("confirmed", "declined", "withdrawn")),
            ]
        )
        # A consent given since the mail was sent is withdrawn with it, with
        # the rest of its request (as its own withdrawal link does).
        confirmed = consents.filtered(lambda consent: consent.state == "confirmed")
        if confirmed:
            return self.sudo().search(
                [
                    ("request_token", "in", confirmed.mapped("request_token")),
                    ("state", "=", "confirmed"),
                ]
            )
        if consents:
            raise TokenError("used")
        return self._new_objection(company, lead, email)

    @api.model
    def _new_objection(self, company, lead, email):
        """The objection the page shows; saved only when the person sends it."""
        lang = lead.partner_id.lang or lead.lang_code or self.env.lang or "en_US"
        text = self.with_context(lang=lang)._objection_text(company)
        return self.sudo().new(
            {
                "request_token": uuid.uuid4().hex,
                "lead_id": lead.id,
                "partner_id": lead.partner_id.id,
                "company_id": company.id,
                "channel": "email",
                "address": email,
                "lang": lang,
                "consent_text": text,
                "text_version": hashlib.sha256(text.encode()).hexdigest(),
                "request_date": fields.Datetime.now(),
                "is_objection": True,
            }
        )

    @api.model
    def _objection_text(self, company):
        return _(
            "I do not want %(company)s to contact me with information and offers "
            "about its energy products and services.",
            company=company.name,
        )

    def _withdraw(self, ip_address=None):
        """An objection is saved when the person sends it, then withdrawn."""
        new = self.filtered(lambda consent: not consent.id)
        saved = self - new
        if new:
            saved |= self.sudo().create(
                [
                    consent._convert_to_write(
                        {name: consent[name] for name in consent._fields_to_save()}
                    )
                    for consent in new
                ]
            )
        return super(CrmLeadConsent, saved)._withdraw(ip_address)

    @api.model
    def _fields_to_save(self):
        return (
            "request_token",
            "lead_id",
            "partner_id",
            "company_id",
            "channel",
            "address",
            "lang",
            "consent_text",
            "text_version",
            "request_date",
            "is_objection",
        )

    def _log_on_lead(self, kind):
        objections = self.filtered("is_objection")
        super(CrmLeadConsent, self - objections)._log_on_lead(kind)
        return super(CrmLeadConsent, objections)._log_on_lead("objected")

    @api.model
    def _log_texts(self, addresses):
        return {
            **super()._log_texts(addresses),
            "objected": _(
                "%(addresses)s objected to advertising with the link of a mail.",
                addresses=addresses,
            ),
        }
