from datetime import datetime, time

import pytz
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.tools import format_date

from .crm_lead_state import ACTIVE_STATES

# The leads of CRM > Energy Leads (leads, and leads that became opportunities),
# closed ones included: closing a lead archives it.
ENERGY_LEADS = [
    "|",
    ("type", "=", "lead"),
    ("date_conversion", "!=", False),
    ("active", "in", (True, False)),
]
OPEN_LEADS = [("lead_state", "in", ACTIVE_STATES)]
CLOSED_MONTHS = 6


class CrmLeadEnergyBoard(models.AbstractModel):
    """The lead board ("Auswertungen von Leads"): score tiles and charts.

    Every figure comes with the domain of the leads it counts, so that a click
    on a tile or a chart opens exactly those leads. Figures are computed with
    the user's access rights: a salesman with "own documents only" counts his
    own leads and the unassigned ones.
    """

    _name = "crm.lead.energy.board"
    _description = "Energy Lead Board"

    @api.model
    def get_board_data(self):
        return {
            "tiles": self._board_tiles(),
            "charts": [
                self._chart_by_result_and_source(),
                self._chart_share("source_id", _("Share of Leads by Source")),
                self._chart_share("lead_type_id", _("Share of Leads by Type")),
                self._chart_closed_by_month(),
                self._chart_funnel(),
            ],
        }

    @api.model
    def action_open_leads(self, domain, title):
        """The Energy Leads list restricted to the leads behind a figure."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "lead_energy.crm_lead_action_energy_leads"
        )
        action.update(name=title, display_name=title, domain=domain, target="current")
        return action

    # -- tiles ---------------------------------------------------------------

    @api.model
    def _board_tiles(self):
        tiles = [
            (
                "overdue",
                _("Overdue Leads"),
                "fa-clock-o",
                [("is_followup_overdue", "=", True)],
            ),
            (
                "high_score",
                _("Open Leads with a High Score"),
                "fa-star",
                [("is_high_score", "=", True), *OPEN_LEADS],
            ),
            (
                "without_responsibility",
                _("Leads without Responsibility"),
                "fa-user-times",
                [("followup_user_id", "=", False), *OPEN_LEADS],
            ),
            ("stale", _("Stale Leads"), "fa-hourglass-end", [("is_stale", "=", True)]),
            ("new", _("New Leads"), "fa-plus-circle", [("is_new", "=", True)]),
        ]
        Lead = self.env["crm.lead"]
        return [
            {
                "key": key,
                "title": title,
                "icon": icon,
                "domain": ENERGY_LEADS + domain,
                "count": Lead.search_count(ENERGY_LEADS + domain),
            }
            for key, title, icon, domain in tiles
        ]

    # -- charts --------------------------------------------------------------

    @api.model
    def _count_by(self, domain, groupby):
        rows = self.env["crm.lead"]._read_group(
            ENERGY_LEADS + domain, groupby, ["__count"]
        )
        return {tuple(row[:-1]): row[-1] for row in rows}

    @api.model
    def _chart_by_result_and_source(self):
        counts = self._count_by([], ["lead_state", "source_id"])
        state_labels = (
            self.env["crm.lead"]._fields["lead_state"]._description_selection(self.env)
        )
        states = [state for state, label in state_labels]
        sources = self.env["utm.source"].union(*(source for state, source in counts))
        datasets = [
            self._result_dataset(counts, states, source)
            for source in sources.sorted("name")
        ]
        if any(not source for state, source in counts):
            datasets.append(self._result_dataset(counts, states, sources.browse()))
        return {
            "key": "by_result_and_source",
            "title": _("Leads by Result and Source"),
            "type": "bar",
            "labels": [label for state, label in state_labels],
            "datasets": datasets,
        }

    @api.model
    def _result_dataset(self, counts, states, source):
        return {
            "label": source.name or _("No Source"),
            "data": [counts.get((state, source), 0) for state in states],
            "domains": [
                ENERGY_LEADS
                + [("lead_state", "=", state), ("source_id", "=", source.id or False)]
                for state in states
            ],
        }

    @api.model
    def _chart_share(self, field_name, title):
        counts = self._count_by([], [field_name])
        groups = sorted(counts.items(), key=lambda group: -group[1])
        not_set = _("Not Set")  # not inside the comprehension: _() needs self
        return {
            "key": f"share_by_{field_name}",
            "title": title,
            "type": "pie",
            "labels": [record.display_name or not_set for (record,), count in groups],
            "datasets": [
                {
                    "label": title,
                    "data": [count for key, count in groups],
                    "domains": [
                        ENERGY_LEADS + [(field_name, "=", record.id or False)]
                        for (record,), count in groups
                    ],
                }
            ],
        }

    @api.model
    def _chart_closed_by_month(self):
        months = self._last_months(CLOSED_MONTHS)
        Lead = self.env["crm.lead"]
        closed = [("lead_state", "=", "closed")]
        domains = [
            ENERGY_LEADS
            + closed
            + [("date_closed", ">=", start), ("date_closed", "<", stop)]
            for label, start, stop in months
        ]
        return {
            "key": "closed_by_month",
            "title": _("Closed Leads of the Last 6 Months"),
            "type": "line",
            "labels": [label for label, start, stop in months],
            "datasets": [
                {
                    "label": _("Closed Leads"),
                    "data": [Lead.search_count(domain) for domain in domains],
                    "domains": domains,
                }
            ],
        }

    @api.model
    def _last_months(self, count):
        """(label, start, stop) of the last ``count`` months, this one included,
        with the month's bounds in the user's time zone, as UTC for the ORM."""
        tz = pytz.timezone(self.env.context.get("tz") or self.env.user.tz or "UTC")
        first = fields.Date.context_today(self).replace(day=1)
        months = []
        for back in range(count - 1, -1, -1):
            start = first - relativedelta(months=back)
            stop = start + relativedelta(months=1)
            months.append(
                (
                    format_date(self.env, start, date_format="MMM yyyy"),
                    *(
                        fields.Datetime.to_string(
                            tz.localize(datetime.combine(day, time.min))
                            .astimezone(pytz.utc)
                            .replace(tzinfo=None)
                        )
                        for day in (start, stop)
                    ),
                )
            )
        return months

    @api.model
    def _chart_funnel(self):
        stages = [
            (_("All Leads"), []),
            (
                _("Contacted"),
                [
                    "|",
                    "|",
                    ("date_contacted", "!=", False),
                    ("date_qualified", "!=", False),
                    ("lead_state", "=", "converted"),
                ],
            ),
            (
                _("Qualified"),
                [
                    "|",
                    ("date_qualified", "!=", False),
                    ("lead_state", "=", "converted"),
                ],
            ),
            (_("Converted"), [("lead_state", "=", "converted")]),
        ]
        Lead = self.env["crm.lead"]
        domains = [ENERGY_LEADS + domain for label, domain in stages]
        return {
            "key": "funnel",
            "title": _("Sales Funnel"),
            "type": "funnel",
            "labels": [label for label, domain in stages],
            "datasets": [
                {
                    "label": _("Leads"),
                    "data": [Lead.search_count(domain) for domain in domains],
                    "domains": domains,
                }
            ],
        }
