from odoo.tests import BaseCase

from ..tools.scoring import ScoringConfig, priority_for_score, score_of

# Weights as shipped: influence 3, size 2, industry 1, need 3, source 1, volume 2.
WEIGHTS = {
    "influence": 3,
    "size": 2,
    "industry": 1,
    "need": 3,
    "source": 1,
    "volume": 2,
}


def config(*extra_points):
    best = [(code, f"{code}-best", 10) for code in WEIGHTS]
    return ScoringConfig(WEIGHTS, best + list(extra_points))


class TestScoringArithmetic(BaseCase):
    """The score and the priority stars, without a database."""

    def test_score_rounds_half_up(self):
        self.assertEqual(score_of(31, 120), 26)  # 25.83
        self.assertEqual(score_of(3, 8), 38)  # 37.5
        self.assertEqual(score_of(1, 8), 13)  # 12.5
        self.assertEqual(score_of(1, 3), 33)  # 33.3

    def test_score_bounds(self):
        self.assertEqual(score_of(0, 120), 0)
        self.assertEqual(score_of(120, 120), 100)
        self.assertEqual(score_of(0, 0), 0)

    def test_config_weights_points_against_the_best_options(self):
        scoring = config(("influence", "co-decider", 7))
        self.assertEqual(scoring.denominator, 120)
        self.assertEqual(scoring.maxima["influence"], 10)
        rated = dict.fromkeys(WEIGHTS, False)
        self.assertEqual(scoring.score(rated), 0)
        rated.update(influence="co-decider", source="source-best")
        # (3 * 7 + 1 * 10) / 120 = 25.8
        self.assertEqual(scoring.score(rated), 26)
        self.assertEqual(scoring.score({c: f"{c}-best" for c in WEIGHTS}), 100)

    def test_unknown_or_unrated_counts_nothing(self):
        scoring = config()
        self.assertEqual(scoring.points_of("need", False), 0)
        self.assertEqual(scoring.points_of("need", "not-an-option"), 0)
        self.assertEqual(scoring.score({"unknown-criterion": "x"}), 0)

    def test_zero_weights_score_zero(self):
        scoring = ScoringConfig(dict.fromkeys(WEIGHTS, 0), [("need", 1, 10)])
        self.assertEqual(scoring.denominator, 0)
        self.assertEqual(scoring.score({"need": 1}), 0)

    def test_priority_bands_by_thirds_of_the_threshold(self):
        cases = {100: "3", 70: "3", 69: "2", 47: "2", 46: "1", 24: "1", 23: "0", 0: "0"}
        for score, stars in cases.items():
            with self.subTest(score=score):
                self.assertEqual(priority_for_score(score, 70), stars)
        self.assertEqual(priority_for_score(34, 100), "1")
        self.assertEqual(priority_for_score(33, 100), "0")
