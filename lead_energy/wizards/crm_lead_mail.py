from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command
from odoo.tools import email_normalize

from ..models.mail_template import MAIL_PURPOSES


class CrmLeadMail(models.TransientModel):
    """First step of sending from a lead: the template and what goes with it.

    The second step is Odoo's own mail composer, prefilled from here.
    """

    _name = "crm.lead.mail"
    _inherit = "crm.lead.energy.wizard"
    _description = "Send a Mail from a Lead"

    purpose = fields.Selection(MAIL_PURPOSES, required=True, readonly=True)
    template_id = fields.Many2one(
        "mail.template",
        required=True,
        domain="[('model', '=', 'crm.lead'), ('lead_energy_purpose', '=', purpose)]",
    )
    recipient_ids = fields.Many2many(
        "res.partner",
        compute="_compute_recipients",
        string="Recipients",
    )
    email_only = fields.Char(
        compute="_compute_recipients",
        string="E-mail Address",
        help="The lead has no main contact: the mail goes to this address.",
    )
    create_contact = fields.Boolean(
        string="Create a Contact for This Address",
        help="Odoo sends mail to contacts: confirm that one is created (or an "
        "existing one with this address is used).",
    )
    ask_email = fields.Boolean(
        string="Consent to E-mails",
        default=True,
        help="Ask for consent to information and offers by e-mail.",
    )
    ask_phone = fields.Boolean(
        string="Consent to Calls",
        compute="_compute_ask_phone",
        store=True,
        readonly=False,
        help="Ask for consent to calls about information and offers, for the "
        "lead's phone number.",
    )
    attachment_ids = fields.Many2many(
        "ir.attachment",
        string="Documents of the Lead",
        domain="[('res_model', '=', 'crm.lead'), ('res_id', '=', lead_id)]",
        help="Documents already attached to the lead to send along; the "
        "template's own attachments are added anyway.",
    )

    @api.depends("lead_id", "purpose")
    def _compute_recipients(self):
        for wizard in self:
            lead = wizard.lead_id
            recipients = lead.partner_id
            # An opt-in is personal: only the address asked gets the link.
            if wizard.purpose != "opt_in":
                recipients |= lead.further_contact_ids
            wizard.recipient_ids = recipients
            wizard.email_only = not lead.partner_id and lead.email_from

    @api.depends("lead_id")
    def _compute_ask_phone(self):
        for wizard in self:
            wizard.ask_phone = bool(wizard.lead_id.phone or wizard.lead_id.mobile)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if values.get("purpose") and "template_id" in fields_list:
            values["template_id"] = (
                self.env["mail.template"]
                .search(
                    [
                        ("model", "=", "crm.lead"),
                        ("lead_energy_purpose", "=", values["purpose"]),
                    ],
                    limit=1,
                )
                .id
            )
        return values

    def _check_lead(self):
        super()._check_lead()
        self.lead_id._check_can_send_lead_mail(self.purpose)
        return True

    @api.constrains("purpose", "template_id", "attachment_ids", "lead_id")
    def _check_template_and_attachments(self):
        for wizard in self:
            wizard._check_template()
            wizard._check_attachments()

    def _check_template(self):
        """Only a lead template of this wizard's purpose: the field's domain
        holds in the form, not for a client writing ids."""
        self.ensure_one()
        template = self.template_id.sudo()
        if template.model != "crm.lead" or template.lead_energy_purpose != (
            self.purpose
        ):
            purposes = dict(self._fields["purpose"]._description_selection(self.env))
            raise ValidationError(
                _(
                    "This template cannot be used here: choose a template for "
                    "%(purpose)s mails from leads.",
                    purpose=purposes.get(self.purpose, self.purpose),
                )
            )
        return True

    def _check_attachments(self):
        """Only documents of this lead, and only those the user may read."""
        self.ensure_one()
        # sudo: also the ids the user is not allowed to see, to refuse them.
        attachments = self.sudo().attachment_ids
        readable = self.env["ir.attachment"]._filter_attachment_access(attachments.ids)
        if set(readable.ids) != set(attachments.ids) or any(
            attachment.res_model != "crm.lead" or attachment.res_id != self.lead_id.id
            for attachment in attachments
        ):
            raise ValidationError(
                _(
                    "Only documents attached to lead “%(lead)s” can be sent along "
                    "with this mail.",
                    lead=self.lead_id.display_name,
                )
            )
        return True

    def _recipients(self):
        """The partners to write to; refuse before sending when one cannot be."""
        self.ensure_one()
        partners = self.recipient_ids
        if self.email_only:
            if not email_normalize(self.email_only):
                raise UserError(
                    _(
                        "The lead's e-mail address “%(email)s” is not valid.",
                        email=self.email_only,
                    )
                )
            if not self.create_contact:
                raise UserError(
                    _(
                        "The lead has no main contact. Confirm that a contact is "
                        "created for %(email)s, or set the main contact first.",
                        email=self.email_only,
                    )
                )
            partners |= self.env["res.partner"]._find_or_create_from_emails(
                [self.email_only],
                additional_values={
                    email_normalize(self.email_only): {
                        "name": self.lead_id.contact_name or self.email_only,
                    }
                },
            )[0]
        invalid = partners.filtered(lambda partner: not email_normalize(partner.email))
        if invalid:
            raise UserError(
                _(
                    "These recipients have no valid e-mail address: %(names)s. "
                    "Correct their contacts first.",
                    names=", ".join(invalid.mapped("display_name")),
                )
            )
        return partners

    def _consent_channels(self):
        channels = [
            channel
            for channel, asked in (("email", self.ask_email), ("phone", self.ask_phone))
            if asked
        ]
        if not channels:
            raise UserError(
                _("Choose what to ask consent for: e-mails, calls or both.")
            )
        return channels

    def action_send_opt_in(self):
        """Record the request and send its mail with the personal link, in one
        transaction: a mail that fails leaves no open request behind."""
        self._check_lead_access()
        self._check_lead()
        self._check_template_and_attachments()
        if self.purpose != "opt_in":
            raise UserError(_("This wizard does not send opt-in requests."))
        partners = self._recipients()
        lead = self.lead_id
        consents = self.env["crm.lead.consent"]._request_for_lead(
            lead, self._consent_channels()
        )
        message = lead.message_post_with_source(
            self.template_id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=[Command.set(partners.ids)],
        )[:1]
        consents.write({"mail_message_id": message.message_id})
        return {"type": "ir.actions.act_window_close"}

    def action_open_composer(self):
        """Open Odoo's mail composer, prefilled from the template."""
        self._check_lead_access()
        if self.purpose == "opt_in":
            raise UserError(_("Opt-in requests are sent with their own button."))
        self._check_lead()
        self._check_template_and_attachments()
        partners = self._recipients()
        composer = (
            self.env["mail.compose.message"]
            .with_context(default_model="crm.lead")
            .create(
                {
                    "composition_mode": "comment",
                    "model": "crm.lead",
                    "res_ids": [self.lead_id.id],
                    "template_id": self.template_id.id,
                }
            )
        )
        # Keep what the template brought (its attachments), add the lead's.
        attachments = composer.attachment_ids | self.attachment_ids
        composer.write(
            {
                "partner_ids": [Command.set(partners.ids)],
                "attachment_ids": [Command.set(attachments.ids)],
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "mail.compose.message",
            "res_id": composer.id,
            "views": [(False, "form")],
            "target": "new",
            "name": self.template_id.name,
        }
