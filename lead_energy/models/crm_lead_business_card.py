import base64
import binascii

from odoo import _, api, models
from odoo.exceptions import UserError

from ..tools import business_card, card_reader

# What a card proposes for which field of the lead.
CARD_FIELDS = {
    "company": "partner_name",
    "name": "contact_name",
    "function": "function",
    "email": "email_from",
    "phone": "phone",
    "mobile": "mobile",
    "website": "website",
    "street": "street",
    "zip": "zip",
    "city": "city",
    "country_code": "country_id",
}
MAX_PICTURE_BYTES = 10 * 1024 * 1024


# crm.lead is split by concern on purpose, one file each (see __init__.py).
# pylint: disable=consider-merging-classes-inherited
class CrmLead(models.Model):
    """Reading the business card's picture: suggestions for the lead's fields,
    on the company's own server (Tesseract), for the user to take or leave."""

    _inherit = "crm.lead"

    @api.model
    def lead_energy_read_card(self, picture, values=None):
        """Read a business card (``picture``: base64) and propose values for
        the lead's fields. ``values`` are the field values the form has now:
        a proposal that differs from one is marked ``conflict`` and left out
        of ``take_all``, so that taking all never overwrites what the user
        typed. Returns a dict: ``status`` ("ok", "unavailable", "unreadable"),
        ``message``, ``suggestions`` and ``take_all``."""
        self.check_access("create")
        reason = card_reader.ocr_unavailable()
        if reason:
            return self._card_answer(
                "unavailable", self._ocr_unavailable_message(reason)
            )
        try:
            text = card_reader.read_card_text(self._card_picture(picture))
        except (card_reader.CardReadError, RuntimeError):
            return self._card_answer(
                "unreadable",
                _(
                    "No text could be read on this picture. Photograph the card "
                    "again, flat, in good light and filling the picture."
                ),
            )
        country = self.env.company.country_id.code or "DE"
        found = business_card.parse_card(text, country)
        suggestions = self._card_suggestions(found, values or {})
        if not suggestions:
            return self._card_answer(
                "unreadable",
                _("The card was read, but none of its text fits a field of the lead."),
            )
        return {
            **self._card_answer("ok", ""),
            "suggestions": suggestions,
            "take_all": [s["field"] for s in suggestions if not s["conflict"]],
        }

    @api.model
    def _card_answer(self, status, message):
        return {"status": status, "message": message, "suggestions": [], "take_all": []}

    @api.model
    def _card_picture(self, picture):
        try:
            raw = base64.b64decode(picture or "", validate=True)
        except (binascii.Error, ValueError, TypeError) as error:
            raise card_reader.CardReadError("not base64") from error
        if len(raw) > MAX_PICTURE_BYTES:
            raise UserError(_("The picture is larger than 10 MB: take a smaller one."))
        return raw

    @api.model
    def _card_suggestions(self, found, values):
        suggestions = []
        for key, fname in CARD_FIELDS.items():
            if not found.get(key):
                continue
            value, display = self._card_value(fname, found[key])
            if not value:
                continue
            current = self._card_current(fname, values.get(fname))
            if current == (value if fname != "country_id" else value[0]):
                continue  # the lead says so already
            suggestions.append(
                {
                    "field": fname,
                    "label": self._fields[fname].get_description(self.env)["string"],
                    "value": value,
                    "display": display,
                    "conflict": bool(current),
                }
            )
        return suggestions

    @api.model
    def _card_value(self, fname, text):
        if fname != "country_id":
            return text, text
        country = self.env["res.country"].search([("code", "=", text)], limit=1)
        return (
            ([country.id, country.display_name], country.display_name)
            if country
            else (
                False,
                "",
            )
        )

    @api.model
    def _card_current(self, fname, value):
        """The form's value, comparable with a proposal ("" or an id)."""
        if fname == "country_id":
            if isinstance(value, list | tuple):
                return value[0] if value else False
            if isinstance(value, dict):
                return value.get("id") or False
            return value or False
        return (value or "").strip() if isinstance(value, str) else ""

    @api.model
    def _ocr_unavailable_message(self, reason):
        messages = {
            "pytesseract": _(
                "Business cards are not read on this server: the Python package "
                "pytesseract is missing (pip install pytesseract)."
            ),
            "tesseract": _(
                "Business cards are not read on this server: the program Tesseract "
                "is missing (Debian: apt-get install tesseract-ocr tesseract-ocr-deu "
                "tesseract-ocr-eng)."
            ),
            "languages": _(
                "Business cards are not read on this server: Tesseract lacks its "
                "German or English data (Debian: apt-get install tesseract-ocr-deu "
                "tesseract-ocr-eng)."
            ),
        }
        return messages[reason]
