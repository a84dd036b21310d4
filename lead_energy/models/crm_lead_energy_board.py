from datetime import datetime, time

import pytz
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.tools import SQL, format_date

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
# The board's charts count the leads in these groups (name -> lead fields).
STATE_AND_SOURCE, SOURCE, LEAD_TYPE = "state_and_source", "source", "lead_type"
GROUPINGS = {
    STATE_AND_SOURCE: ("lead_state", "source_id"),
    SOURCE: ("source_id",),
    LEAD_TYPE: ("lead_type_id",),
}


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
        tiles = self._tile_definitions()
        months = self._last_months(CLOSED_MONTHS)
        funnel = self._funnel_stages()
        conditions = [domain for key, title, icon, domain in tiles]
        conditions += [self._closed_in(start, stop) for label, start, stop in months]
        conditions += [domain for label, domain in funnel]
        counts, groups = self._count_in_one_pass(conditions)
        tile_counts = counts[: len(tiles)]
        month_counts = counts[len(tiles) : len(tiles) + len(months)]
        funnel_counts = counts[len(tiles) + len(months) :]
        return {
            "tiles": self._board_tiles(tiles, tile_counts),
            "charts": [
                self._chart_by_result_and_source(groups[STATE_AND_SOURCE]),
                self._chart_share(
                    groups[SOURCE], "source_id", _("Share of Leads by Source")
                ),
                self._chart_share(
                    groups[LEAD_TYPE], "lead_type_id", _("Share of Leads by Type")
                ),
                self._chart_closed_by_month(months, month_counts),
                self._chart_funnel(funnel, funnel_counts),
            ],
        }

    # -- counting: one scan of the user's energy leads --------------------

    @api.model
    def _count_in_one_pass(self, conditions):
        """Count the user's energy leads in one query: how many meet each of
        ``conditions`` (domains on the lead's own columns), and how many there
        are in each group of GROUPINGS.

        The leads are those ``_search`` finds, with the user's record rules and
        companies; each condition is the SQL of its domain, so a figure and
        the domain that opens its leads cannot disagree.
        """
        Lead = self.env["crm.lead"]
        query = Lead._search(ENERGY_LEADS)
        columns = {
            field: SQL.identifier(query.table, field)
            for fields_ in GROUPINGS.values()
            for field in fields_
        }
        grouped = SQL(", ").join(columns.values())
        filters = [self._condition_sql(domain) for domain in conditions]
        names = [SQL.identifier(f"f{i}") for i in range(len(filters))]
        # Each condition once per lead, in the inner grouping by all three
        # fields; the grouping sets then add up its few rows.
        self.env.cr.execute(
            SQL(
                """
                SELECT GROUPING(%(outer)s), %(outer)s, sum(leads)%(sums)s
                  FROM (SELECT %(grouped)s, count(*) AS leads%(filters)s
                          FROM %(from)s
                         WHERE %(where)s
                         GROUP BY %(grouped)s) AS lead_groups
                 GROUP BY GROUPING SETS ((), %(sets)s)
                """,
                outer=SQL(", ").join(SQL.identifier(field) for field in columns),
                grouped=grouped,
                sums=SQL("").join(SQL(", sum(%s)", name) for name in names),
                filters=SQL("").join(
                    SQL(", count(*) FILTER (WHERE %s) AS %s", condition, name)
                    for condition, name in zip(filters, names, strict=True)
                ),
                sets=SQL(", ").join(
                    SQL("(%s)", SQL(", ").join(SQL.identifier(f) for f in fields_))
                    for fields_ in GROUPINGS.values()
                ),
                **{"from": query.from_clause, "where": query.where_clause},
            )
        )
        rows = self.env.cr.fetchall()
        fields_order = list(columns)
        grouping_of = {
            sum(
                1 << (len(fields_order) - 1 - i)
                for i, field in enumerate(fields_order)
                if field not in fields_
            ): name
            for name, fields_ in GROUPINGS.items()
        }
        totals = None  # the grand total's row: there is one even without leads
        groups = {name: {} for name in GROUPINGS}
        for grouping, *values in rows:
            keys = values[: len(fields_order)]
            # Sums of no rows are NULL: a user without leads counts zeros.
            count, *filtered = (int(value or 0) for value in values[len(keys) :])
            if grouping == (1 << len(fields_order)) - 1:
                totals = filtered
                continue
            name = grouping_of[grouping]
            by_field = dict(zip(fields_order, keys, strict=True))
            groups[name][tuple(by_field[field] for field in GROUPINGS[name])] = count
        return totals, groups

    @api.model
    def _condition_sql(self, domain):
        condition = self.env["crm.lead"]._where_calc(domain, active_test=False)
        if condition._joins:
            raise ValueError(f"A board figure joins another table: {domain}")
        return condition.where_clause or SQL("TRUE")

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
    def _tile_definitions(self):
        return [
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

    @api.model
    def _board_tiles(self, tiles, counts):
        return [
            {
                "key": key,
                "title": title,
                "icon": icon,
                "domain": ENERGY_LEADS + domain,
                "count": count,
            }
            for (key, title, icon, domain), count in zip(tiles, counts, strict=True)
        ]

    # -- charts --------------------------------------------------------------

    @api.model
    def _chart_by_result_and_source(self, counts):
        state_labels = (
            self.env["crm.lead"]._fields["lead_state"]._description_selection(self.env)
        )
        states = [state for state, label in state_labels]
        source_ids = {source_id for state, source_id in counts}
        sources = self.env["utm.source"].browse(sorted(filter(None, source_ids)))
        datasets = [
            self._result_dataset(counts, states, source)
            for source in sources.sorted("name")
        ]
        if None in source_ids:
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
            "data": [counts.get((state, source.id or None), 0) for state in states],
            "domains": [
                ENERGY_LEADS
                + [("lead_state", "=", state), ("source_id", "=", source.id or False)]
                for state in states
            ],
        }

    @api.model
    def _chart_share(self, counts, field_name, title):
        comodel = self.env[self.env["crm.lead"]._fields[field_name].comodel_name]
        records = comodel.browse(sorted(key for (key,), count in counts.items() if key))
        names = {record.id: record.display_name for record in records}
        names[None] = _("Not Set")
        groups = sorted(
            ((key, count) for (key,), count in counts.items()),
            key=lambda group: (-group[1], names[group[0]]),
        )
        return {
            "key": f"share_by_{field_name}",
            "title": title,
            "type": "pie",
            "labels": [names[key] for key, count in groups],
            "datasets": [
                {
                    "label": title,
                    "data": [count for key, count in groups],
                    "domains": [
                        ENERGY_LEADS + [(field_name, "=", key or False)]
                        for key, count in groups
                    ],
                }
            ],
        }

    @api.model
    def _closed_in(self, start, stop):
        return [
            ("lead_state", "=", "closed"),
            ("date_closed", ">=", start),
            ("date_closed", "<", stop),
        ]

    @api.model
    def _chart_closed_by_month(self, months, counts):
        return {
            "key": "closed_by_month",
            "title": _("Closed Leads of the Last 6 Months"),
            "type": "line",
            "labels": [label for label, start, stop in months],
            "datasets": [
                {
                    "label": _("Closed Leads"),
                    "data": counts,
                    "domains": [
                        ENERGY_LEADS + self._closed_in(start, stop)
                        for label, start, stop in months
                    ],
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
    def _funnel_stages(self):
        return [
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

    @api.model
    def _chart_funnel(self, stages, counts):
        return {
            "key": "funnel",
            "title": _("Sales Funnel"),
            "type": "funnel",
            "labels": [label for label, domain in stages],
            "datasets": [
                {
                    "label": _("Leads"),
                    "data": counts,
                    "domains": [ENERGY_LEADS + domain for label, domain in stages],
                }
            ],
        }
