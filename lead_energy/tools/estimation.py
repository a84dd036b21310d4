"""The energy pre-qualification's arithmetic: from a site and its consumption
to a first system (PV size, yield, battery), its self-sufficiency and its
price. Pure Python on plain values, so the worked examples of the tests need
no database; the rules come from records a sales manager can change.

A first indication, not a design: every figure says how it was computed, and
an estimate is only given when its inputs are there (what is missing is said).

Self-sufficiency (share of the consumption covered by the PV system) and
self-consumption (share of the yield used on site) follow a documented
approximation of the curves of the HTW Berlin "Unabhängigkeitsrechner" for
German households, with r = yearly yield / yearly consumption and b = battery
kWh per MWh of consumption:

    without battery  A0 = a0 * r / (r + r0)
    with battery     A  = A0 + (Amax(r) - A0) * (1 - exp(-b / b0)),
                     Amax(r) = amax * r / (r + rmax)
    self-consumption S = A / r (at most 1)

The defaults a0 = 0.45, r0 = 0.5, amax = 0.85, rmax = 0.3, b0 = 1.2 give for a
household of 4,000 kWh with 8 kWp (r = 2) and 8 kWh of storage (b = 2):
36 % without and 67 % with the battery, as the HTW calculator shows for
such a house (about 35 % and 65–70 %).
"""

import math
from dataclasses import dataclass, field

# What a figure needs, in the order it is computed (the lead names them in the
# user's language).
INPUTS = ("roof_area", "orientation", "pitch", "consumption")


@dataclass(frozen=True)
class Rules:
    """The estimation rules: one set per company, every value a record field."""

    m2_per_kwp: float = 5.5
    # PV sized to at most this many kWp per MWh of yearly consumption.
    kwp_per_mwh_max: float = 2.5
    # PV power at most this share of the grid connection (kVA).
    grid_share_max: float = 0.7
    # Specific yield kWh/kWp by orientation and pitch band.
    specific_yield: dict = field(
        default_factory=lambda: {
            ("s", "flat"): 900,
            ("s", "medium"): 1000,
            ("s", "steep"): 950,
            ("se_sw", "flat"): 900,
            ("se_sw", "medium"): 950,
            ("se_sw", "steep"): 900,
            ("e_w", "flat"): 850,
            ("e_w", "medium"): 850,
            ("e_w", "steep"): 800,
            ("n", "flat"): 800,
            ("n", "medium"): 650,
            ("n", "steep"): 550,
        }
    )
    # Postcode prefix -> regional factor (longest prefix wins; default 1).
    regional_factors: dict = field(default_factory=dict)
    battery_kwh_per_mwh: float = 1.5
    battery_min_kwh: float = 5.0
    battery_max_kwh: float = 20.0
    # EUR per kWp by size band: ((up to kWp, EUR per kWp), ...), ascending.
    eur_per_kwp: tuple = ((10, 1500), (30, 1250), (100, 1050), (None, 900))
    eur_per_battery_kwh: float = 700
    fixed_costs_eur: float = 2000
    # The self-sufficiency approximation (see the module's doc).
    a0: float = 0.45
    r0: float = 0.5
    amax: float = 0.85
    rmax: float = 0.3
    b0: float = 1.2


@dataclass
class Site:
    """What the sales person asked: pitch "flat" (under 15°), "medium"
    (15–40°) or "steep"; orientation "s", "se_sw", "e_w" or "n"."""

    roof_area: float = 0.0
    orientation: str = ""
    pitch: str = ""
    consumption: float = 0.0
    grid_kva: float = 0.0
    postcode: str = ""
    existing_pv_kwp: float = 0.0
    existing_battery_kwh: float = 0.0


@dataclass
class Estimate:
    """The figures, each with how it was computed; None where inputs lack."""

    pv_kwp: float | None = None
    yield_kwh: float | None = None
    battery_kwh: float | None = None
    self_sufficiency: float | None = None
    self_sufficiency_battery: float | None = None
    self_consumption: float | None = None
    self_consumption_battery: float | None = None
    investment_eur: float | None = None
    steps: list = field(default_factory=list)
    missing: list = field(default_factory=list)


def estimate(site, rules=None):
    rules = rules or Rules()
    result = Estimate()
    result.missing = [key for key in INPUTS if not getattr(site, key)]
    if not site.roof_area or not site.orientation or not site.pitch:
        return result
    _pv_size(site, rules, result)
    _pv_yield(site, rules, result)
    if site.consumption:
        _battery(site, rules, result)
        _self_sufficiency(site, rules, result)
    _investment(rules, result)
    return result


def _pv_size(site, rules, result):
    by_roof = site.roof_area / rules.m2_per_kwp
    result.steps.append(
        ("pv_roof", {"area": _g(site.roof_area), "per": _g(rules.m2_per_kwp)}, by_roof)
    )
    size = by_roof
    if site.consumption:
        # What is installed already counts against the consumption's cap.
        by_consumption = max(
            0.0,
            site.consumption / 1000 * rules.kwp_per_mwh_max - site.existing_pv_kwp,
        )
        result.steps.append(
            (
                "pv_consumption_cap",
                {
                    "consumption": _g(site.consumption),
                    "per": _g(rules.kwp_per_mwh_max),
                    "installed": _g(site.existing_pv_kwp),
                },
                by_consumption,
            )
        )
        size = min(size, by_consumption)
    if site.grid_kva:
        by_grid = site.grid_kva * rules.grid_share_max
        result.steps.append(
            (
                "pv_grid_cap",
                {"kva": _g(site.grid_kva), "share": _g(rules.grid_share_max)},
                by_grid,
            )
        )
        size = min(size, by_grid)
    result.pv_kwp = round(size, 1)


def _pv_yield(site, rules, result):
    specific = rules.specific_yield[site.orientation, site.pitch]
    factor, prefix = regional_factor(site.postcode, rules.regional_factors)
    result.yield_kwh = round(result.pv_kwp * specific * factor)
    result.steps.append(
        (
            "yield",
            {
                "kwp": _g(result.pv_kwp),
                "specific": _g(specific),
                "factor": _g(factor) if prefix else "",
                "prefix": prefix,
            },
            result.yield_kwh,
        )
    )


def regional_factor(postcode, factors):
    """(factor, prefix) of the longest prefix of ``postcode`` with a factor."""
    postcode = (postcode or "").strip()
    for length in range(len(postcode), 0, -1):
        if postcode[:length] in factors:
            return factors[postcode[:length]], postcode[:length]
    return 1.0, ""


def _battery(site, rules, result):
    """The storage to add; none when the installed one is as large."""
    raw = site.consumption / 1000 * rules.battery_kwh_per_mwh
    size = min(max(raw, rules.battery_min_kwh), rules.battery_max_kwh)
    covered = site.existing_battery_kwh >= size
    result.battery_kwh = 0.0 if covered else round(size, 1)
    result.steps.append(
        (
            "battery",
            {
                "consumption": _g(site.consumption),
                "per": _g(rules.battery_kwh_per_mwh),
                "low": _g(rules.battery_min_kwh),
                "high": _g(rules.battery_max_kwh),
                "installed": _g(site.existing_battery_kwh) if covered else "",
            },
            result.battery_kwh,
        )
    )


def _self_sufficiency(site, rules, result):
    ratio = result.yield_kwh / site.consumption
    storage = result.battery_kwh or site.existing_battery_kwh
    per_mwh = storage / (site.consumption / 1000)
    without, with_battery = self_sufficiency(ratio, per_mwh, rules)
    result.self_sufficiency = round(without, 3)
    result.self_sufficiency_battery = round(with_battery, 3)
    result.self_consumption = round(min(1.0, without / ratio), 3)
    result.self_consumption_battery = round(min(1.0, with_battery / ratio), 3)
    result.steps.append(
        (
            "self_sufficiency",
            {"r": f"{ratio:.2f}", "b": f"{per_mwh:.2f}"},
            result.self_sufficiency_battery,
        )
    )


def self_sufficiency(ratio, battery_per_mwh, rules):
    """(without, with battery) as shares of the consumption."""
    if ratio <= 0:
        return 0.0, 0.0
    without = rules.a0 * ratio / (ratio + rules.r0)
    ceiling = rules.amax * ratio / (ratio + rules.rmax)
    gain = (ceiling - without) * (1 - math.exp(-battery_per_mwh / rules.b0))
    return without, without + max(0.0, gain)


def _investment(rules, result):
    per_kwp = price_per_kwp(result.pv_kwp, rules.eur_per_kwp)
    pv = result.pv_kwp * per_kwp
    battery = (result.battery_kwh or 0) * rules.eur_per_battery_kwh
    result.investment_eur = round(pv + battery + rules.fixed_costs_eur)
    result.steps.append(
        (
            "investment",
            {
                "kwp": _g(result.pv_kwp),
                "price": _g(per_kwp),
                "kwh": _g(result.battery_kwh) if result.battery_kwh else "",
                "storage_price": _g(rules.eur_per_battery_kwh),
                "fixed": _g(rules.fixed_costs_eur),
            },
            result.investment_eur,
        )
    )


def price_per_kwp(kwp, bands):
    for up_to, price in bands:
        if up_to is None or kwp <= up_to:
            return price
    return bands[-1][1]


def _g(number):
    """A figure as the explanation shows it: 10, 5.5, 1.05."""
    return f"{number:g}"
