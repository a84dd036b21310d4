"""The periods of the lead board, as days in the user's calendar.

A period runs from ``start`` (included) to ``stop`` (excluded). The period
before it has the same length: the calendar period before (last quarter for
this quarter) or, for a custom range, as many days right before it.
"""

from collections import namedtuple
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from odoo.tools.date_utils import start_of

Period = namedtuple("Period", "key start stop length")

# key -> (the calendar unit today is in, months back from its first day to
# the start, months long)
CALENDAR_PERIODS = {
    "this_month": ("month", 0, 1),
    "last_month": ("month", 1, 1),
    "this_quarter": ("quarter", 0, 3),
    "last_quarter": ("quarter", 3, 3),
    "this_year": ("year", 0, 12),
    "last_12_months": ("month", 11, 12),
}
CUSTOM = "custom"
PERIOD_KEYS = (*CALENDAR_PERIODS, CUSTOM)
# Longer ranges show the closed leads by year instead of by month.
MAX_MONTH_BUCKETS = 24


def calendar_period(key, today):
    unit, months_back, months = CALENDAR_PERIODS[key]
    start = start_of(today, unit) - relativedelta(months=months_back)
    length = relativedelta(months=months)
    return Period(key, start, start + length, length)


def custom_period(date_from, date_to):
    """``date_to`` is the last day of the range, as a user enters it."""
    if date_to < date_from:
        raise ValueError("The range ends before it starts.")
    stop = date_to + timedelta(days=1)
    return Period(CUSTOM, date_from, stop, timedelta(days=(stop - date_from).days))


def previous_period(period):
    return Period(period.key, period.start - period.length, period.start, period.length)


def buckets(start, stop):
    """The months that [start, stop) touches, or its years for long ranges:
    ``(unit, [(first day of the month or year, start, stop), ...])`` with each
    bucket cut to the range; unit is "month" or "year"."""
    months = (stop.year - start.year) * 12 + stop.month - start.month
    if months <= MAX_MONTH_BUCKETS:
        unit, first, step = "month", start.replace(day=1), relativedelta(months=1)
    else:
        unit, first, step = "year", date(start.year, 1, 1), relativedelta(years=1)
    result = []
    while first < stop:
        following = first + step
        result.append((first, max(first, start), min(following, stop)))
        first = following
    return unit, result
