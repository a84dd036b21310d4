from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..tools import card_reader

# The module's settings (ir.config_parameter) and their defaults.
HIGH_SCORE_THRESHOLD = "lead_energy.high_score_threshold"
STALE_DAYS = "lead_energy.stale_days"
NEW_DAYS = "lead_energy.new_days"
SCORE_SETS_PRIORITY = "lead_energy.score_sets_priority"
CONSENT_VALIDITY_DAYS = "lead_energy.consent_validity_days"
CONSENT_STORE_IP = "lead_energy.consent_store_ip"
SETTING_DEFAULTS = {
    HIGH_SCORE_THRESHOLD: 70,
    STALE_DAYS: 30,
    NEW_DAYS: 7,
    CONSENT_VALIDITY_DAYS: 14,
}


def number_setting(key, string, help_text):
    """A number kept in ir.config_parameter ``key``, with its default."""
    return fields.Integer(
        string=string,
        config_parameter=key,
        default=SETTING_DEFAULTS[key],
        help=help_text,
    )


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    lead_energy_high_score_threshold = number_setting(
        HIGH_SCORE_THRESHOLD,
        "High Score From",
        "Leads scoring at least this much count as high-score leads.",
    )
    lead_energy_stale_days = number_setting(
        STALE_DAYS,
        "Stale After (Days)",
        "An open lead nobody changed for this many days is stale.",
    )
    lead_energy_new_days = number_setting(
        NEW_DAYS,
        "New For (Days)",
        "A lead counts as new for this many days after it was created.",
    )
    lead_energy_score_sets_priority = fields.Boolean(
        string="Stars Follow the Score",
        config_parameter=SCORE_SETS_PRIORITY,
        help="Set the lead's priority stars from its score: three stars from the "
        "high-score threshold, two from two thirds of it, one from a third.",
    )

    lead_energy_consent_validity_days = number_setting(
        CONSENT_VALIDITY_DAYS,
        "Opt-in Link Valid For (Days)",
        "An opt-in request nobody answered expires after this many days; its link "
        "stops working and the lead can be asked again.",
    )
    lead_energy_consent_store_ip = fields.Boolean(
        string="Store the IP Address of Answers",
        config_parameter=CONSENT_STORE_IP,
        help="Keep the IP address from which a person confirmed, declined or "
        "withdrew a consent. Off by default (data minimisation, GDPR Art. 5): the "
        "consent record proves the answer with the personal link, its dates and the "
        "exact text shown. Switch it on only if your data protection officer asks "
        "for it, and say so in your privacy policy.",
    )

    lead_energy_card_reading = fields.Char(
        string="Business Card Reading",
        compute="_compute_lead_energy_card_reading",
        help="Whether this server reads business cards (Tesseract), and if not, "
        "what to install.",
    )

    def _compute_lead_energy_card_reading(self):
        reason = card_reader.ocr_unavailable()
        status = (
            self.env["crm.lead"]._ocr_unavailable_message(reason)
            if reason
            else _("Available: business cards are read on this server (Tesseract).")
        )
        for settings in self:
            settings.lead_energy_card_reading = status

    @api.constrains(
        "lead_energy_high_score_threshold",
        "lead_energy_stale_days",
        "lead_energy_new_days",
        "lead_energy_consent_validity_days",
    )
    def _check_lead_energy_settings(self):
        for settings in self:
            if not 1 <= settings.lead_energy_high_score_threshold <= 100:
                raise ValidationError(
                    _("The high-score threshold is a score between 1 and 100.")
                )
            if settings.lead_energy_stale_days < 1 or settings.lead_energy_new_days < 1:
                raise ValidationError(
                    _("Stale and new leads are counted in days: at least 1.")
                )
            if not 1 <= settings.lead_energy_consent_validity_days <= 365:
                raise ValidationError(_("An opt-in link is valid for 1 to 365 days."))

    def set_values(self):
        params = self.env["ir.config_parameter"].sudo()
        was_following = bool(params.get_param(SCORE_SETS_PRIORITY))
        old_threshold = params.get_param(HIGH_SCORE_THRESHOLD)
        result = super().set_values()
        now_following = self.lead_energy_score_sets_priority
        threshold_changed = old_threshold != params.get_param(HIGH_SCORE_THRESHOLD)
        if now_following and (not was_following or threshold_changed):
            before = self.env["crm.lead.scoring.criterion"]._scoring_config()
            self.env["crm.lead"]._recompute_lead_scores(before, all_leads=True)
        # Odoo's own set_values answers None, which XML-RPC cannot send.
        return True if result is None else result
