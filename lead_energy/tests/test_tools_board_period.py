from datetime import date, timedelta

from odoo.tests import BaseCase

from ..tools.board_period import (
    buckets,
    calendar_period,
    custom_period,
    previous_period,
)


class TestBoardPeriods(BaseCase):
    """The board's periods and their months, without a database."""

    def bounds(self, period):
        return period.start, period.stop

    def test_calendar_periods(self):
        today = date(2026, 2, 15)
        expected = {
            "this_month": (date(2026, 2, 1), date(2026, 3, 1)),
            "last_month": (date(2026, 1, 1), date(2026, 2, 1)),
            "this_quarter": (date(2026, 1, 1), date(2026, 4, 1)),
            "last_quarter": (date(2025, 10, 1), date(2026, 1, 1)),
            "this_year": (date(2026, 1, 1), date(2027, 1, 1)),
            "last_12_months": (date(2025, 3, 1), date(2026, 3, 1)),
        }
        for key, bounds in expected.items():
            with self.subTest(key=key):
                self.assertEqual(self.bounds(calendar_period(key, today)), bounds)

    def test_the_period_before_has_the_same_length(self):
        today = date(2026, 3, 31)
        previous = {
            "this_month": (date(2026, 2, 1), date(2026, 3, 1)),
            "last_month": (date(2026, 1, 1), date(2026, 2, 1)),
            "this_quarter": (date(2025, 10, 1), date(2026, 1, 1)),
            "last_quarter": (date(2025, 7, 1), date(2025, 10, 1)),
            "this_year": (date(2025, 1, 1), date(2026, 1, 1)),
            "last_12_months": (date(2024, 4, 1), date(2025, 4, 1)),
        }
        for key, bounds in previous.items():
            with self.subTest(key=key):
                period = calendar_period(key, today)
                self.assertEqual(self.bounds(previous_period(period)), bounds)

    def test_custom_range_includes_its_last_day(self):
        period = custom_period(date(2026, 1, 10), date(2026, 1, 19))
        self.assertEqual(self.bounds(period), (date(2026, 1, 10), date(2026, 1, 20)))
        self.assertEqual(
            self.bounds(previous_period(period)),
            (date(2025, 12, 31), date(2026, 1, 10)),
        )
        one_day = custom_period(date(2026, 1, 10), date(2026, 1, 10))
        self.assertEqual(one_day.length, timedelta(days=1))
        with self.assertRaises(ValueError):
            custom_period(date(2026, 1, 10), date(2026, 1, 9))

    def test_months_of_a_range_cut_to_it(self):
        unit, months = buckets(date(2026, 1, 10), date(2026, 3, 5))
        self.assertEqual(unit, "month")
        self.assertEqual(
            months,
            [
                (date(2026, 1, 1), date(2026, 1, 10), date(2026, 2, 1)),
                (date(2026, 2, 1), date(2026, 2, 1), date(2026, 3, 1)),
                (date(2026, 3, 1), date(2026, 3, 1), date(2026, 3, 5)),
            ],
        )

    def test_long_ranges_by_year(self):
        unit, years = buckets(date(2023, 6, 1), date(2026, 2, 1))
        self.assertEqual(unit, "year")
        self.assertEqual(
            [(first.year, start, stop) for first, start, stop in years],
            [
                (2023, date(2023, 6, 1), date(2024, 1, 1)),
                (2024, date(2024, 1, 1), date(2025, 1, 1)),
                (2025, date(2025, 1, 1), date(2026, 1, 1)),
                (2026, date(2026, 1, 1), date(2026, 2, 1)),
            ],
        )
        # Two years of months are still shown by month.
        self.assertEqual(buckets(date(2024, 1, 1), date(2026, 1, 1))[0], "month")
