import base64
import binascii
from urllib.parse import urlsplit

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import email_normalize_all, email_split
from odoo.tools.image import base64_to_image

from ..tools.internal_flow import MAINTAINED, in_internal_flow
from .res_config_settings import SETTING_DEFAULTS

BUSINESS_CARD_MAX_BYTES = 10 * 1024 * 1024
# Fields the module maintains itself: clients read them, only the module's own
# flows (under the MAINTAINED flag, see tools/internal_flow.py) write them.
MAINTAINED_FIELDS = (
    "lead_number",
    "date_contacted",
    "date_qualified",
    "appointment_event_id",
    "appointment_created",
    "followup_notified_date",
    "info_material_sent_date",
)


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

    @api.model
    def _check_email_value(self, email):
        """Refuse an address Odoo cannot send to. Several addresses are fine,
        as Odoo's mail stack sends to each (``a@x.de, b@x.de``)."""
        if not email:
            return
        found = email_split(email)
        if not found or len(email_normalize_all(email)) != len(found):
            raise ValidationError(
                _(
                    "“%(email)s” is not a valid e-mail address. Enter one "
                    "address such as name@example.com.",
                    email=email,
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
            # MIME base64 (base64.encodebytes) breaks its lines; Odoo accepts it.
            raw = base64.b64decode(self._without_whitespace(value), validate=True)
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

    @staticmethod
    def _without_whitespace(value):
        if isinstance(value, bytes):
            return b"".join(value.split())
        return "".join(value.split())

    @api.model_create_multi
    def create(self, vals_list):
        # Only what the user or the integration typed is checked: an address
        # CRM copies from the contact is the contact's business.
        for vals in vals_list:
            self._check_business_card_value(vals.get("business_card"))
            self._check_email_value(vals.get("email_from"))
        return super().create(vals_list)

    def write(self, vals):
        if "business_card" in vals:
            self._check_business_card_value(vals["business_card"])
        self._check_email_value(vals.get("email_from"))
        return super().write(vals)

    # ------------------------------------------------------------------------
    # Shared helpers
    # ------------------------------------------------------------------------

    @api.model
    def _check_maintained_fields(self, vals):
        """Refuse a client's values (or context defaults) for fields the module
        maintains itself."""
        if in_internal_flow(self.env, MAINTAINED):
            return
        given = [
            name
            for name in MAINTAINED_FIELDS
            if name in vals or f"default_{name}" in self.env.context
        ]
        if given:
            raise UserError(
                _(
                    "These fields are filled in by the lead management itself and "
                    "cannot be set directly: %(fields)s.",
                    fields=", ".join(
                        self._fields[name]._description_string(self.env)
                        for name in given
                    ),
                )
            )

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
