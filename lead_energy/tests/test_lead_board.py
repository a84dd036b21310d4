from datetime import datetime, time, timedelta

import pytz

from odoo import fields
from odoo.fields import Command
from odoo.tests import tagged, users, warmup

from .common import LeadEnergyCase


@tagged("post_install", "-at_install")
class TestLeadBoard(LeadEnergyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fair = cls.env["utm.source"].create({"name": "Intersolar Munich"})
        cls.business = cls.env.ref("lead_energy.crm_energy_lead_type_business")
        cls.reason = cls.env["crm.lost.reason"].create({"name": "No budget"})
        cls.high_score = cls.high_score_rating()

    def board(self, user=None):
        self.env.flush_all()
        Board = self.env["crm.lead.energy.board"].with_user(user or self.salesman)
        return Board.get_board_data()

    def tiles(self, board):
        return {tile["key"]: tile["count"] for tile in board["tiles"]}

    def chart(self, board, key):
        (chart,) = (chart for chart in board["charts"] if chart["key"] == key)
        return chart

    def figure(self, chart, label):
        """The count of ``label`` in a one-dataset chart; 0 when not shown."""
        counts = dict(zip(chart["labels"], chart["datasets"][0]["data"], strict=True))
        return counts.get(label, 0)

    def dataset(self, chart, label):
        (dataset,) = (ds for ds in chart["datasets"] if ds["label"] == label)
        return dataset

    def shown_figures(self, board):
        """(kind, domain, count, title) of each figure of ``board``, by tile
        key, (chart key, label) or (chart key, dataset label, label)."""
        figures = {}
        for tile in board["tiles"]:
            figures[tile["key"]] = (
                "leads",
                tile["domain"],
                tile["count"],
                tile["title"],
            )
        for chart in board["charts"]:
            for dataset in chart["datasets"]:
                kinds = dataset.get("kinds") or ["leads"] * len(dataset["data"])
                for kind, domain, count, label in zip(
                    kinds,
                    dataset["domains"],
                    dataset["data"],
                    chart["labels"],
                    strict=True,
                ):
                    if len(chart["datasets"]) > 1:
                        figure = (chart["key"], dataset["label"], label)
                    else:
                        figure = (chart["key"], label)
                    figures[figure] = (kind, domain, count, label)
        return figures

    def opened_leads(self, action, user):
        """The leads an action of a figure lists: for quotations, theirs."""
        if action["res_model"] == "sale.order":
            orders = self.env["sale.order"].with_user(user)
            return orders.search(action["domain"]).opportunity_id
        self.assertEqual(action["res_model"], "crm.lead")
        return self.env["crm.lead"].with_user(user).search(action["domain"])

    def test_tiles_count_the_leads_of_each_evaluation(self):
        before = self.tiles(self.board())
        yesterday = fields.Date.today() - timedelta(days=1)
        self.create_lead(followup_user_id=self.salesman.id, followup_deadline=yesterday)
        self.create_lead(followup_user_id=self.salesman.id, **self.high_score)
        closed = self.create_lead(followup_user_id=self.salesman.id, **self.high_score)
        closed.action_set_lost(lost_reason_id=self.reason.id)
        self.create_lead()  # nobody follows it up
        after = self.tiles(self.board())
        self.assertEqual(
            {key: after[key] - before[key] for key in after},
            # Created today, all four are new; only the open one with a high
            # score counts, the closed one does not. Nothing is stale yet,
            # nobody was asked for an opt-in (test_lead_optin.py asks).
            {
                "overdue": 1,
                "high_score": 1,
                "without_responsibility": 1,
                "stale": 0,
                "new": 4,
                "opt_in_confirmed": 0,
            },
        )

    def test_stale_tile_counts_untouched_open_leads(self):
        before = self.tiles(self.board())["stale"]
        lead = self.create_lead()
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE crm_lead SET write_date = now() - interval '40 days' WHERE id = %s",
            [lead.id],
        )
        self.assertEqual(self.tiles(self.board())["stale"], before + 1)

    def test_every_figure_opens_exactly_its_leads(self):
        """In a company of its own, with leads whose every figure is known: each
        tile and each chart point counts exactly those leads, and the list its
        click opens shows exactly them."""
        company = self.env["res.company"].create({"name": "Board Test Solar AG"})
        # Leads without a company show in every company: give those of the
        # demo data one, so that only the leads below are in this company.
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE crm_lead SET company_id = %s WHERE company_id IS NULL",
            [self.env.ref("base.main_company").id],
        )
        self.env.invalidate_all()
        user = self.sales_user(
            "le_board_company",
            "Bea Board",
            "sales_team.group_sale_salesman_all_leads",
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
            tz="UTC",
        )
        web = self.env["utm.source"].create({"name": "Board Test Website"})
        household = self.env.ref("lead_energy.crm_energy_lead_type_household")
        Lead = self.env["crm.lead"].with_user(user).with_context(default_type="lead")
        yesterday = fields.Date.today() - timedelta(days=1)
        mine = {"followup_user_id": user.id}

        def lead(key, **values):
            return Lead.create({"name": f"Board test: {key}", **values})

        leads = {
            "overdue": lead(
                "overdue",
                followup_deadline=yesterday,
                source_id=self.fair.id,
                lead_type_id=self.business.id,
                **mine,
            ),
            "high": lead("high", source_id=self.fair.id, **self.high_score, **mine),
            "nobodys": lead("nobodys"),
            "contacted": lead("contacted", source_id=web.id, **mine),
            "qualified": lead(
                "qualified",
                source_id=self.fair.id,
                lead_type_id=self.business.id,
                **mine,
            ),
            "lost": lead("lost", lead_type_id=household.id, **self.high_score),
            "lost_long_ago": lead("lost_long_ago", source_id=web.id),
            "converted": lead("converted", source_id=web.id, **mine),
            "stale": lead("stale", lead_type_id=household.id, **mine),
        }
        leads["contacted"].action_mark_contacted()
        leads["qualified"].action_mark_qualified()
        leads["lost"].action_set_lost(lost_reason_id=self.reason.id)
        leads["lost_long_ago"].action_set_lost(lost_reason_id=self.reason.id)
        leads["converted"].sudo().convert_opportunity(self.env["res.partner"])
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE crm_lead SET date_closed = now() - interval '400 days'"
            " WHERE id = %s",
            [leads["lost_long_ago"].id],
        )
        self.env.cr.execute(
            "UPDATE crm_lead SET create_date = now() - interval '40 days',"
            " write_date = now() - interval '40 days' WHERE id = %s",
            [leads["stale"].id],
        )
        self.env.invalidate_all()
        # What the test made of each lead: state, source, type.
        made = {
            "overdue": ("open", self.fair, self.business),
            "high": ("open", self.fair, None),
            "nobodys": ("open", None, None),
            "contacted": ("contacted", web, None),
            "qualified": ("qualified", self.fair, self.business),
            "lost": ("closed", None, household),
            "lost_long_ago": ("closed", web, None),
            "converted": ("converted", web, None),
            "stale": ("open", None, household),
        }
        every = set(leads)
        # The figures, by tile key or (chart key, dataset label, point label).
        states = ["Open", "Contacted", "Qualified", "Closed", "Converted"]
        state_keys = ["open", "contacted", "qualified", "closed", "converted"]
        expected = {
            "overdue": {"overdue"},
            "high_score": {"high"},
            "without_responsibility": {"nobodys"},
            "stale": {"stale"},
            "new": every - {"stale"},
        }
        for source, label in (
            (self.fair, self.fair.name),
            (web, web.name),
            (None, "No Source"),
        ):
            for state, state_label in zip(state_keys, states, strict=True):
                keys = {
                    key
                    for key, (s, src, t) in made.items()
                    if s == state and src == source
                }
                expected["by_result_and_source", label, state_label] = keys
        for source, label in (
            (self.fair, self.fair.name),
            (web, web.name),
            (None, "Not Set"),
        ):
            keys = {key for key, (s, src, t) in made.items() if src == source}
            expected["share_by_source_id", label] = keys
        for lead_type in (self.business, household, None):
            label = lead_type.display_name if lead_type else "Not Set"
            keys = {key for key, (s, src, t) in made.items() if t == lead_type}
            expected["share_by_lead_type_id", label] = keys
        expected["funnel", "All Leads"] = every
        expected["funnel", "Contacted"] = {"contacted", "qualified", "converted"}
        expected["funnel", "Qualified"] = {"qualified", "converted"}
        expected["funnel", "Converted"] = {"converted"}
        expected["funnel", "Inquiries"] = {"converted"}  # now an opportunity

        for key, (state, source, lead_type) in made.items():
            self.assertEqual(
                (leads[key].lead_state, leads[key].source_id, leads[key].lead_type_id),
                (state, source or web.browse(), lead_type or household.browse()),
                key,
            )
        Board = self.env["crm.lead.energy.board"].with_user(user)
        board = Board.get_board_data()
        names = {lead.id: key for key, lead in leads.items()}
        figures = self.shown_figures(board)
        months = self.chart(board, "closed_by_month")["labels"]
        for line in ("Closed Leads", "Converted Leads"):
            for month in months[:-1]:
                expected["closed_by_month", line, month] = set()
        expected["closed_by_month", "Closed Leads", months[-1]] = {"lost"}
        expected["closed_by_month", "Converted Leads", months[-1]] = {"converted"}
        # Every figure the board shows is one the test knows, and no figure
        # of a lead of the test is missing from the board.
        self.assertEqual(
            {figure for figure, (k, d, count, t) in figures.items() if count},
            {figure for figure, keys in expected.items() if keys},
        )
        for figure in expected.keys() - figures.keys():
            self.assertFalse(expected[figure], figure)  # not shown: none to show
        for figure, (kind, domain, count, title) in figures.items():
            keys = expected.get(figure, set())
            self.assertEqual(count, len(keys), figure)
            action = Board.action_open_figure(kind, domain, title)
            self.assertEqual(action["name"], title)
            found = self.opened_leads(action, user)
            self.assertEqual({names.get(i, i) for i in found.ids}, keys, figure)

    def test_charts_by_result_source_and_type(self):
        before = self.board()
        first = self.create_lead(source_id=self.fair.id, lead_type_id=self.business.id)
        self.create_lead(source_id=self.fair.id, lead_type_id=self.business.id)
        closed = self.create_lead(source_id=self.fair.id)
        closed.action_set_lost(lost_reason_id=self.reason.id)
        first.action_mark_qualified()
        after = self.board()

        by_result = self.chart(after, "by_result_and_source")
        self.assertEqual(
            by_result["labels"],
            ["Open", "Contacted", "Qualified", "Closed", "Converted"],
        )
        self.assertEqual(
            self.dataset(by_result, "Intersolar Munich")["data"], [1, 0, 1, 1, 0]
        )

        by_source = self.chart(after, "share_by_source_id")
        self.assertEqual(self.figure(by_source, "Intersolar Munich"), 3)
        by_type = self.chart(after, "share_by_lead_type_id")
        type_before = self.chart(before, "share_by_lead_type_id")
        business = self.business.display_name
        self.assertEqual(
            self.figure(by_type, business) - self.figure(type_before, business), 2
        )

    def test_closed_leads_of_the_last_six_months(self):
        before = self.chart(self.board(), "closed_by_month")
        self.assertEqual(len(before["labels"]), 6)
        lead = self.create_lead()
        lead.action_set_lost(lost_reason_id=self.reason.id)
        old = self.create_lead()
        old.action_set_lost(lost_reason_id=self.reason.id)
        old.sudo().date_closed = fields.Datetime.now() - timedelta(days=400)
        after = self.chart(self.board(), "closed_by_month")
        self.assertEqual(after["labels"], before["labels"])
        self.assertEqual(
            [
                b - a
                for a, b in zip(
                    before["datasets"][0]["data"],
                    after["datasets"][0]["data"],
                    strict=True,
                )
            ],
            [0, 0, 0, 0, 0, 1],
        )

    def test_closed_months_follow_the_users_time_zone(self):
        self.salesman.tz = "Europe/Berlin"
        before = self.chart(self.board(), "closed_by_month")["datasets"][0]["data"]
        lead = self.create_lead()
        lead.action_set_lost(lost_reason_id=self.reason.id)
        # 00:30 in Berlin on the first of this month is still last month in UTC.
        first = fields.Date.context_today(lead).replace(day=1)  # in Berlin
        berlin = pytz.timezone("Europe/Berlin")
        closed_at = berlin.localize(datetime.combine(first, time(0, 30)))
        lead.sudo().date_closed = closed_at.astimezone(pytz.utc).replace(tzinfo=None)
        after = self.chart(self.board(), "closed_by_month")["datasets"][0]["data"]
        self.assertEqual(after[-1] - before[-1], 1)
        self.assertEqual(after[-2], before[-2])

    def test_funnel_counts_the_leads_that_reached_each_stage(self):
        before = self.chart(self.board(), "funnel")["datasets"][0]["data"]
        self.create_lead()
        contacted = self.create_lead()
        contacted.action_mark_contacted()
        qualified = self.create_lead()
        qualified.action_mark_qualified()  # straight from open
        after = self.chart(self.board(), "funnel")["datasets"][0]["data"]
        self.assertEqual(
            [b - a for a, b in zip(before, after, strict=True)],
            [3, 2, 1, 0, 0, 0, 0],
        )

    def test_board_shows_only_the_leads_the_user_may_see(self):
        salesman_before = self.tiles(self.board())["high_score"]
        manager_before = self.tiles(self.board(self.manager))["high_score"]
        self.create_lead(
            user=self.salesman_all,
            user_id=self.salesman_all.id,
            followup_user_id=self.salesman_all.id,
            **self.high_score,
        )
        self.assertEqual(self.tiles(self.board())["high_score"], salesman_before)
        self.assertEqual(
            self.tiles(self.board(self.manager))["high_score"], manager_before + 1
        )

    def test_board_in_the_users_language(self):
        self.env["res.lang"]._activate_lang("de_DE")
        self.env["ir.module.module"]._load_module_terms(
            ["lead_energy"], ["de_DE"], overwrite=True
        )
        self.salesman.lang = "de_DE"
        self.create_lead()  # without a lead type or a source
        board = self.board()
        self.assertIn(
            "Nicht angegeben", self.chart(board, "share_by_lead_type_id")["labels"]
        )
        self.assertEqual(
            self.chart(board, "by_result_and_source")["datasets"][-1]["label"],
            "Keine Quelle",
        )
        self.assertEqual(board["tiles"][0]["title"], "Überfällige Leads")
        funnel = self.chart(board, "funnel")
        self.assertEqual(funnel["title"], "Vertriebstrichter")
        self.assertEqual(
            funnel["labels"],
            [
                "Alle Leads",
                "Kontaktiert",
                "Qualifiziert",
                "Konvertiert",
                "Anfragen",
                "Angebote versendet",
                "Gewonnen",
            ],
        )

    def test_board_counts_the_leads_of_the_companies_switched_on(self):
        main = self.manager.company_id
        other = self.env["res.company"].create({"name": "Solar Tochter GmbH"})
        self.manager.company_ids = [(4, other.id)]

        def new_leads(companies):
            Board = (
                self.env["crm.lead.energy.board"]
                .with_user(self.manager)
                .with_context(allowed_company_ids=companies.ids)
            )
            self.env.flush_all()
            return self.tiles(Board.get_board_data())["new"]

        before = new_leads(main)
        self.Lead.with_company(other).create(
            {"name": "Lead of the other company", "company_id": other.id}
        )
        self.assertEqual(new_leads(main), before)
        self.assertEqual(new_leads(main | other), before + 1)

    @users("le_manager", "le_salesman")
    @warmup
    def test_all_figures_in_one_pass(self):
        """Every figure of the board from one scan of the leads: the counting
        query, then the names of the sources and lead types it found. (The
        web client's context names the language and time zone.)"""
        self.create_lead(name="Counted", source_id=self.fair.id)
        self.env.flush_all()
        Board = self.env["crm.lead.energy.board"].with_context(
            lang="en_US", tz="Europe/Berlin"
        )
        with self.assertQueryCount(le_manager=3, le_salesman=3):
            board = Board.get_board_data()
        self.assertTrue(self.tiles(board)["new"])
        # Every filter at once, the funnel's quotations and won stages too.
        filters = {
            "period": "last_12_months",
            "team_id": self.env.ref("sales_team.team_sales_department").id,
            "user_id": self.env.user.id,
            "source_id": self.fair.id,
            "lead_type_id": self.business.id,
            "interest_id": self.env.ref(
                "lead_energy.crm_energy_interest_photovoltaics"
            ).id,
        }
        with self.assertQueryCount(le_manager=3, le_salesman=3):
            board = Board.get_board_data(filters)
        self.assertEqual(
            board["filters"], {**filters, "date_from": False, "date_to": False}
        )
