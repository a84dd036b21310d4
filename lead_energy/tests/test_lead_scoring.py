from datetime import timedelta
from fractions import Fraction

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import SQL

from ..models.crm_lead_scoring_criterion import CRITERION_FIELDS, LINKED_CRITERIA
from ..tools.scoring import SCORE_SQL, priority_for_score, score_of
from .common import LeadEnergyCase

# Default weights: influence 3, size 2, industry 1, need 3, source 1, volume 2;
# best points 10 everywhere: 100 % is 120 weighted points.


@tagged("post_install", "-at_install")
class TestLeadScoring(LeadEnergyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.decision_maker = ref(
            "lead_energy.crm_lead_scoring_option_influence_decision_maker"
        )
        cls.co_decider = ref("lead_energy.crm_lead_scoring_option_influence_co_decider")
        cls.immediate = ref("lead_energy.crm_lead_scoring_option_need_immediate")
        cls.within_3_months = ref("lead_energy.crm_lead_scoring_option_need_3_months")
        cls.big_company = ref("lead_energy.crm_lead_scoring_option_size_250_plus")
        cls.big_volume = ref("lead_energy.crm_lead_scoring_option_volume_gt_250k")
        cls.energy_supply = ref("base.res_partner_industry_D")
        cls.referral = ref("lead_energy.utm_source_referral")
        cls.need = ref("lead_energy.crm_lead_scoring_criterion_need")

    def best_rating(self):
        return {
            "influence_option_id": self.decision_maker.id,
            "size_option_id": self.big_company.id,
            "industry_id": self.energy_supply.id,
            "need_option_id": self.immediate.id,
            "source_id": self.referral.id,
            "volume_option_id": self.big_volume.id,
        }

    def stored_score(self, lead):
        lead.invalidate_recordset(["lead_score"])
        return lead.lead_score

    def test_no_rating_scores_zero_and_says_not_rated(self):
        lead = self.create_lead()
        self.assertEqual(lead.lead_score, 0)
        self.assertEqual(lead.score_breakdown.count("not rated"), 6)

    def test_partial_rating(self):
        lead = self.create_lead(
            influence_option_id=self.decision_maker.id,
            need_option_id=self.immediate.id,
        )
        # (3 * 10 + 3 * 10) / 120
        self.assertEqual(lead.lead_score, 50)
        self.assertEqual(lead.score_breakdown.count("not rated"), 4)

    def test_best_rating_scores_100(self):
        lead = self.create_lead(**self.best_rating())
        self.assertEqual(lead.lead_score, 100)

    def test_breakdown_shows_points_and_weights(self):
        lead = self.create_lead(
            influence_option_id=self.co_decider.id, source_id=self.referral.id
        )
        breakdown = lead.score_breakdown
        self.assertIn("Co-Decider", breakdown)
        self.assertIn("7 of 10", breakdown)
        self.assertIn("× 3", breakdown)
        self.assertIn("Referral", breakdown)
        # (3 * 7 + 1 * 10) / 120 = 25.8
        self.assertEqual(lead.lead_score, 26)

    def test_rating_in_the_form_updates_the_score_before_saving(self):
        form = self.lead_form()
        form.name = "Storage for a dairy farm"
        self.assertEqual(form.lead_score, 0)
        form.influence_option_id = self.decision_maker
        self.assertEqual(form.lead_score, 25)
        form.need_option_id = self.immediate
        self.assertEqual(form.lead_score, 50)
        self.assertIn("10 of 10", form.score_breakdown)
        self.assertEqual(form.save().lead_score, 50)

    def test_weight_change_rescores_existing_leads(self):
        lead = self.create_lead(
            influence_option_id=self.decision_maker.id,
            need_option_id=self.immediate.id,
        )
        unrated = self.create_lead()
        self.need.with_user(self.manager).weight = 0
        # 30 / (120 - 30)
        self.assertEqual(self.stored_score(lead), 33)
        self.assertEqual(self.stored_score(unrated), 0)

    def test_points_change_rescores_existing_leads(self):
        lead = self.create_lead(need_option_id=self.within_3_months.id)
        other = self.create_lead(influence_option_id=self.decision_maker.id)
        self.assertEqual(lead.lead_score, 18)  # 3 * 7 / 120 = 17.5
        self.within_3_months.with_user(self.manager).points = 9
        self.assertEqual(self.stored_score(lead), 23)  # 3 * 9 / 120 = 22.5
        self.assertEqual(self.stored_score(other), 25)
        # Raising the best option changes every rated lead.
        self.immediate.with_user(self.manager).points = 20
        self.assertEqual(self.stored_score(lead), 18)  # 27 / 150
        self.assertEqual(self.stored_score(other), 20)  # 30 / 150

    def test_archived_option_counts_no_more(self):
        lead = self.create_lead(
            influence_option_id=self.decision_maker.id,
            need_option_id=self.immediate.id,
        )
        self.immediate.with_user(self.manager).action_archive()
        # Need's best option is now 7: (3 * 10 + 0) / (120 - 9)
        self.assertEqual(self.stored_score(lead), 27)
        self.assertEqual(lead.need_option_id, self.immediate)
        self.assertNotIn(self.immediate, self.env["crm.lead.scoring.option"].search([]))

    def test_deleted_option_takes_its_points_along(self):
        only_rating = self.create_lead(influence_option_id=self.decision_maker.id)
        other = self.create_lead(
            influence_option_id=self.co_decider.id,
            need_option_id=self.immediate.id,
        )
        self.assertEqual(only_rating.lead_score, 25)
        self.decision_maker.with_user(self.manager).unlink()
        # No rating left: nothing to score.
        self.assertFalse(only_rating.influence_option_id)
        self.assertEqual(self.stored_score(only_rating), 0)
        # Influence's best option is now 7: (3 * 7 + 3 * 10) / (120 - 9)
        self.assertEqual(self.stored_score(other), 46)

    def test_linked_points_for_industry_and_source(self):
        lead = self.create_lead(industry_id=self.energy_supply.id)
        self.assertEqual(lead.lead_score, 8)  # 1 * 10 / 120 = 8.3
        option = self.env.ref("lead_energy.crm_lead_scoring_option_industry_d")
        option.with_user(self.manager).points = 5
        # Industry's best option is now Manufacturing (8): 5 / 118
        self.assertEqual(self.stored_score(lead), 4)
        option.with_user(self.manager).industry_id = self.env.ref(
            "base.res_partner_industry_B"
        )
        self.assertEqual(self.stored_score(lead), 0)

    def leads_in_combinations(self, count=72):
        """Leads rated in varied combinations of all six criteria, some
        criteria unrated, from a fixed pattern (the same leads every run)."""
        options = self.env["crm.lead.scoring.option"].search([])
        choices = {}
        for code, field in CRITERION_FIELDS.items():
            of_code = options.filtered(lambda o, code=code: o.criterion_code == code)
            linked = LINKED_CRITERIA.get(code)
            values = of_code[linked] if linked else of_code
            choices[field] = [False, *values.ids]
        strides = (1, 5, 7, 11, 13, 17)
        return self.Lead.create(
            [
                {
                    "name": f"Combination {i}",
                    **{
                        field: values[(i * stride) % len(values)]
                        for (field, values), stride in zip(
                            choices.items(), strides, strict=True
                        )
                    },
                }
                for i in range(count)
            ]
        )

    def assert_stored_scores_are_python_scores(self, leads, config):
        """Scores the SQL wrote against the Python arithmetic, lead by lead;
        at least one exact score ends in .5 (the rounding edge)."""
        leads.invalidate_recordset(["lead_score"])
        halves = 0
        for lead in leads:
            rated = lead._rated_ids()
            total = sum(
                config.weights[code] * config.points_of(code, record_id)
                for code, record_id in rated.items()
            )
            halves += Fraction(100 * total, config.denominator).denominator == 2
            with self.subTest(lead=lead.name):
                self.assertEqual(lead.lead_score, config.score(rated))
        self.assertTrue(halves, "no lead on a rounding edge")

    def test_sql_and_python_scores_agree_on_all_criteria(self):
        leads = self.leads_in_combinations()
        python_scores = leads.mapped("lead_score")
        self.assertGreater(len(set(python_scores)), 20)
        Criterion = self.env["crm.lead.scoring.criterion"]
        before = Criterion._scoring_config()
        self.env["crm.lead"]._recompute_lead_scores(before, all_leads=True)
        leads.invalidate_recordset(["lead_score"])
        self.assertEqual(leads.mapped("lead_score"), python_scores)
        # Other weights, another denominator (7*10 + 5*10 + ... = 200, where
        # every odd total is a rounding edge):
        for code, weight in zip(CRITERION_FIELDS, (7, 5, 1, 4, 1, 2), strict=True):
            Criterion.search([("code", "=", code)]).with_user(
                self.manager
            ).weight = weight
        config = Criterion._scoring_config()
        self.assertEqual(config.denominator, 200)
        self.assert_stored_scores_are_python_scores(leads, config)

    def test_new_best_option_rescores_every_rated_lead(self):
        influence = self.create_lead(influence_option_id=self.decision_maker.id)
        need = self.create_lead(need_option_id=self.immediate.id)
        unrated = self.create_lead()
        self.env["crm.lead.scoring.option"].with_user(self.manager).create(
            {
                "name": "Owner",
                "criterion_id": self.decision_maker.criterion_id.id,
                "points": 20,
            }
        )
        # Influence's best is 20 now: 3 * 10 / (120 + 3 * 10)
        self.assertEqual(self.stored_score(influence), 20)
        self.assertEqual(self.stored_score(need), 20)
        self.assertEqual(self.stored_score(unrated), 0)

    def test_option_rating_leads_stays_in_its_criterion(self):
        influence = self.decision_maker.criterion_id
        lead = self.create_lead(need_option_id=self.within_3_months.id)
        with self.assertRaisesRegex(ValidationError, "cannot move"):
            self.within_3_months.with_user(self.manager).criterion_id = influence
        self.assertEqual(self.within_3_months.criterion_id, self.need)
        # An option nobody is rated with moves, and the best points follow.
        spare = self.env["crm.lead.scoring.option"].create(
            {"name": "Yesterday", "criterion_id": self.need.id, "points": 20}
        )
        self.assertEqual(self.stored_score(lead), 14)  # 3 * 7 / (120 + 3 * 10)
        spare.with_user(self.manager).criterion_id = self.big_company.criterion_id
        # Size's best is 20 now, need's 10 again: 3 * 7 / (120 + 2 * 10)
        self.assertEqual(self.stored_score(lead), 15)
        self.assertEqual(spare.criterion_code, "size")

    def test_deleted_industry_or_source_takes_its_points_along(self):
        industry = self.env["res.partner.industry"].create({"name": "Hydrogen"})
        source = self.env["utm.source"].create({"name": "Hydrogen fair"})
        Option = self.env["crm.lead.scoring.option"]
        Option.create(
            [
                {
                    "name": "Hydrogen",
                    "criterion_id": self.env.ref(
                        "lead_energy.crm_lead_scoring_criterion_industry"
                    ).id,
                    "industry_id": industry.id,
                    "points": 10,
                },
                {
                    "name": "Hydrogen fair",
                    "criterion_id": self.env.ref(
                        "lead_energy.crm_lead_scoring_criterion_source"
                    ).id,
                    "source_id": source.id,
                    "points": 10,
                },
            ]
        )
        lead = self.create_lead(industry_id=industry.id, source_id=source.id)
        self.assertEqual(lead.lead_score, 17)  # (10 + 10) / 120
        industry.unlink()
        self.assertFalse(lead.industry_id)
        self.assertEqual(self.stored_score(lead), 8)
        source.unlink()
        self.assertFalse(lead.source_id)
        self.assertEqual(self.stored_score(lead), 0)
        self.assertFalse(Option.search([("name", "=", "Hydrogen fair")]))

    def test_sql_score_and_stars_are_the_python_ones(self):
        """The rescoring SQL and the ORM share one arithmetic: every total of a
        few denominators gives the same score and stars in both."""
        self.env["ir.config_parameter"].set_param(
            "lead_energy.score_sets_priority", "1"
        )
        Lead = self.env["crm.lead"]
        for denominator in (1, 7, 8, 120, 333):
            totals = list(range(denominator + 1))
            self.env.cr.execute(
                SQL(
                    "SELECT t.total, %s, %s FROM unnest(%s::int[]) AS t(total)",
                    SQL(SCORE_SQL, SQL("t.total"), denominator, 2 * denominator),
                    Lead._priority_sql(
                        SQL(SCORE_SQL, SQL("t.total"), denominator, 2 * denominator)
                    ),
                    totals,
                )
            )
            for total, score, stars in self.env.cr.fetchall():
                with self.subTest(total=total, denominator=denominator):
                    self.assertEqual(score, score_of(total, denominator))
                    self.assertEqual(stars, priority_for_score(score, 70))

    def test_option_links_only_what_its_criterion_rates(self):
        options = self.env["crm.lead.scoring.option"].with_user(self.manager)
        with self.assertRaisesRegex(ValidationError, "names the industry"):
            options.create(
                {
                    "name": "Mining",
                    "criterion_id": self.env.ref(
                        "lead_energy.crm_lead_scoring_criterion_industry"
                    ).id,
                    "points": 3,
                }
            )
        with self.assertRaisesRegex(ValidationError, "name no industry"):
            options.create(
                {
                    "name": "Mining",
                    "criterion_id": self.need.id,
                    "industry_id": self.env.ref("base.res_partner_industry_B").id,
                    "points": 3,
                }
            )

    def test_salesman_reads_options_only_managers_write(self):
        options = self.env["crm.lead.scoring.option"].with_user(self.salesman)
        criteria = self.env["crm.lead.scoring.criterion"].with_user(self.salesman)
        self.assertEqual(len(criteria.search([])), 6)
        self.assertTrue(options.search([]))
        with self.assertRaises(AccessError):
            self.immediate.with_user(self.salesman).points = 1
        with self.assertRaises(AccessError):
            self.need.with_user(self.salesman).weight = 1
        with self.assertRaises(AccessError):
            options.create(
                {"name": "Someday", "criterion_id": self.need.id, "points": 1}
            )
        self.immediate.with_user(self.manager).points = 9
        self.assertEqual(self.immediate.points, 9)
        with self.assertRaises(AccessError):
            criteria.with_user(self.manager).create({"name": "Mood", "code": "need"})

    def test_rating_by_name_over_rpc(self):
        lead = self.create_lead(
            influence_option_id="decision maker",
            need_option_id="Immediate",
            industry_id="Energy supply",
            source_id="Referral",
        )
        self.assertEqual(lead.influence_option_id, self.decision_maker)
        self.assertEqual(lead.industry_id, self.energy_supply)
        self.assertEqual(lead.lead_score, 67)  # (30 + 30 + 10 + 10) / 120
        with self.assertRaisesRegex(UserError, "Unknown value “Emperor” for Influence"):
            lead.with_user(self.salesman).write({"influence_option_id": "Emperor"})
        # An option of another criterion is not taken.
        with self.assertRaisesRegex(UserError, "Unknown value “Immediate” for Volume"):
            self.create_lead(volume_option_id="Immediate")

    def test_csv_import_by_name(self):
        self.env["crm.lead.scoring.option"].with_user(self.manager).create(
            [
                {"name": "Unknown", "criterion_id": self.need.id, "points": 1},
                {
                    "name": "Unknown",
                    "criterion_id": self.env.ref(
                        "lead_energy.crm_lead_scoring_criterion_volume"
                    ).id,
                    "points": 2,
                },
            ]
        )
        fields_ = ["name", "influence_option_id", "need_option_id", "volume_option_id"]
        result = self.Lead.with_user(self.salesman).load(
            fields_,
            [
                ["Imported PV", "Decision Maker", "Immediate", "Over €250,000"],
                ["Imported wind", "Co-Decider", "Unknown", "Unknown"],
            ],
        )
        self.assertFalse(result["messages"])
        first, second = self.Lead.browse(result["ids"])
        self.assertEqual(first.lead_score, 67)  # (30 + 30 + 20) / 120
        self.assertEqual(second.need_option_id.criterion_code, "need")
        self.assertEqual(second.volume_option_id.criterion_code, "volume")

    def test_csv_import_names_the_column_and_the_bad_value(self):
        result = self.Lead.with_user(self.salesman).load(
            ["name", "influence_option_id"], [["Imported storage", "Emperor"]]
        )
        self.assertFalse(result["ids"])
        [message] = result["messages"]
        self.assertEqual(message["type"], "error")
        self.assertIn("Emperor", message["message"])
        self.assertIn("Influence", message["message"])

    def test_priority_stars_follow_the_score_when_enabled(self):
        lead = self.create_lead(influence_option_id=self.decision_maker.id)
        self.assertEqual(lead.priority, "0")  # off by default
        settings = self.env["res.config.settings"].create(
            {"lead_energy_score_sets_priority": True}
        )
        settings.execute()
        lead.invalidate_recordset(["priority"])
        self.assertEqual(lead.priority, "1")  # 25 >= 70 / 3
        lead.with_user(self.salesman).write(self.best_rating())
        self.assertEqual(lead.priority, "3")
        self.immediate.with_user(self.manager).points = 0
        lead.invalidate_recordset(["priority", "lead_score"])
        self.assertEqual(lead.lead_score, 81)  # (120 - 30) / (120 - 30 + 21)
        self.assertEqual(lead.priority, "3")
        self.env["res.config.settings"].create(
            {"lead_energy_high_score_threshold": 90}
        ).execute()
        lead.invalidate_recordset(["priority"])
        self.assertEqual(lead.priority, "2")  # 81 >= 2 / 3 * 90

    def test_settings_drive_high_score_stale_and_new(self):
        best = self.create_lead(**self.best_rating())
        half = self.create_lead(
            influence_option_id=self.decision_maker.id,
            need_option_id=self.immediate.id,
        )
        Lead = self.env["crm.lead"]
        self.assertIn(best, Lead.search([("is_high_score", "=", True)]))
        self.assertNotIn(half, Lead.search([("is_high_score", "=", True)]))
        self.env["res.config.settings"].create(
            {"lead_energy_high_score_threshold": 50}
        ).execute()
        self.assertIn(half, Lead.search([("is_high_score", "=", True)]))

        old = fields.Datetime.now() - timedelta(days=10)
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE crm_lead SET create_date = %s, write_date = %s WHERE id = %s",
            [old, old, half.id],
        )
        half.invalidate_recordset()
        self.assertIn(best, Lead.search([("is_new", "=", True)]))
        self.assertNotIn(half, Lead.search([("is_new", "=", True)]))
        self.assertNotIn(half, Lead.search([("is_stale", "=", True)]))
        self.env["res.config.settings"].create(
            {"lead_energy_stale_days": 5, "lead_energy_new_days": 14}
        ).execute()
        self.assertIn(half, Lead.search([("is_stale", "=", True)]))
        self.assertIn(half, Lead.search([("is_new", "=", True)]))
        self.assertNotIn(best, Lead.search([("is_stale", "=", True)]))

    def test_settings_are_validated(self):
        with self.assertRaisesRegex(ValidationError, "between 1 and 100"):
            self.env["res.config.settings"].create(
                {"lead_energy_high_score_threshold": 120}
            )
        with self.assertRaisesRegex(ValidationError, "at least 1"):
            self.env["res.config.settings"].create({"lead_energy_stale_days": 0})
