from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    lead_energy_high_score_threshold = fields.Integer(
        string="High Score From",
        config_parameter="lead_energy.high_score_threshold",
        default=70,
        help="Leads scoring at least this much count as high-score leads.",
    )
    lead_energy_stale_days = fields.Integer(
        string="Stale After (Days)",
        config_parameter="lead_energy.stale_days",
        default=30,
        help="An open lead nobody changed for this many days is stale.",
    )
    lead_energy_new_days = fields.Integer(
        string="New For (Days)",
        config_parameter="lead_energy.new_days",
        default=7,
        help="A lead counts as new for this many days after it was created.",
    )
    lead_energy_score_sets_priority = fields.Boolean(
        string="Stars Follow the Score",
        config_parameter="lead_energy.score_sets_priority",
        help="Set the lead's priority stars from its score: three stars from the "
        "high-score threshold, two from two thirds of it, one from a third.",
    )

    @api.constrains(
        "lead_energy_high_score_threshold",
        "lead_energy_stale_days",
        "lead_energy_new_days",
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

    def set_values(self):
        params = self.env["ir.config_parameter"].sudo()
        was_following = bool(params.get_param("lead_energy.score_sets_priority"))
        old_threshold = params.get_param("lead_energy.high_score_threshold")
        result = super().set_values()
        now_following = self.lead_energy_score_sets_priority
        threshold_changed = old_threshold != params.get_param(
            "lead_energy.high_score_threshold"
        )
        if now_following and (not was_following or threshold_changed):
            before = self.env["crm.lead.scoring.criterion"]._scoring_config()
            self.env["crm.lead"]._recompute_lead_scores(before, all_leads=True)
        return result
