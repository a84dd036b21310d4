"""The board's filters, funnel rates and period deltas, against counts made
independently: each figure is counted again with ``search_count`` on domains
written here, as the board's user, not with the board's query."""

from datetime import datetime, time, timedelta

import pytz
from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import tagged

from .common import MANAGER, OWN_LEADS, LeadEnergyCase

ACTIVE = ["open", "contacted", "qualified"]
STATES = ["open", "contacted", "qualified", "closed", "converted"]
ENERGY = ["|", ("type", "=", "lead"), ("date_conversion", "!=", False)]


def month_start(day, back=0):
    return day.replace(day=1) - relativedelta(months=back)


@tagged("post_install", "-at_install")
class TestLeadBoardFilters(LeadEnergyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Leads without a company show in every company: give those of the
        # demo data one, so that the two companies below hold only ours.
        cls.env.flush_all()
        cls.env.cr.execute(
            "UPDATE crm_lead SET company_id = %s WHERE company_id IS NULL",
            [cls.env.ref("base.main_company").id],
        )
        cls.env.invalidate_all()
        cls.company = cls.env["res.company"].create({"name": "Filter Solar AG"})
        cls.other_company = cls.env["res.company"].create({"name": "Filter Wind KG"})
        both = cls.company | cls.other_company

        def user(login, groups, companies):
            return cls.sales_user(
                login,
                login.replace("_", " ").title(),
                groups,
                company_id=companies[0].id,
                company_ids=[Command.set(companies.ids)],
                tz="Europe/Berlin",
            )

        cls.boss = user("le_filter_boss", MANAGER, both)
        cls.seller = user("le_filter_seller", OWN_LEADS, cls.company)
        cls.colleague = user("le_filter_colleague", OWN_LEADS, cls.company)
        cls.wind_seller = user("le_filter_wind", OWN_LEADS, cls.other_company)
        Team = cls.env["crm.team"]
        cls.north = Team.create({"name": "Filter North", "company_id": cls.company.id})
        cls.south = Team.create({"name": "Filter South", "company_id": cls.company.id})
        cls.fair = cls.env["utm.source"].create({"name": "Filter Fair"})
        cls.web = cls.env["utm.source"].create({"name": "Filter Web"})
        cls.business = cls.env.ref("lead_energy.crm_energy_lead_type_business")
        cls.household = cls.env.ref("lead_energy.crm_energy_lead_type_household")
        cls.pv = cls.env.ref("lead_energy.crm_energy_interest_photovoltaics")
        cls.wind = cls.env.ref("lead_energy.crm_energy_interest_wind")
        cls.reason = cls.env["crm.lost.reason"].create({"name": "Filter: no roof"})
        cls.customer = cls.env["res.partner"].create({"name": "Filter Customer"})
        cls.today = fields.Date.context_today(cls.env["crm.lead"].with_user(cls.boss))
        cls.create_filter_leads()

    @classmethod
    def create_filter_leads(cls):
        """Leads of both sellers and of nobody, in both teams, from both
        sources, of both types, created this month, last month, in the last
        quarter and before, at every step of the funnel."""
        high = cls.high_score_rating()
        rows = [
            # created (months back), seller, team, source, type, interests, step
            (0, cls.seller, cls.north, cls.fair, cls.business, cls.pv, "open"),
            (0, cls.seller, cls.north, cls.fair, None, cls.pv | cls.wind, "won"),
            (0, cls.colleague, cls.south, cls.web, cls.household, None, "contacted"),
            (0, None, cls.south, None, None, cls.wind, "open"),
            (1, cls.seller, cls.south, cls.web, cls.business, cls.pv, "offer"),
            (1, cls.colleague, cls.north, cls.fair, None, None, "closed"),
            (1, cls.seller, None, None, cls.household, cls.wind, "qualified"),
            (3, cls.seller, cls.north, cls.web, cls.business, cls.pv, "converted"),
            (3, cls.colleague, cls.south, cls.fair, cls.household, None, "offer"),
            (4, None, cls.north, cls.fair, None, cls.pv, "closed"),
            (7, cls.seller, cls.south, None, cls.business, None, "won"),
            (14, cls.colleague, None, cls.web, None, cls.wind, "overdue"),
        ]
        Lead = cls.env["crm.lead"].with_context(default_type="lead")
        cls.filter_leads = Lead
        for index, (
            back,
            seller,
            team,
            source,
            lead_type,
            interests,
            step,
        ) in enumerate(rows):
            lead = Lead.create(
                {
                    "name": f"Filter lead {index}: {step}",
                    "company_id": cls.company.id,
                    "user_id": seller.id if seller else False,
                    "team_id": team.id if team else False,
                    "source_id": source.id if source else False,
                    "lead_type_id": lead_type.id if lead_type else False,
                    "interest_ids": [Command.set(interests.ids if interests else [])],
                    "followup_user_id": seller.id if seller else False,
                    **(high if index % 3 == 0 else {}),
                }
            )
            cls.take_to(lead, step)
            created = datetime.combine(
                month_start(cls.today, back) + timedelta(days=index % 9),
                time(12, 0),
            )
            cls.env.flush_all()
            cls.env.cr.execute(
                "UPDATE crm_lead SET create_date = %s WHERE id = %s",
                [min(created, datetime.now()), lead.id],
            )
            cls.filter_leads |= lead
        # Leads of the other company, seen by its own seller only.
        for step in ("open", "converted"):
            lead = Lead.create(
                {
                    "name": f"Wind lead: {step}",
                    "company_id": cls.other_company.id,
                    "user_id": cls.wind_seller.id,
                    "source_id": cls.fair.id,
                }
            )
            cls.take_to(lead, step)
        cls.env.flush_all()
        cls.env.invalidate_all()

    @classmethod
    def take_to(cls, lead, step):
        if step == "overdue":
            lead.followup_deadline = cls.today - timedelta(days=3)
        elif step == "contacted":
            lead.action_mark_contacted()
        elif step == "qualified":
            lead.action_mark_qualified()
        elif step == "closed":
            lead.action_set_lost(lost_reason_id=cls.reason.id)
        elif step in ("converted", "offer", "won"):
            lead.action_mark_qualified()
            lead.convert_opportunity(cls.customer)
            if step == "offer":
                order = cls.env["sale.order"].create(
                    {
                        "partner_id": cls.customer.id,
                        "opportunity_id": lead.id,
                        "user_id": lead.user_id.id,
                        "company_id": lead.company_id.id,
                    }
                )
                order.state = "sent"
            if step == "won":
                lead.action_set_won()

    # -- the board, and the same figures counted here ---------------------

    def board(self, user, filters=None, companies=None, domain=None):
        Board = self.env["crm.lead.energy.board"].with_user(user)
        if companies:
            Board = Board.with_context(allowed_company_ids=companies.ids)
        return Board.get_board_data(filters or {}, domain)

    def figures(self, board):
        """figure -> count for every figure of ``board``."""
        found = {}
        for tile in board["tiles"]:
            found[tile["key"]] = tile["count"]
            if tile["previous_count"] is not False:
                found[tile["key"], "previous"] = tile["previous_count"]
        for chart in board["charts"]:
            for dataset in chart["datasets"]:
                for label, count in zip(chart["labels"], dataset["data"], strict=True):
                    found[chart["key"], dataset["label"], label] = count
        return found

    def utc(self, day):
        start = pytz.timezone("Europe/Berlin").localize(datetime.combine(day, time()))
        return start.astimezone(pytz.utc).replace(tzinfo=None)

    def created_between(self, start, stop):
        return [
            ("create_date", ">=", self.utc(start)),
            ("create_date", "<", self.utc(stop)),
        ]

    def period_days(self, filters):
        """(start, stop, previous start) of the filters' period, in days."""
        period = filters.get("period")
        this_month = month_start(self.today)
        quarter = this_month.replace(month=(this_month.month - 1) // 3 * 3 + 1)
        if period == "this_month":
            return this_month, month_start(self.today, -1), month_start(self.today, 1)
        if period == "last_quarter":
            return (
                quarter - relativedelta(months=3),
                quarter,
                quarter - relativedelta(months=6),
            )
        if period == "last_12_months":
            start = month_start(self.today, 11)
            return start, month_start(self.today, -1), start - relativedelta(years=1)
        first = fields.Date.to_date(filters["date_from"])
        stop = fields.Date.to_date(filters["date_to"]) + timedelta(days=1)
        return first, stop, first - (stop - first)

    def months(self, start, stop):
        """(label, start, stop) of each month [start, stop) touches, cut to it."""
        result = []
        first = month_start(start)
        while first < stop:
            following = first + relativedelta(months=1)
            result.append((first, max(first, start), min(following, stop)))
            first = following
        return result

    def expected(self, user, filters=None, companies=None, domain=None):
        """The board's figures, each counted with its own search_count."""
        filters = filters or {}
        Lead = self.env["crm.lead"].with_user(user).with_context(active_test=False)
        if companies:
            Lead = Lead.with_context(allowed_company_ids=companies.ids)
        scope = list(ENERGY) + list(domain or [])
        for key, field_name in (
            ("team_id", "team_id"),
            ("user_id", "user_id"),
            ("source_id", "source_id"),
            ("lead_type_id", "lead_type_id"),
        ):
            if filters.get(key):
                scope.append((field_name, "=", filters[key]))
        if filters.get("interest_id"):
            scope.append(("interest_ids", "in", [filters["interest_id"]]))
        created, before = [], None
        if filters.get("period"):
            start, stop, previous_start = self.period_days(filters)
            created = self.created_between(start, stop)
            before = self.created_between(previous_start, start)
            months = self.months(start, stop)
        else:
            months = self.months(
                month_start(self.today, 5), month_start(self.today, -1)
            )

        def count(*domain):
            return Lead.search_count(scope + [term for part in domain for term in part])

        tiles = {
            "overdue": [
                ("followup_deadline", "<", self.today),
                ("lead_state", "in", ACTIVE),
            ],
            "high_score": [("is_high_score", "=", True), ("lead_state", "in", ACTIVE)],
            "without_responsibility": [
                ("followup_user_id", "=", False),
                ("lead_state", "in", ACTIVE),
            ],
            "stale": [("is_stale", "=", True)],
            "new": [] if created else [("is_new", "=", True)],
        }
        figures = {}
        for key, domain in tiles.items():
            figures[key] = count(created, domain)
            if before:
                figures[key, "previous"] = count(before, domain)
        state_labels = dict(
            self.env["crm.lead"]._fields["lead_state"]._description_selection(self.env)
        )
        for source, label in (
            (self.fair, self.fair.name),
            (self.web, self.web.name),
            (None, "No Source"),
        ):
            for state in STATES:
                figures["by_result_and_source", label, state_labels[state]] = count(
                    created,
                    [
                        ("lead_state", "=", state),
                        ("source_id", "=", source.id if source else False),
                    ],
                )
        for field_name, records in (
            ("source_id", self.fair | self.web),
            ("lead_type_id", self.business | self.household),
        ):
            title = (
                "Share of Leads by Source"
                if field_name == "source_id"
                else "Share of Leads by Type"
            )
            for record in [*records, None]:
                label = record.display_name if record else "Not Set"
                figures[f"share_by_{field_name}", title, label] = count(
                    created, [(field_name, "=", record.id if record else False)]
                )
        for first, start, stop in months:
            label = first.strftime("%b %Y")
            bounds = [(">=", self.utc(start)), ("<", self.utc(stop))]
            figures["closed_by_month", "Closed Leads", label] = count(
                [("lead_state", "=", "closed")],
                [("date_closed", op, value) for op, value in bounds],
            )
            figures["closed_by_month", "Converted Leads", label] = count(
                [("lead_state", "=", "converted")],
                [("date_conversion", op, value) for op, value in bounds],
            )
        opportunities = [("type", "=", "opportunity")]
        offers = self.env["sale.order"].with_user(user)
        if companies:
            offers = offers.with_context(allowed_company_ids=companies.ids)
        offered = offers.search(
            [
                ("state", "in", ["sent", "sale"]),
                (
                    "opportunity_id",
                    "in",
                    Lead.search(scope + created + opportunities).ids,
                ),
            ]
        ).opportunity_id
        funnel = {
            "All Leads": count(created),
            "Contacted": count(
                created,
                [
                    "|",
                    "|",
                    ("date_contacted", "!=", False),
                    ("date_qualified", "!=", False),
                    ("lead_state", "=", "converted"),
                ],
            ),
            "Qualified": count(
                created,
                [
                    "|",
                    ("date_qualified", "!=", False),
                    ("lead_state", "=", "converted"),
                ],
            ),
            "Converted": count(created, [("lead_state", "=", "converted")]),
            "Inquiries": count(created, opportunities),
            "Offers Sent": len(offered),
            "Won": count(
                created,
                opportunities,
                [("active", "=", True), ("stage_id.is_won", "=", True)],
            ),
        }
        for label, value in funnel.items():
            figures["funnel", "Leads", label] = value
        return figures

    def assert_board_as_counted(self, user, filters=None, companies=None, domain=None):
        self.env.flush_all()
        board = self.board(user, filters, companies, domain)
        expected = self.expected(user, filters, companies, domain)
        shown = self.figures(board)
        # Every figure counted here is on the board with the same count, and
        # the board shows no count here unknown.
        self.assertEqual(
            {figure: shown.get(figure, 0) for figure in expected},
            expected,
            f"{user.login} {filters}",
        )
        self.assertEqual(
            {figure for figure, count in shown.items() if count},
            {figure for figure, count in expected.items() if count},
            f"{user.login} {filters}",
        )
        return board, expected

    def filter_variants(self):
        last_month = month_start(self.today, 1)
        return [
            {"period": "this_month"},
            {"period": "last_quarter"},
            {"period": "last_12_months"},
            {
                "period": "custom",
                "date_from": fields.Date.to_string(last_month + timedelta(days=3)),
                "date_to": fields.Date.to_string(self.today),
            },
            {"team_id": self.north.id},
            {"user_id": self.seller.id},
            {"source_id": self.fair.id},
            {"lead_type_id": self.business.id},
            {"interest_id": self.wind.id},
            {
                "period": "last_12_months",
                "team_id": self.south.id,
                "interest_id": self.pv.id,
            },
        ]

    # -- tests -------------------------------------------------------------

    def test_every_figure_with_and_without_each_filter(self):
        no_filter = dict.fromkeys(
            [
                "period",
                "date_from",
                "date_to",
                "team_id",
                "user_id",
                "source_id",
                "lead_type_id",
                "interest_id",
            ],
            False,
        )
        # The seller sees his leads and nobody's: 8 of the company's 12.
        for user, leads in ((self.boss, 12), (self.seller, 8)):
            board, counted = self.assert_board_as_counted(user, {}, self.company)
            self.assertEqual(counted["funnel", "Leads", "All Leads"], leads)
            self.assertEqual(board["filters"], no_filter)
            self.assertFalse(board["period"])
            for filters in self.filter_variants():
                with self.subTest(user=user.login, filters=filters):
                    board, expected = self.assert_board_as_counted(
                        user, filters, self.company
                    )
                    # The filter takes effect: some figure is not the same.
                    self.assertNotEqual(expected, counted)
                    self.assertEqual(board["filters"], {**no_filter, **filters})

    def test_every_figure_in_a_second_company(self):
        for user, filters in (
            (self.wind_seller, {}),
            (self.wind_seller, {"period": "last_12_months"}),
            (self.boss, {}),
            (self.boss, {"source_id": self.fair.id}),
        ):
            with self.subTest(user=user.login, filters=filters):
                board, expected = self.assert_board_as_counted(
                    user, filters, self.other_company
                )
                self.assertEqual(expected["funnel", "Leads", "All Leads"], 2)
                self.assertEqual(expected["funnel", "Leads", "Converted"], 1)
        # Both companies switched on: the boss counts the leads of both.
        board, expected = self.assert_board_as_counted(
            self.boss, {}, self.company | self.other_company
        )
        self.assertEqual(expected["funnel", "Leads", "All Leads"], 14)

    def test_funnel_rates_from_the_step_before_and_from_the_top(self):
        board = self.board(self.boss, {}, self.company)
        (funnel,) = (chart for chart in board["charts"] if chart["key"] == "funnel")
        (steps,) = funnel["datasets"]
        self.assertEqual(
            funnel["labels"],
            [
                "All Leads",
                "Contacted",
                "Qualified",
                "Converted",
                "Inquiries",
                "Offers Sent",
                "Won",
            ],
        )
        # 12 leads: 7 contacted or further, 6 qualified, 5 converted into
        # opportunities, 2 with a quotation sent, 2 won.
        self.assertEqual(steps["data"], [12, 7, 6, 5, 5, 2, 2])
        self.assertEqual(
            steps["rates_previous"], [False, 58.3, 85.7, 83.3, 100.0, 40.0, 100.0]
        )
        self.assertEqual(
            steps["rates_top"], [100.0, 58.3, 50.0, 41.7, 41.7, 16.7, 16.7]
        )
        self.assertEqual(
            steps["kinds"],
            [
                "leads",
                "leads",
                "leads",
                "leads",
                "opportunities",
                "quotations",
                "opportunities",
            ],
        )

    def test_tiles_show_the_change_against_the_previous_period(self):
        board = self.board(self.boss, {"period": "this_month"}, self.company)
        tiles = {tile["key"]: tile for tile in board["tiles"]}
        # Created this month: leads 0-3; last month: leads 4-6.
        self.assertEqual(
            (tiles["new"]["count"], tiles["new"]["previous_count"]), (4, 3)
        )
        self.assertEqual(tiles["new"]["delta"], 1)
        Lead = self.env["crm.lead"].with_user(self.boss)
        Lead = Lead.with_context(allowed_company_ids=self.company.ids)
        for tile in board["tiles"]:
            self.assertEqual(tile["delta"], tile["count"] - tile["previous_count"])
            self.assertEqual(
                Lead.search_count(tile["previous_domain"]), tile["previous_count"]
            )
        self.assertTrue(board["period"]["label"])
        self.assertTrue(board["period"]["previous_label"])
        # Without a period there is nothing to compare with.
        for tile in self.board(self.boss, {}, self.company)["tiles"]:
            self.assertIs(tile["delta"], False)
            self.assertIs(tile["previous_count"], False)

    def test_each_figure_opens_its_records_with_filters(self):
        Board = self.env["crm.lead.energy.board"]
        for user, filters in (
            (self.boss, {"period": "last_12_months", "source_id": self.fair.id}),
            (self.boss, {"team_id": self.south.id}),
            (self.seller, {"interest_id": self.pv.id}),
            (self.seller, {}),
        ):
            board = self.board(user, filters, self.company)
            Board = Board.with_user(user).with_context(
                allowed_company_ids=self.company.ids
            )
            opened = 0
            for chart in board["charts"]:
                for dataset in chart["datasets"]:
                    kinds = dataset.get("kinds") or ["leads"] * len(dataset["data"])
                    for count, domain, kind, label in zip(
                        dataset["data"],
                        dataset["domains"],
                        kinds,
                        chart["labels"],
                        strict=True,
                    ):
                        action = Board.action_open_figure(kind, domain, label)
                        records = self.env[action["res_model"]].with_user(user)
                        records = records.with_context(
                            allowed_company_ids=self.company.ids, active_test=False
                        ).search(action["domain"])
                        if kind == "quotations":
                            self.assertEqual(action["res_model"], "sale.order")
                            records = records.opportunity_id
                        self.assertEqual(
                            len(records), count, f"{user.login} {filters} {label}"
                        )
                        opened += bool(count)
            self.assertTrue(opened)

    def test_filter_choices_are_those_the_user_may_see(self):
        def choices(user, key):
            Board = self.env["crm.lead.energy.board"].with_user(user)
            Board = Board.with_context(allowed_company_ids=self.company.ids)
            return [name for record_id, name in Board.get_board_filter_options()[key]]

        self.assertEqual(choices(self.seller, "user_id"), [self.seller.name])
        self.assertEqual(
            choices(self.boss, "user_id"),
            sorted([self.seller.name, self.colleague.name]),
        )
        self.assertEqual(
            choices(self.seller, "source_id"), ["Filter Fair", "Filter Web"]
        )
        # The boss sees every lead of the company: the teams on them, those
        # CRM gave a lead of nobody's team too.
        teams = self.filter_leads.team_id
        self.assertGreaterEqual(teams, self.north | self.south)
        self.assertEqual(
            choices(self.boss, "team_id"),
            sorted(teams.mapped("display_name"), key=str.lower),
        )
        self.assertEqual(
            choices(self.seller, "lead_type_id"),
            sorted([self.business.display_name, self.household.display_name]),
        )
        self.assertEqual(
            choices(self.seller, "interest_id"), sorted([self.pv.name, self.wind.name])
        )
        self.assertEqual(
            [
                key
                for key, label in self.env["crm.lead.energy.board"]
                .with_user(self.seller)
                .get_board_filter_options()["period"]
            ],
            [
                "this_month",
                "last_month",
                "this_quarter",
                "last_quarter",
                "this_year",
                "last_12_months",
                "custom",
            ],
        )

    def test_the_search_narrows_every_figure(self):
        """The board's search bar (or a favourite) adds any domain on leads."""
        for domain in (
            [("name", "ilike", ": open")],
            ["|", ("user_id", "=", self.seller.id), ("team_id", "=", self.south.id)],
        ):
            for user in (self.boss, self.seller):
                with self.subTest(user=user.login, domain=domain):
                    board, expected = self.assert_board_as_counted(
                        user, {"period": "last_12_months"}, self.company, domain
                    )
                    all_leads = expected["funnel", "Leads", "All Leads"]
                    self.assertTrue(all_leads)
                    self.assertLess(all_leads, 12)
        Board = self.env["crm.lead.energy.board"].with_user(self.seller)
        for domain in ("[]", [("no_such_field", "=", 1)], [("name", "~~", "x")]):
            with self.subTest(domain=domain), self.assertRaises(UserError):
                Board.get_board_data({}, domain)

    def test_bad_filters_are_refused(self):
        Board = self.env["crm.lead.energy.board"].with_user(self.seller)
        for filters in (
            ["period", "this_month"],
            {"stage_id": 1},
            {"user_id": "1"},
            {"user_id": True},
            {"team_id": -3},
            {"period": "forever"},
            {"period": "custom", "date_from": "2026-01-01"},
            {"period": "custom", "date_from": "2026-02-01", "date_to": "2026-01-01"},
            {"period": "custom", "date_from": "January", "date_to": "2026-01-01"},
        ):
            with self.subTest(filters=filters), self.assertRaises(UserError):
                Board.get_board_data(filters)
        with self.assertRaises(UserError):
            Board.action_open_figure("invoices", [], "Invoices")
