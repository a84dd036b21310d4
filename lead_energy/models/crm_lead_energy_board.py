from collections import namedtuple
from datetime import datetime, time
from itertools import islice

import pytz
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import SQL, format_date

from ..tools.board_period import (
    CUSTOM,
    PERIOD_KEYS,
    buckets,
    calendar_period,
    custom_period,
    previous_period,
)
from .crm_lead_conversion import OFFER_STATES
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
# Leads asked for an opt-in, whatever they answered (or not yet); an
# objection with a mail's link was not asked for.
OPT_IN_ASKED = [("consent_ids", "any", [("is_objection", "=", False)])]
CLOSED_MONTHS = 6
# The lines of the closed-leads chart: line -> (lead state, date it was reached).
DATED_STATES = {
    "closed": ("closed", "date_closed"),
    "converted": ("converted", "date_conversion"),
}
# The board's charts count the leads in these groups (name -> lead fields).
STATE_AND_SOURCE, SOURCE, LEAD_TYPE = "state_and_source", "source", "lead_type"
GROUPINGS = {
    STATE_AND_SOURCE: ("lead_state", "source_id"),
    SOURCE: ("source_id",),
    LEAD_TYPE: ("lead_type_id",),
}
# The board's filters on records: filter key -> the lead's field.
RECORD_FILTERS = {
    "team_id": "team_id",
    "user_id": "user_id",
    "source_id": "source_id",
    "lead_type_id": "lead_type_id",
    "interest_id": "interest_ids",
}
PERIOD_FILTERS = ("period", "date_from", "date_to")
# What a figure opens: kind -> (action, its context instead of the action's).
FIGURE_ACTIONS = {
    "leads": ("lead_energy.crm_lead_action_energy_leads", {"default_type": "lead"}),
    "opportunities": ("crm.crm_lead_opportunities", {"default_type": "opportunity"}),
    "quotations": ("sale.action_quotations", {}),
}

# What the filters select: the leads' domain, and the creation period with the
# one before it, as UTC domains on create_date (empty without a period).
Scope = namedtuple("Scope", "filters domain period created previous created_before")


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
    def get_board_data(self, filters=None, domain=None):
        """Every figure of the board for ``filters`` (see ``_board_scope``),
        of the leads that match ``domain`` too (the search of the board's
        search bar or favourite: any domain on crm.lead)."""
        scope = self._board_scope(filters, domain)
        tiles = self._tile_definitions(scope)
        unit, closed_buckets = self._closed_buckets(scope)
        funnel = self._funnel_stages()
        tile_domains = [domain for key, title, icon, domain in tiles]
        conditions = [scope.created + domain for domain in tile_domains]
        if scope.previous:
            conditions += [scope.created_before + domain for domain in tile_domains]
        conditions += [scope.created + domain for k, label, kind, domain in funnel]
        conditions.append(scope.created + OPT_IN_ASKED)
        bounds = [start for label, start, stop in closed_buckets]
        bounds.append(closed_buckets[-1][2])
        totals, groups, series = self._count_in_one_pass(
            scope.domain,
            conditions,
            scope.created,
            {
                line: ([("lead_state", "=", state)], date_field, bounds)
                for line, (state, date_field) in DATED_STATES.items()
            },
        )
        counts = iter(totals)
        tile_counts = list(islice(counts, len(tiles)))
        previous_counts = list(islice(counts, len(tiles))) if scope.previous else None
        funnel_counts = list(islice(counts, len(funnel)))
        opt_in_asked = next(counts)
        leads = ENERGY_LEADS + scope.domain
        board_tiles = self._board_tiles(scope, tiles, tile_counts, previous_counts)
        for tile in board_tiles:
            if tile["key"] == "opt_in_confirmed":
                # Requested -> confirmed: of the leads asked, those who said yes.
                tile["rate"] = self._rate(tile["count"], opt_in_asked)
        return {
            "filters": scope.filters,
            "period": self._period_description(scope),
            "tiles": board_tiles,
            "charts": [
                self._chart_by_result_and_source(
                    groups[STATE_AND_SOURCE], leads + scope.created
                ),
                self._chart_share(
                    groups[SOURCE],
                    "source_id",
                    _("Share of Leads by Source"),
                    leads + scope.created,
                ),
                self._chart_share(
                    groups[LEAD_TYPE],
                    "lead_type_id",
                    _("Share of Leads by Type"),
                    leads + scope.created,
                ),
                self._chart_closed_by_month(scope, unit, closed_buckets, series),
                self._chart_funnel(funnel, funnel_counts, leads + scope.created),
            ],
        }

    @api.model
    def get_board_filter_options(self):
        """The choices of the board's filters: the periods, and the teams,
        salespeople, sources, lead types and interests of the leads the user
        may see, as [id, name] pairs; and the search view of its search bar."""
        Lead = self.env["crm.lead"]
        options = {
            "period": self._period_choices(),
            "search_view_id": self.env.ref(
                "lead_energy.crm_lead_view_search_energy"
            ).id,
        }
        found = self._values_in_leads()
        for key, field_name in RECORD_FILTERS.items():
            comodel = self.env[Lead._fields[field_name].comodel_name]
            # Read as the user: a record he may not read is no choice of his.
            readable = comodel.search([("id", "in", list(found[field_name]))])
            options[key] = sorted(
                ([record.id, record.display_name] for record in readable),
                key=lambda option: option[1].lower(),
            )
        return options

    @api.model
    def _values_in_leads(self):
        """{field: ids} of RECORD_FILTERS' fields over the user's energy leads,
        in one scan (grouping sets) and one look into the interests."""
        Lead = self.env["crm.lead"]
        query = Lead._search(ENERGY_LEADS)
        columns = [
            f for f in RECORD_FILTERS.values() if Lead._fields[f].type != "many2many"
        ]
        self.env.cr.execute(
            SQL(
                "SELECT %s FROM %s WHERE %s GROUP BY GROUPING SETS (%s)",
                SQL(", ").join(SQL.identifier(query.table, f) for f in columns),
                query.from_clause,
                query.where_clause,
                SQL(", ").join(
                    SQL("(%s)", SQL.identifier(query.table, f)) for f in columns
                ),
            )
        )
        found = {field_name: set() for field_name in RECORD_FILTERS.values()}
        for row in self.env.cr.fetchall():
            for field_name, value in zip(columns, row, strict=True):
                if value:
                    found[field_name].add(value)
        interests = Lead._fields["interest_ids"]
        self.env.cr.execute(
            SQL(
                "SELECT DISTINCT %s FROM %s WHERE %s IN %s",
                SQL.identifier(interests.column2),
                SQL.identifier(interests.relation),
                SQL.identifier(interests.column1),
                query.subselect(),
            )
        )
        found["interest_ids"] = {row[0] for row in self.env.cr.fetchall()}
        return found

    @api.model
    def _period_choices(self):
        return [
            ["this_month", _("This Month")],
            ["last_month", _("Last Month")],
            ["this_quarter", _("This Quarter")],
            ["last_quarter", _("Last Quarter")],
            ["this_year", _("This Year")],
            ["last_12_months", _("Last 12 Months")],
            [CUSTOM, _("Custom Range")],
        ]

    # -- filters -------------------------------------------------------------

    @api.model
    def _board_scope(self, filters, search_domain=None):
        """The Scope of ``filters``, a dict with any of: ``period`` (a key of
        PERIOD_KEYS; ``custom`` with ``date_from`` and ``date_to``, the first
        and the last day), and the ids of RECORD_FILTERS. Unset filters are
        False. The period is on the creation date, in the user's time zone."""
        filters = self._clean_filters(filters)
        domain = self._clean_search_domain(search_domain) + [
            (field_name, "in" if field_name == "interest_ids" else "=", filters[key])
            for key, field_name in RECORD_FILTERS.items()
            if filters[key]
        ]
        if not filters["period"]:
            return Scope(filters, domain, None, [], None, [])
        if filters["period"] == CUSTOM:
            period = custom_period(
                fields.Date.to_date(filters["date_from"]),
                fields.Date.to_date(filters["date_to"]),
            )
        else:
            period = calendar_period(filters["period"], fields.Date.context_today(self))
        previous = previous_period(period)
        return Scope(
            filters,
            domain,
            period,
            self._created_in(period.start, period.stop),
            previous,
            self._created_in(previous.start, previous.stop),
        )

    @api.model
    def _clean_filters(self, filters):
        """``filters`` with every key, checked: what an RPC client sends is
        refused with a clear message, never half applied."""
        filters = filters or {}
        if not isinstance(filters, dict):
            raise UserError(_("The board's filters must be given by name."))
        unknown = set(filters) - set(RECORD_FILTERS) - set(PERIOD_FILTERS)
        if unknown:
            raise UserError(
                _("Unknown board filter: %(names)s", names=", ".join(sorted(unknown)))
            )
        cleaned = dict.fromkeys((*PERIOD_FILTERS, *RECORD_FILTERS), False)
        for key in RECORD_FILTERS:
            value = filters.get(key) or False
            if value is not False and (
                isinstance(value, bool) or not isinstance(value, int) or value < 0
            ):
                raise UserError(
                    _("The board filter %(name)s needs a record id.", name=key)
                )
            cleaned[key] = value
        period = filters.get("period") or False
        if period and period not in PERIOD_KEYS:
            raise UserError(_("Unknown period: %(period)s", period=period))
        cleaned["period"] = period
        if period == CUSTOM:
            cleaned.update(self._clean_custom_range(filters))
        return cleaned

    @api.model
    def _clean_search_domain(self, domain):
        """``domain`` normalized, after the ORM could read it."""
        if not domain:
            return []
        if not isinstance(domain, list):
            raise UserError(_("The board's search must be a domain."))
        try:
            domain = expression.normalize_domain(domain)
            self.env["crm.lead"]._where_calc(domain)
        except (ValueError, TypeError, KeyError, IndexError, AssertionError) as error:
            raise UserError(
                _("The board cannot search for this: %(error)s", error=error)
            ) from error
        return domain

    @api.model
    def _clean_custom_range(self, filters):
        try:
            date_from = fields.Date.to_date(filters.get("date_from"))
            date_to = fields.Date.to_date(filters.get("date_to"))
        except (TypeError, ValueError):
            date_from = date_to = None
        if not date_from or not date_to:
            raise UserError(_("A custom period needs a first and a last day."))
        if date_to < date_from:
            raise UserError(_("The custom period ends before it starts."))
        return {
            "date_from": fields.Date.to_string(date_from),
            "date_to": fields.Date.to_string(date_to),
        }

    @api.model
    def _period_description(self, scope):
        if not scope.period:
            return False

        def label(period):
            last = period.stop - relativedelta(days=1)
            return (
                f"{format_date(self.env, period.start)} – {format_date(self.env, last)}"
            )

        return {
            "label": label(scope.period),
            "previous_label": label(scope.previous),
        }

    @api.model
    def _utc(self, day):
        """The start of ``day`` in the user's time zone, as a UTC string."""
        tz = pytz.timezone(self.env.context.get("tz") or self.env.user.tz or "UTC")
        start = tz.localize(datetime.combine(day, time.min)).astimezone(pytz.utc)
        return fields.Datetime.to_string(start.replace(tzinfo=None))

    @api.model
    def _created_in(self, start, stop):
        return [
            ("create_date", ">=", self._utc(start)),
            ("create_date", "<", self._utc(stop)),
        ]

    # -- counting: one scan of the user's energy leads --------------------

    @api.model
    def _count_in_one_pass(self, domain, conditions, counted, series):
        """Count the user's energy leads that match ``domain`` in one query.

        - how many meet each of ``conditions`` (domains on the lead's own
          columns): a list of counts;
        - how many of those meeting ``counted`` there are in each group of
          GROUPINGS: {grouping: {values: count}};
        - for each of ``series``, {name: (domain, date field, bounds)}, how many
          meet its domain with the date in each interval of the ascending
          ``bounds`` (start included, end excluded): {name: [counts]}.

        The leads are those ``_search`` finds, with the user's record rules and
        companies; each condition is the SQL of its domain, so a figure and
        the domain that opens its leads cannot disagree.
        """
        query = self.env["crm.lead"]._search(ENERGY_LEADS + domain)
        keys = {
            field: SQL.identifier(query.table, field)
            for fields_ in GROUPINGS.values()
            for field in fields_
        }
        # A series is one key, its interval's number, not a condition each:
        # every condition costs a test per lead.
        for name, (series_domain, date_field, bounds) in series.items():
            keys[name] = SQL(
                "CASE WHEN %s THEN width_bucket(%s, %s::timestamp[]) END",
                self._condition_sql(series_domain),
                SQL.identifier(query.table, date_field),
                list(bounds),
            )
        grouping_sets = [*GROUPINGS.values(), *((name,) for name in series)]
        # A condition met by the counted leads (the funnel's first step, new
        # leads in a period) or by another condition is counted only once.
        counted_sql = self._condition_sql(counted)
        condition_keys = []
        distinct = {self._sql_key(counted_sql): None}
        for condition in map(self._condition_sql, conditions):
            condition_keys.append(self._sql_key(condition))
            distinct.setdefault(condition_keys[-1], condition)
        filters = {key: sql for key, sql in distinct.items() if sql is not None}
        column = {key: i for i, key in enumerate(filters)}
        names = [SQL.identifier(f"f{i}") for i in range(len(filters))]
        # Each condition once per lead, in the inner grouping by every key;
        # the grouping sets then add up its few rows.
        self.env.cr.execute(
            SQL(
                """
                SELECT GROUPING(%(outer)s), %(outer)s,
                       sum(%(counted_name)s), sum(leads)%(sums)s
                  FROM (SELECT %(inner)s, count(*) AS leads
                               %(counted)s%(filters)s
                          FROM %(from)s
                         WHERE %(where)s
                         GROUP BY %(grouped)s) AS lead_groups
                 GROUP BY GROUPING SETS ((), %(sets)s)
                """,
                outer=SQL(", ").join(SQL.identifier(key) for key in keys),
                inner=SQL(", ").join(
                    SQL("%s AS %s", expression, SQL.identifier(key))
                    for key, expression in keys.items()
                ),
                grouped=SQL(", ").join(SQL.identifier(key) for key in keys),
                # Without a period every lead counts: no second count.
                counted_name=SQL.identifier("counted" if counted else "leads"),
                counted=SQL(", count(*) FILTER (WHERE %s) AS counted", counted_sql)
                if counted
                else SQL(),
                sums=SQL("").join(SQL(", sum(%s)", name) for name in names),
                filters=SQL("").join(
                    SQL(", count(*) FILTER (WHERE %s) AS %s", condition, name)
                    for condition, name in zip(filters.values(), names, strict=True)
                ),
                sets=SQL(", ").join(
                    SQL("(%s)", SQL(", ").join(SQL.identifier(k) for k in set_))
                    for set_ in grouping_sets
                ),
                **{"from": query.from_clause, "where": query.where_clause},
            )
        )
        grand, totals, groups, series_counts = self._read_counts(
            self.env.cr.fetchall(), list(keys), series
        )
        totals = [
            grand if key not in column else totals[column[key]]
            for key in condition_keys
        ]
        return totals, groups, series_counts

    @api.model
    def _sql_key(self, sql):
        return (sql.code, tuple(map(repr, sql.params)))

    @api.model
    def _read_counts(self, rows, keys, series):
        """The counts of ``_count_in_one_pass`` from its rows."""
        # GROUPING() sets the bit of each key a row is not grouped by.
        bit = {key: 1 << (len(keys) - 1 - i) for i, key in enumerate(keys)}
        every_bit = (1 << len(keys)) - 1
        grouping_of = {
            every_bit - sum(bit[key] for key in fields_): name
            for name, fields_ in GROUPINGS.items()
        }
        grouping_of.update({every_bit - bit[name]: name for name in series})
        # The grand total's row: there is one even without leads.
        grand = totals = None
        groups = {name: {} for name in GROUPINGS}
        series_counts = {
            name: [0] * (len(bounds) - 1) for name, (d, f, bounds) in series.items()
        }
        for grouping, *values in rows:
            by_key = dict(zip(keys, values[: len(keys)], strict=True))
            # Sums of no rows are NULL: a user without leads counts zeros.
            counted, leads, *filtered = (
                int(value or 0) for value in values[len(keys) :]
            )
            if grouping == every_bit:
                grand, totals = counted, filtered
                continue
            name = grouping_of[grouping]
            if name in series:
                # Interval i (1-based) of the bounds; 0, n+1 and NULL: outside.
                interval = by_key[name]
                if interval and interval <= len(series_counts[name]):
                    series_counts[name][interval - 1] = leads
            elif counted:  # a group without leads counted is not shown
                groups[name][tuple(by_key[f] for f in GROUPINGS[name])] = counted
        return grand, totals, groups, series_counts

    @api.model
    def _condition_sql(self, domain):
        """The SQL of ``domain`` on a lead's row. Conditions on other records
        (quotations, stages) are subqueries with the user's record rules."""
        condition = self.env["crm.lead"]._where_calc(domain, active_test=False)
        if condition._joins:
            raise ValueError(f"A board figure joins another table: {domain}")
        return condition.where_clause or SQL("TRUE")

    # -- what a figure opens -------------------------------------------------

    @api.model
    def action_open_leads(self, domain, title):
        """The Energy Leads list restricted to the leads behind a figure."""
        return self.action_open_figure("leads", domain, title)

    @api.model
    def action_open_figure(self, kind, domain, title):
        """The list of the records behind a figure: leads, opportunities or
        quotations (a key of FIGURE_ACTIONS), restricted to ``domain``."""
        if kind not in FIGURE_ACTIONS:
            raise UserError(_("Unknown kind of board figure: %(kind)s", kind=kind))
        xmlid, context = FIGURE_ACTIONS[kind]
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        # The list first; no default filter of the action hides some of them.
        views = action.get("views") or []
        action.update(
            name=title,
            display_name=title,
            domain=domain,
            target="current",
            views=sorted(views, key=lambda view: view[1] != "list"),
            context=dict(context),
        )
        return action

    # -- tiles ---------------------------------------------------------------

    @api.model
    def _tile_definitions(self, scope):
        # With a period, the new leads are those created in it.
        new = [] if scope.period else [("is_new", "=", True)]
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
            ("new", _("New Leads"), "fa-plus-circle", new),
            (
                "opt_in_confirmed",
                _("Confirmed Opt-ins"),
                "fa-check-square-o",
                [("opt_in_state", "=", "confirmed")],
            ),
        ]

    @api.model
    def _board_tiles(self, scope, tiles, counts, previous_counts):
        leads = ENERGY_LEADS + scope.domain
        return [
            {
                "key": key,
                "title": title,
                "icon": icon,
                "domain": leads + scope.created + domain,
                "count": count,
                "previous_count": previous,
                "delta": False if previous is False else count - previous,
                "previous_domain": (
                    leads + scope.created_before + domain if scope.previous else False
                ),
            }
            for (key, title, icon, domain), count, previous in zip(
                tiles, counts, previous_counts or [False] * len(tiles), strict=True
            )
        ]

    # -- charts --------------------------------------------------------------

    @api.model
    def _chart_by_result_and_source(self, counts, leads):
        state_labels = (
            self.env["crm.lead"]._fields["lead_state"]._description_selection(self.env)
        )
        states = [state for state, label in state_labels]
        source_ids = {source_id for state, source_id in counts}
        # Names of configuration records on the user's leads: read without
        # looking up record rules (a cold cache would cost a query each).
        sources = self.env["utm.source"].sudo().browse(sorted(filter(None, source_ids)))
        datasets = [
            self._result_dataset(counts, states, source, leads)
            for source in sources.sorted("name")
        ]
        if None in source_ids:
            datasets.append(
                self._result_dataset(counts, states, sources.browse(), leads)
            )
        return {
            "key": "by_result_and_source",
            "title": _("Leads by Result and Source"),
            "type": "bar",
            "labels": [label for state, label in state_labels],
            "datasets": datasets,
        }

    @api.model
    def _result_dataset(self, counts, states, source, leads):
        return {
            "label": source.name or _("No Source"),
            "data": [counts.get((state, source.id or None), 0) for state in states],
            "domains": [
                leads
                + [("lead_state", "=", state), ("source_id", "=", source.id or False)]
                for state in states
            ],
        }

    @api.model
    def _chart_share(self, counts, field_name, title, leads):
        comodel_name = self.env["crm.lead"]._fields[field_name].comodel_name
        comodel = self.env[comodel_name].sudo()  # names only, see above
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
                        leads + [(field_name, "=", key or False)]
                        for key, count in groups
                    ],
                }
            ],
        }

    @api.model
    def _reached_in(self, line, start, stop):
        """The leads of a line of DATED_STATES that reached its state in
        [start, stop)."""
        state, date_field = DATED_STATES[line]
        return [
            ("lead_state", "=", state),
            (date_field, ">=", start),
            (date_field, "<", stop),
        ]

    @api.model
    def _closed_buckets(self, scope):
        """(unit, [(label, start, stop)]) of the closed-leads chart: the last
        CLOSED_MONTHS months, or the months (years) of the period; the bounds
        are UTC strings of days in the user's time zone."""
        if scope.period:
            unit, days = buckets(scope.period.start, scope.period.stop)
        else:
            first = fields.Date.context_today(self).replace(day=1)
            start = first - relativedelta(months=CLOSED_MONTHS - 1)
            unit, days = buckets(start, first + relativedelta(months=1))
        label_format = "MMM yyyy" if unit == "month" else "yyyy"
        return unit, [
            (
                format_date(self.env, first, date_format=label_format),
                self._utc(start),
                self._utc(stop),
            )
            for first, start, stop in days
        ]

    @api.model
    def _chart_closed_by_month(self, scope, unit, buckets_, series):
        leads = ENERGY_LEADS + scope.domain
        line_labels = {"closed": _("Closed Leads"), "converted": _("Converted Leads")}
        if not scope.period:
            title = _("Closed and Converted Leads of the Last 6 Months")
        elif unit == "month":
            title = _("Closed and Converted Leads by Month")
        else:
            title = _("Closed and Converted Leads by Year")
        return {
            "key": "closed_by_month",
            "title": title,
            "type": "line",
            "labels": [label for label, start, stop in buckets_],
            "datasets": [
                {
                    "label": line_labels[line],
                    "data": series[line],
                    "domains": [
                        leads + self._reached_in(line, start, stop)
                        for label, start, stop in buckets_
                    ],
                }
                for line in DATED_STATES
            ],
        }

    # -- the funnel: from the lead to the won opportunity ---------------------

    @api.model
    def _funnel_stages(self):
        """(key, label, kind of records, domain on the lead) of each step: a
        lead counts in every step it reached."""
        return [
            ("leads", _("All Leads"), "leads", []),
            (
                "contacted",
                _("Contacted"),
                "leads",
                [
                    "|",
                    "|",
                    ("date_contacted", "!=", False),
                    ("date_qualified", "!=", False),
                    ("lead_state", "=", "converted"),
                ],
            ),
            (
                "qualified",
                _("Qualified"),
                "leads",
                [
                    "|",
                    ("date_qualified", "!=", False),
                    ("lead_state", "=", "converted"),
                ],
            ),
            ("converted", _("Converted"), "leads", [("lead_state", "=", "converted")]),
            (
                "inquiries",
                _("Inquiries"),
                "opportunities",
                [("type", "=", "opportunity")],
            ),
            (
                "offers",
                _("Offers Sent"),
                "quotations",
                [("type", "=", "opportunity"), ("offer_sent", "=", True)],
            ),
            (
                "won",
                _("Won"),
                "opportunities",
                [
                    ("type", "=", "opportunity"),
                    ("active", "=", True),
                    ("stage_id.is_won", "=", True),
                ],
            ),
        ]

    @api.model
    def _funnel_domain(self, kind, leads, domain):
        """What a step opens: its leads or opportunities, or for the offers
        the quotations sent or confirmed of its opportunities."""
        if kind != "quotations":
            return leads + domain
        return [
            ("state", "in", OFFER_STATES),
            ("opportunity_id", "any", leads + domain),
        ]

    @api.model
    def _chart_funnel(self, stages, counts, leads):
        return {
            "key": "funnel",
            "title": _("Sales Funnel"),
            "type": "funnel",
            "labels": [label for key, label, kind, domain in stages],
            "steps": [key for key, label, kind, domain in stages],
            "datasets": [
                {
                    "label": _("Leads"),
                    "data": counts,
                    "kinds": [kind for key, label, kind, domain in stages],
                    "domains": [
                        self._funnel_domain(kind, leads, domain)
                        for key, label, kind, domain in stages
                    ],
                    "rates_previous": [
                        self._rate(count, previous)
                        for count, previous in zip(
                            counts, [0, *counts[:-1]], strict=True
                        )
                    ],
                    "rates_top": [self._rate(count, counts[0]) for count in counts],
                }
            ],
        }

    @api.model
    def _rate(self, count, base):
        """``count`` in percent of ``base``, to one decimal; False without a
        base (the first step has none)."""
        return round(100.0 * count / base, 1) if base else False
