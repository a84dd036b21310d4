import hashlib
import uuid
from datetime import timedelta

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import email_normalize

from ..tools import consent_token
from ..tools.consent_token import TokenError
from .res_config_settings import (
    CONSENT_STORE_IP,
    CONSENT_VALIDITY_DAYS,
    SETTING_DEFAULTS,
)

CHANNELS = [("email", "E-mail"), ("phone", "Phone")]
CONSENT_CHANNELS = tuple(channel for channel, _label in CHANNELS)
STATES = [
    ("requested", "Requested"),
    ("confirmed", "Confirmed"),
    ("declined", "Declined"),
    ("withdrawn", "Withdrawn"),
    ("expired", "Expired"),
]
# The date each answer sets.
SETTLED_ON = {
    "confirmed": "answer_date",
    "declined": "answer_date",
    "withdrawn": "withdrawal_date",
}


class CrmLeadConsent(models.Model):
    """The proof of a marketing consent (double opt-in): one per address and
    channel, with what the person was shown and when they answered. Written
    only by the module's flows; kept when its lead is deleted or merged."""

    _name = "crm.lead.consent"
    _description = "Marketing Consent"
    _order = "request_date desc, id desc"
    _rec_name = "address"

    request_token = fields.Char(
        required=True, readonly=True, copy=False, index=True, groups="base.group_system"
    )
    lead_id = fields.Many2one(
        "crm.lead", readonly=True, index=True, ondelete="set null"
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Contact",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    channel = fields.Selection(CHANNELS, required=True, readonly=True)
    address = fields.Char(
        required=True, readonly=True, help="The e-mail address or phone number."
    )
    state = fields.Selection(
        STATES, required=True, readonly=True, default="requested", index=True
    )
    lang = fields.Char(string="Language", readonly=True)
    consent_text = fields.Text(
        string="Text Shown", readonly=True, help="The exact text the person was asked."
    )
    text_version = fields.Char(
        readonly=True, help="A fingerprint of the text shown (SHA-256)."
    )
    requested_by_id = fields.Many2one("res.users", readonly=True)
    request_date = fields.Datetime(string="Requested On", readonly=True)
    expiry_date = fields.Datetime(string="Expires On", readonly=True)
    answer_date = fields.Datetime(string="Answered On", readonly=True)
    withdrawal_date = fields.Datetime(string="Withdrawn On", readonly=True)
    mail_message_id = fields.Char(
        string="Mail Message-Id",
        readonly=True,
        help="The Message-Id of the request mail, as its recipient's mailbox shows it.",
    )
    ip_address = fields.Char(
        string="IP Address",
        readonly=True,
        help="Stored only when an administrator switched it on in the settings.",
    )

    # -- the request ------------------------------------------------------------

    @api.model
    def _check_can_request(self, lead, channels=CONSENT_CHANNELS):
        """Refuse a request while the lead has an open one, and for addresses
        that cannot be asked: consented or withdrawn (only an expired or
        declined request may be repeated). Returns what may be asked."""
        lead.ensure_one()
        consents = self.sudo().search([("lead_id", "=", lead.id)])
        if "requested" in consents.mapped("state"):
            raise UserError(
                _(
                    "Lead “%(lead)s” already has an open opt-in request: it can be "
                    "asked again once the request is declined or expired.",
                    lead=lead.display_name,
                )
            )
        if not email_normalize(lead.email_from or ""):
            raise UserError(
                _(
                    "Lead “%(lead)s” has no e-mail address to send the opt-in "
                    "request to.",
                    lead=lead.display_name,
                )
            )
        latest = {}
        for consent in consents.sorted(lambda c: (c.request_date, c.id)):
            latest[consent.channel, consent.address] = consent.state
        addresses = [
            address
            for address in lead._consent_addresses(channels)
            if latest.get(address) not in ("confirmed", "withdrawn")
        ]
        if not addresses:
            raise UserError(
                _(
                    "Lead “%(lead)s” cannot be asked for this opt-in: its addresses "
                    "have already consented, or withdrew their consent.",
                    lead=lead.display_name,
                )
            )
        return addresses

    @api.model
    def _request_for_lead(self, lead, channels):
        """Consent requests for the lead's e-mail address and/or phone, as one
        request (one link). Refused while the lead has an open request."""
        addresses = self._check_can_request(lead, channels)
        lang = lead.partner_id.lang or lead.lang_code or self.env.lang or "en_US"
        company = lead.company_id or self.env.company
        text = self.with_context(lang=lang)._consent_text(company, addresses)
        now = fields.Datetime.now()
        request_token = uuid.uuid4().hex
        consents = self.sudo().create(
            [
                {
                    "request_token": request_token,
                    "lead_id": lead.id,
                    "partner_id": lead.partner_id.id,
                    "company_id": company.id,
                    "channel": channel,
                    "address": address,
                    "lang": lang,
                    "consent_text": text,
                    "text_version": hashlib.sha256(text.encode()).hexdigest(),
                    "requested_by_id": self.env.user.id,
                    "request_date": now,
                    "expiry_date": now + timedelta(days=self._validity_days()),
                }
                for channel, address in addresses
            ]
        )
        consents._log_on_lead("requested")
        return consents

    @api.model
    def _validity_days(self):
        """Days a request's link works (a system parameter, 14 by default)."""
        value = self.env["ir.config_parameter"].sudo().get_param(CONSENT_VALIDITY_DAYS)
        default = SETTING_DEFAULTS[CONSENT_VALIDITY_DAYS]
        try:
            return max(1, int(value)) if value else default
        except ValueError:
            return default

    @api.model
    def _consent_text(self, company, addresses):
        channels = {channel for channel, _address in addresses}
        if channels == {"email", "phone"}:
            how = _("by e-mail and by phone")
        elif channels == {"phone"}:
            how = _("by phone")
        else:
            how = _("by e-mail")
        return _(
            "I agree that %(company)s may contact me %(how)s with information and "
            "offers about its energy products and services. I can withdraw this "
            "consent at any time, free of charge, with the link in each of its "
            "messages or by writing to %(company)s.",
            company=company.name,
            how=how,
        )

    def _answer_url(self):
        return self._link("answer", self[:1].expiry_date)

    def _withdraw_url(self):
        return self._link("withdraw", None)

    def _link(self, action, expires):
        consent = self[:1].sudo()
        token = consent_token.sign(self.env, consent.request_token, action, expires)
        return f"{consent.get_base_url()}/lead_energy/consent/{action}/{token}"

    # -- the answer, from the public page ----------------------------------------

    @api.model
    def _from_token(self, token, action):
        """The consents of a link: raises TokenError for a changed, foreign or
        expired link, and for one already used ("used")."""
        request_token = consent_token.verify(self.env, token, action)
        return self._consents_of(request_token, action)

    @api.model
    def _consents_of(self, request_token, action):
        """The consents a verified link may answer or withdraw."""
        consents = self.sudo().search([("request_token", "=", request_token)])
        if not consents:
            raise TokenError("invalid")
        expected = "requested" if action == "answer" else "confirmed"
        consents = consents.filtered(lambda consent: consent.state == expected)
        if not consents:
            raise TokenError("used")
        return consents

    def _answer(self, decision, ip_address=None):
        """Confirm or decline, as the person answered on the page."""
        if decision not in ("confirmed", "declined"):
            raise UserError(_("Choose to confirm or to decline."))
        return self._settle(decision, ip_address)

    def _withdraw(self, ip_address=None):
        return self._settle("withdrawn", ip_address)

    def _settle(self, state, ip_address):
        """The person's answer, dated; anything but a confirmation puts the
        addresses on Odoo's blacklists."""
        self.write(
            {
                "state": state,
                SETTLED_ON[state]: fields.Datetime.now(),
                **self._proof_of_origin(ip_address),
            }
        )
        if state == "confirmed":
            self._unblacklist()
        else:
            self._blacklist()
        self._log_on_lead(state)
        return True

    def _proof_of_origin(self, ip_address):
        store_ip = self.env["ir.config_parameter"].sudo().get_param(CONSENT_STORE_IP)
        return {"ip_address": ip_address} if store_ip and ip_address else {}

    def _blacklist(self):
        """Odoo's mass mailing and SMS skip what is on its blacklists."""
        reason = _("Marketing consent declined or withdrawn (lead_energy).")
        for consent in self:
            if consent.channel == "email":
                self.env["mail.blacklist"].sudo()._add(consent.address, reason)
            else:
                self.env["phone.blacklist"].sudo()._add([consent.address], reason)

    def _unblacklist(self):
        """A new confirmation lifts an earlier decline or withdrawal."""
        reason = _("Marketing consent confirmed (lead_energy).")
        for consent in self:
            if consent.channel == "email":
                self.env["mail.blacklist"].sudo()._remove(consent.address, reason)
            else:
                self.env["phone.blacklist"].sudo()._remove([consent.address], reason)

    @api.model
    def _cron_expire_requests(self):
        """Requests nobody answered within their validity expire."""
        expired = self.sudo().search(
            [("state", "=", "requested"), ("expiry_date", "<=", fields.Datetime.now())]
        )
        expired.write({"state": "expired"})
        expired._log_on_lead("expired")
        return True

    def _log_on_lead(self, kind):
        """A line in the lead's chatter: requested, answered or expired."""
        for lead, consents in self.sudo().grouped("lead_id").items():
            if not lead:
                continue
            text = self._log_texts(", ".join(consents.mapped("address")))[kind]
            # The request is the sales person's; the rest happened without them.
            author = (
                self.env.user if kind == "requested" else self.env.ref("base.user_root")
            )
            lead.message_post(
                body=Markup("<p>%s</p>") % text,
                subtype_xmlid="mail.mt_note",
                author_id=author.partner_id.id,
            )

    @api.model
    def _log_texts(self, addresses):
        return {
            "requested": _("Opt-in requested for %(addresses)s.", addresses=addresses),
            "expired": _(
                "The opt-in request for %(addresses)s expired unanswered.",
                addresses=addresses,
            ),
            "confirmed": _(
                "The opt-in was confirmed for %(addresses)s.", addresses=addresses
            ),
            "declined": _(
                "The opt-in was declined for %(addresses)s.", addresses=addresses
            ),
            "withdrawn": _(
                "The opt-in was withdrawn for %(addresses)s.", addresses=addresses
            ),
        }
