from markupsafe import Markup, escape

from odoo import _, api, fields, models

from ..tools.estimation import Site, estimate
from .crm_energy_estimation_yield import ORIENTATIONS, PITCHES

BUILDING_TYPES = [
    ("single_family", "Single-Family House"),
    ("multi_family", "Multi-Family House"),
    ("commercial", "Commercial"),
    ("agricultural", "Agricultural"),
    ("public", "Public Building"),
]
# The inputs of the estimate, lead field -> Site attribute.
SITE_FIELDS = {
    "roof_area": "roof_area",
    "roof_orientation": "orientation",
    "roof_pitch": "pitch",
    "annual_consumption": "consumption",
    "grid_connection_kva": "grid_kva",
    "site_postcode": "postcode",
    "existing_pv_kwp": "existing_pv_kwp",
    "existing_battery_kwh": "existing_battery_kwh",
}


# Besides the site, what changes the estimate's volume choice.
ESTIMATE_INPUTS = ("company_id", "volume_chosen_by_hand")


# crm.lead is split by concern on purpose, one file each (see __init__.py).
# pylint: disable=consider-merging-classes-inherited
class CrmLead(models.Model):
    """Site and consumption: the pre-qualification's inputs and the first
    system estimate they give (a first indication, not a design)."""

    _inherit = "crm.lead"

    building_type = fields.Selection(BUILDING_TYPES)
    roof_area = fields.Float(string="Usable Roof Area (m²)", digits=(10, 1))
    roof_orientation = fields.Selection(ORIENTATIONS)
    roof_pitch = fields.Selection(PITCHES)
    annual_consumption = fields.Float(string="Annual Consumption (kWh)", digits=(12, 0))
    existing_pv_kwp = fields.Float(string="Installed PV (kWp)", digits=(10, 1))
    existing_battery_kwh = fields.Float(
        string="Installed Battery (kWh)", digits=(10, 1)
    )
    has_heat_pump = fields.Boolean(string="Heat Pump")
    has_wallbox = fields.Boolean(string="Wallbox / EV")
    grid_connection_kva = fields.Float(string="Grid Connection (kVA)", digits=(10, 0))
    site_postcode = fields.Char(
        compute="_compute_site_postcode",
        store=True,
        readonly=False,
        help="The site's postcode, for its region's yield (the lead's by default).",
    )
    estimated_pv_kwp = fields.Float(
        string="Estimated PV (kWp)",
        compute="_compute_estimate",
        store=True,
        digits=(10, 1),
        copy=False,
    )
    estimated_yield_kwh = fields.Float(
        string="Estimated Yield (kWh/Year)",
        compute="_compute_estimate",
        store=True,
        digits=(12, 0),
        copy=False,
    )
    estimated_battery_kwh = fields.Float(
        string="Suggested Battery (kWh)",
        compute="_compute_estimate",
        store=True,
        digits=(10, 1),
        copy=False,
    )
    estimated_investment = fields.Float(
        string="Estimated Investment (EUR)",
        compute="_compute_estimate",
        store=True,
        digits=(12, 0),
        copy=False,
        index="btree_not_null",
    )
    # The estimate chooses the volume rating, unless a person chose it.
    volume_option_id = fields.Many2one(
        compute="_compute_volume_option_id", store=True, readonly=False
    )
    volume_chosen_by_hand = fields.Boolean(
        help="A person chose the volume: the estimated investment no longer "
        "changes it. Clear it to let the estimate choose again.",
    )
    estimated_self_sufficiency = fields.Float(
        string="Self-Sufficiency", compute="_compute_estimate_details", digits=(3, 2)
    )
    estimated_self_sufficiency_battery = fields.Float(
        string="Self-Sufficiency with Battery",
        compute="_compute_estimate_details",
        digits=(3, 2),
    )
    estimated_self_consumption = fields.Float(
        string="Self-Consumption", compute="_compute_estimate_details", digits=(3, 2)
    )
    estimated_self_consumption_battery = fields.Float(
        string="Self-Consumption with Battery",
        compute="_compute_estimate_details",
        digits=(3, 2),
    )
    estimate_breakdown = fields.Html(
        compute="_compute_estimate_details",
        sanitize=False,
        string="How the Estimate Is Computed",
    )

    def _merge_get_fields(self):
        # CRM's merge: each site value from the first lead that has one.
        return super()._merge_get_fields() + [
            *SITE_FIELDS,
            "building_type",
            "has_heat_pump",
            "has_wallbox",
            "volume_chosen_by_hand",
        ]

    @api.depends("zip")
    def _compute_site_postcode(self):
        for lead in self:
            lead.site_postcode = lead.site_postcode or lead.zip

    def _estimates(self):
        """(lead, its estimate) of each lead; each company's rules read once."""
        Rules = self.env["crm.energy.estimation"]
        for company, leads in self.grouped("company_id").items():
            rules = Rules._rules_for(company or self.env.company)
            for lead in leads:
                yield lead, estimate(lead._site_values(), rules)

    @api.depends(*SITE_FIELDS, "company_id")
    def _compute_estimate(self):
        for lead, found in self._estimates():
            lead.estimated_pv_kwp = found.pv_kwp or 0.0
            lead.estimated_yield_kwh = found.yield_kwh or 0.0
            lead.estimated_battery_kwh = found.battery_kwh or 0.0
            lead.estimated_investment = found.investment_eur or 0.0

    @api.depends(*SITE_FIELDS, "company_id")
    def _compute_estimate_details(self):
        """What the form shows beside the stored figures (not stored)."""
        for lead, found in self._estimates():
            lead.estimated_self_sufficiency = found.self_sufficiency or 0.0
            lead.estimated_self_sufficiency_battery = (
                found.self_sufficiency_battery or 0.0
            )
            lead.estimated_self_consumption = found.self_consumption or 0.0
            lead.estimated_self_consumption_battery = (
                found.self_consumption_battery or 0.0
            )
            lead.estimate_breakdown = lead._breakdown_html(found)

    def _site_values(self):
        """The lead's site as the arithmetic takes it (empty as 0 or "")."""
        values = {}
        for fname, attr in SITE_FIELDS.items():
            empty = "" if self._fields[fname].type in ("char", "selection") else 0
            values[attr] = self[fname] or empty
        return Site(**values)

    def _estimated_volume(self, options):
        """Of ``options`` (see ``_volume_options``), the one the estimated
        investment selects; none without an estimate."""
        self.ensure_one()
        if not self.estimated_investment:
            return options.browse()
        return options._volume_option_for(self.estimated_investment)

    @api.depends("estimated_investment", "volume_chosen_by_hand")
    def _compute_volume_option_id(self):
        options = self.env["crm.lead.scoring.option"]._volume_options()
        for lead in self:
            chosen = lead.volume_option_id
            if not lead.volume_chosen_by_hand:
                chosen = lead._estimated_volume(options) or chosen
            lead.volume_option_id = chosen

    @api.model_create_multi
    def create(self, vals_list):
        leads = super().create(vals_list)
        given = [
            lead.id
            for lead, vals in zip(leads, vals_list, strict=True)
            if vals.get("volume_option_id") and "volume_chosen_by_hand" not in vals
        ]
        self.browse(given)._mark_volume_chosen_by_hand()
        return leads

    def write(self, vals):
        result = super().write(vals)
        if "volume_option_id" in vals and "volume_chosen_by_hand" not in vals:
            self._mark_volume_chosen_by_hand()
        if any(name in vals for name in (*SITE_FIELDS, *ESTIMATE_INPUTS)):
            # The estimate may have changed the volume, so the score.
            self._sync_priority_with_score()
        return result

    def _mark_volume_chosen_by_hand(self):
        """A volume other than the estimate's was chosen by a person. (The web
        client also sends the volume the estimate chose: that one is not.)"""
        options = self.env["crm.lead.scoring.option"]._volume_options()
        for lead in self:
            by_hand = bool(lead.volume_option_id) and (
                lead.volume_option_id != lead._estimated_volume(options)
            )
            if lead.volume_chosen_by_hand != by_hand:
                lead.volume_chosen_by_hand = by_hand

    def _breakdown_html(self, found):
        labels = self._estimate_step_labels()
        rows = Markup("").join(
            Markup("<tr><td>%s</td><td>%s</td><td class='text-end'>%s</td></tr>")
            % (
                labels[key],
                self._estimate_step_text(key, params),
                self._figure(key, value),
            )
            for key, params, value in found.steps
        )
        missing = (
            Markup("<p class='text-muted'>%s</p>")
            % _(
                "Missing for the estimate: %(what)s.",
                what=", ".join(
                    self._estimate_input_labels()[key] for key in found.missing
                ),
            )
            if found.missing
            else ""
        )
        if not rows:
            return missing
        return (
            Markup("<table class='table table-sm o_lead_energy_estimate'>%s</table>")
            % rows
            + missing
        )

    @api.model
    def _estimate_step_labels(self):
        return {
            "pv_roof": _("PV by roof area (kWp)"),
            "pv_consumption_cap": _("At most for the consumption (kWp)"),
            "pv_grid_cap": _("At most for the grid connection (kWp)"),
            "yield": _("Yield (kWh per year)"),
            "battery": _("Battery (kWh)"),
            "self_sufficiency": _("Self-sufficiency with battery"),
            "investment": _("Investment (EUR)"),
        }

    @api.model
    def _estimate_input_labels(self):
        return {
            "roof_area": _("usable roof area"),
            "orientation": _("roof orientation"),
            "pitch": _("roof pitch"),
            "consumption": _("annual electricity consumption"),
        }

    @api.model
    def _estimate_step_text(self, key, params):
        """How a figure of the estimate was computed, in the user's language."""
        if key == "pv_roof":
            return _("%(area)s m² / %(per)s m² per kWp", **params)
        if key == "pv_consumption_cap":
            text = _("%(consumption)s kWh × %(per)s kWp per MWh", **params)
            if params["installed"] != "0":
                text += _(" − %(installed)s kWp installed", **params)
            return text
        if key == "pv_grid_cap":
            return _("%(kva)s kVA × %(share)s", **params)
        if key == "yield":
            text = _("%(kwp)s kWp × %(specific)s kWh/kWp", **params)
            if params["prefix"]:
                text += _(" × %(factor)s (postcode %(prefix)s…)", **params)
            return text
        if key == "battery":
            text = _(
                "%(consumption)s kWh × %(per)s kWh per MWh, "
                "within %(low)s–%(high)s kWh",
                **params,
            )
            if params["installed"]:
                text += _("; the %(installed)s kWh installed cover it", **params)
            return text
        if key == "self_sufficiency":
            return _(
                "yield / consumption r = %(r)s, battery b = %(b)s kWh per MWh", **params
            )
        text = _("%(kwp)s kWp × %(price)s EUR", **params)
        if params["kwh"]:
            text += _(" + %(kwh)s kWh × %(storage_price)s EUR", **params)
        return text + _(" + %(fixed)s EUR fixed", **params)

    @staticmethod
    def _figure(key, value):
        if key == "self_sufficiency":
            return f"{100 * value:.0f} %"
        return escape(f"{value:,.1f}" if isinstance(value, float) else f"{value:,}")
