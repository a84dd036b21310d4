"""Score arithmetic, shared by the ORM (one lead at a time) and SQL (all at once)."""

# A score is 100 * total / denominator, rounded half up in integers. In SQL:
# the same integer expression, with %s for total, denominator and 2 * denominator.
SCORE_SQL = "((200 * (%s) + %s) / %s)"

# Priority stars by score against the high-score threshold, best first: three
# stars from the threshold (3/3 of it), two from 2/3 of it, one from 1/3.
PRIORITY_BANDS = (("3", 3), ("2", 2), ("1", 1))
NO_PRIORITY = "0"


def score_of(total, denominator):
    """0-100 from weighted points ``total`` out of ``denominator``."""
    if not denominator:
        return 0
    return (200 * total + denominator) // (2 * denominator)


def priority_for_score(score, threshold):
    for stars, thirds in PRIORITY_BANDS:
        if 3 * score >= thirds * threshold:
            return stars
    return NO_PRIORITY


class ScoringConfig:
    """The weights and points in force, read once, to score many leads.

    ``weights`` maps a criterion code to its weight; ``points`` is an iterable
    of (code, key, points) where key is the option's id, or the id of the
    record it links (industry, source) for the linked criteria.
    """

    def __init__(self, weights, points):
        self.weights = dict(weights)
        self.points = {}  # (code, key) -> points
        self.maxima = dict.fromkeys(self.weights, 0)
        for code, key, option_points in points:
            self.points[code, key] = option_points
            self.maxima[code] = max(self.maxima.get(code, 0), option_points)
        self.denominator = sum(
            self.weights[code] * self.maxima[code] for code in self.weights
        )

    def points_of(self, code, record_id):
        return self.points.get((code, record_id), 0) if record_id else 0

    def score(self, rated_ids):
        """Score 0-100 from {criterion code: rated record id or False}."""
        total = sum(
            self.weights[code] * self.points_of(code, record_id)
            for code, record_id in rated_ids.items()
            if code in self.weights
        )
        return score_of(total, self.denominator)
