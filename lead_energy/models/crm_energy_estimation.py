from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..tools.estimation import Rules
from ..tools.internal_flow import in_internal_flow, internal_context

DEFAULTS = Rules()
# The rules and their lines are written together: the leads are recomputed
# once, when the rules' write is done.
RULES_BATCH = "lead_energy_estimation_rules_batch"


class CrmEnergyEstimation(models.Model):
    """The rules of the energy pre-qualification, one set per company: every
    figure of a lead's estimate comes from here (see tools/estimation.py)."""

    _name = "crm.energy.estimation"
    _description = "Energy Estimation Rules"
    _rec_name = "company_id"

    company_id = fields.Many2one(
        "res.company",
        required=True,
        ondelete="cascade",
        default=lambda self: self.env.company,
    )
    m2_per_kwp = fields.Float(
        string="Roof Area per kWp (m²)", default=DEFAULTS.m2_per_kwp, required=True
    )
    kwp_per_mwh_max = fields.Float(
        string="At Most kWp per MWh Consumed",
        default=DEFAULTS.kwp_per_mwh_max,
        required=True,
        help="The PV system is not sized larger than this for the consumption "
        "(minus what is installed already).",
    )
    grid_share_max = fields.Float(
        string="At Most Share of the Grid Connection",
        default=DEFAULTS.grid_share_max,
        required=True,
        help="kWp at most as this share of the grid connection's kVA.",
    )
    battery_kwh_per_mwh = fields.Float(
        string="Battery kWh per MWh Consumed",
        default=DEFAULTS.battery_kwh_per_mwh,
        required=True,
    )
    battery_min_kwh = fields.Float(
        string="Smallest Battery (kWh)", default=DEFAULTS.battery_min_kwh, required=True
    )
    battery_max_kwh = fields.Float(
        string="Largest Battery (kWh)", default=DEFAULTS.battery_max_kwh, required=True
    )
    eur_per_battery_kwh = fields.Float(
        string="EUR per kWh of Storage",
        default=DEFAULTS.eur_per_battery_kwh,
        required=True,
    )
    fixed_costs_eur = fields.Float(
        string="Fixed Costs (EUR)", default=DEFAULTS.fixed_costs_eur, required=True
    )
    yield_ids = fields.One2many(
        "crm.energy.estimation.yield", "estimation_id", string="Specific Yields"
    )
    region_ids = fields.One2many(
        "crm.energy.estimation.region", "estimation_id", string="Regional Factors"
    )
    price_ids = fields.One2many(
        "crm.energy.estimation.price", "estimation_id", string="Prices per kWp"
    )

    _sql_constraints = [
        ("company_uniq", "unique(company_id)", "A company has one set of rules."),
    ]

    @api.constrains(
        "m2_per_kwp",
        "kwp_per_mwh_max",
        "grid_share_max",
        "battery_min_kwh",
        "battery_max_kwh",
    )
    def _check_positive(self):
        for rules in self:
            if min(rules.m2_per_kwp, rules.kwp_per_mwh_max, rules.grid_share_max) <= 0:
                raise ValidationError(
                    _("Roof area per kWp, kWp per MWh and grid share must be positive.")
                )
            if rules.battery_min_kwh > rules.battery_max_kwh:
                raise ValidationError(
                    _("The smallest battery cannot be larger than the largest.")
                )

    @api.model_create_multi
    def create(self, vals_list):
        rules = super().create(vals_list)
        rules._recompute_lead_estimates()
        return rules

    def write(self, vals):
        # Its lines (yields, regions, prices) written with it: one recompute.
        result = super(
            CrmEnergyEstimation, self.with_context(**internal_context(RULES_BATCH))
        ).write(vals)
        self._recompute_lead_estimates()
        return result

    def _recompute_lead_estimates(self):
        """After a rule changed: the estimates of the companies' leads with a
        site, in one pass (the ORM's batch compute), and with them the volume
        options the estimates choose and the scores."""
        if in_internal_flow(self.env, RULES_BATCH):
            return True
        Lead = self.env["crm.lead"].sudo().with_context(active_test=False)
        companies = self.company_id.ids
        leads = Lead.search(
            [
                ("roof_area", ">", 0),
                "|",
                ("company_id", "in", companies),
                ("company_id", "=", False),
            ]
        )
        # As if their site changed: the estimate, then what depends on it
        # (the volume option, the score) are marked and computed in batches.
        leads.modified(["roof_area"])
        self.env.flush_all()
        leads._sync_priority_with_score()
        return True

    @api.model
    def _rules_for(self, company):
        """The rules of ``company`` as the arithmetic takes them; Germany's
        defaults for a company without its own."""
        record = self.sudo().search([("company_id", "=", company.id)], limit=1)
        return record._as_rules() if record else Rules()

    def _as_rules(self):
        self.ensure_one()
        yields = {
            (line.orientation, line.pitch): line.specific_yield
            for line in self.yield_ids
        }
        prices = tuple(
            (line.up_to_kwp or None, line.eur_per_kwp)
            for line in self.price_ids.sorted(lambda p: (not p.up_to_kwp, p.up_to_kwp))
        )
        return Rules(
            m2_per_kwp=self.m2_per_kwp,
            kwp_per_mwh_max=self.kwp_per_mwh_max,
            grid_share_max=self.grid_share_max,
            specific_yield={**DEFAULTS.specific_yield, **yields},
            regional_factors={line.prefix: line.factor for line in self.region_ids},
            battery_kwh_per_mwh=self.battery_kwh_per_mwh,
            battery_min_kwh=self.battery_min_kwh,
            battery_max_kwh=self.battery_max_kwh,
            eur_per_kwp=prices or DEFAULTS.eur_per_kwp,
            eur_per_battery_kwh=self.eur_per_battery_kwh,
            fixed_costs_eur=self.fixed_costs_eur,
        )
