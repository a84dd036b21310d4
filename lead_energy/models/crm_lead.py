import base64
import binascii
from urllib.parse import urlsplit

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import email_normalize
from odoo.tools.image import base64_to_image

from .res_config_settings import SETTING_DEFAULTS

BUSINESS_CARD_MAX_BYTES = 10 * 1024 * 1024


def employee_field(string, help_text, **attrs):
    """A responsibility on the lead: an internal user, tracked in the chatter."""
    return fields.Many2one(
        "res.users",
        string=string,
        domain="[('share', '=', False)]",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        help=help_text,
        **attrs,
    )


# crm.lead is split by concern on purpose, one file each (see __init__.py).
# pylint: disable=consider-merging-classes-inherited
class CrmLead(models.Model):
    """The lead's shared fields and checks; each concern has its own file:
    crm_lead_number, _state, _scoring, _appointment, _followup, _mail and
    _conversion (see models/__init__.py)."""

    _inherit = "crm.lead"

    lead_type_id = fields.Many2one(
        "crm.energy.lead.type",
        index="btree_not_null",
        ondelete="restrict",
    )
    business_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id",
        string="Business Partner",
    )
    business_card = fields.Image(
        max_width=1920,
        max_height=1920,
        help="Photo or scan of the contact's business card (JPEG, PNG, GIF, "
        "WebP; at most 10 MB).",
    )
    interest_ids = fields.Many2many(
        "crm.energy.interest",
        "crm_lead_energy_interest_rel",
        "lead_id",
        "interest_id",
        context={"active_test": False},
        help="Archived interests stay on the leads that have them.",
    )
    request_opt_in = fields.Boolean(string="Request Opt-in")
    arrange_appointment = fields.Boolean()
    next_appointment_date = fields.Date(string="Next Appointment")

    # ------------------------------------------------------------------------
    # Format checks
    # ------------------------------------------------------------------------

    @api.constrains("email_from")
    def _check_email_from(self):
        for lead in self.filtered("email_from"):
            if not email_normalize(lead.email_from):
                raise ValidationError(
                    _(
                        "“%(email)s” is not a valid e-mail address. Enter one "
                        "address such as name@example.com.",
                        email=lead.email_from,
                    )
                )

    @api.constrains("website")
    def _check_website(self):
        for lead in self.filtered("website"):
            if not self._is_valid_website(lead.website):
                raise ValidationError(
                    _(
                        "“%(website)s” is not a valid website. Enter an address "
                        "such as www.example.com.",
                        website=lead.website,
                    )
                )

    @staticmethod
    def _is_valid_website(website):
        try:
            parts = urlsplit(website)
        except ValueError:
            return False
        host = parts.hostname or ""
        labels = host.split(".")
        return (
            parts.scheme in ("http", "https")
            and " " not in website
            and len(labels) >= 2
            and all(labels)
            and all(label.replace("-", "").isalnum() for label in labels)
        )

    @api.model
    def _check_business_card_value(self, value):
        """Refuse anything but an image of a sane size, before Odoo stores it."""
        if not value:
            return
        try:
            raw = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError, TypeError) as exc:
            raise ValidationError(
                _("The business card could not be read. Upload an image file.")
            ) from exc
        if len(raw) > BUSINESS_CARD_MAX_BYTES:
            raise ValidationError(
                _(
                    "The business card picture is %(size).1f MB; at most "
                    "%(limit)d MB are accepted.",
                    size=len(raw) / 1024 / 1024,
                    limit=BUSINESS_CARD_MAX_BYTES // 1024 // 1024,
                )
            )
        try:
            base64_to_image(value)
        except (UserError, ValueError, OSError) as exc:
            raise ValidationError(
                _(
                    "The business card must be a picture (JPEG, PNG, GIF or "
                    "WebP). Take a photo or scan of the card and upload that."
                )
            ) from exc

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_business_card_value(vals.get("business_card"))
        return super().create(vals_list)

    def write(self, vals):
        if "business_card" in vals:
            self._check_business_card_value(vals["business_card"])
        return super().write(vals)

    # ------------------------------------------------------------------------
    # Shared helpers
    # ------------------------------------------------------------------------

    @api.model
    def _lead_energy_setting(self, key):
        value = self.env["ir.config_parameter"].sudo().get_param(key)
        try:
            return int(value) if value else SETTING_DEFAULTS[key]
        except ValueError:
            return SETTING_DEFAULTS[key]

    @staticmethod
    def _positive_search(operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("This filter only searches for true or false."))
        return (operator == "=") == value

    def _open_wizard(self, model, title, **context):
        self.ensure_one()
        self.check_access("write")
        return {
            "type": "ir.actions.act_window",
            "res_model": model,
            "views": [(False, "form")],
            "target": "new",
            "name": title,
            "context": {"default_lead_id": self.id, **context},
        }
