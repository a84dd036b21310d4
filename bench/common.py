"""Shared pieces of the benchmarks: an Odoo environment, a stopwatch, and the
median and spread of repeated runs.

Run a benchmark with ``./dev bench <name>``: it prepares a fresh database with
lead_energy installed and calls ``bench/<name>.py -c <odoo.conf> -d <db>``.
Every benchmark works inside one transaction and rolls it back. A run that
changes data runs in a savepoint that is rolled back (:func:`undone`), so every
run starts from the same data with empty caches; each figure is the median of
``--runs`` runs (at least 3) with the fastest and slowest run next to it.
"""

import argparse
import contextlib
import statistics
import time
from datetime import date, timedelta

import odoo
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry

RUNS = 3


def parse_args(description, runs=RUNS, **extra):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument(
        "--runs", type=int, default=runs, help=f"runs per figure (at least {RUNS})"
    )
    for name, (kind, default, helptext) in extra.items():
        parser.add_argument(f"--{name}", type=kind, default=default, help=helptext)
    args = parser.parse_args()
    if args.runs < RUNS:
        parser.error(f"--runs must be at least {RUNS}")
    return args


@contextlib.contextmanager
def odoo_env(args):
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database])
    with database_env(args.database) as env:
        yield env


@contextlib.contextmanager
def database_env(database):
    """A superuser environment on ``database``, rolled back at the end."""
    with Registry(database).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        try:
            yield env
        finally:
            cr.rollback()


def energy_catalogue(env):
    """The records the module's fields of a benchmark's leads refer to."""
    option = env["crm.lead.scoring.option"]
    return {
        "options": {
            f"{code}_option_id": option.search(
                [("criterion_id.code", "=", code)], order="id"
            ).ids
            for code in ("influence", "size", "need", "volume")
        },
        "interests": env["crm.energy.interest"].search([], order="id").ids,
        "types": env["crm.energy.lead.type"].search([], order="id").ids,
        "industries": env["res.partner.industry"].search([], order="id", limit=5).ids,
    }


def energy_values(catalogue, n, user_id):
    """The module's fields of the n-th lead: rated in the four criteria of
    options, an industry, two interests, a lead type and a follow-up in a
    week, taken in turn from ``energy_catalogue``."""
    options, interests = catalogue["options"], catalogue["interests"]
    values = {field: ids[n % len(ids)] for field, ids in options.items()}
    values.update(
        industry_id=catalogue["industries"][n % len(catalogue["industries"])],
        interest_ids=[(6, 0, interests[n % 3 : n % 3 + 2])],
        lead_type_id=catalogue["types"][n % len(catalogue["types"])],
        followup_user_id=user_id,
        followup_deadline=(date.today() + timedelta(days=7)).isoformat(),
    )
    return values


class Stopwatch:
    """Wall time and number of SQL queries of a block."""

    def __init__(self, env):
        self.env = env
        self.seconds = self.queries = 0

    def __enter__(self):
        self.env.flush_all()
        self._queries = self.env.cr.sql_log_count
        self._start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.env.flush_all()
        self.seconds = time.perf_counter() - self._start
        self.queries = self.env.cr.sql_log_count - self._queries


@contextlib.contextmanager
def undone(env):
    """Run the block in a savepoint, then roll it back and empty the caches:
    the next run starts from the same data, as cold as this one."""
    with contextlib.closing(env.cr.savepoint()):
        yield
    env.invalidate_all(flush=False)


def seconds_text(seconds):
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 0.01:
        return f"{1000 * seconds:.0f} ms"
    return f"{1000 * seconds:.2f} ms"


class Series:
    """The stopwatches of one variant over several runs."""

    def __init__(self, label):
        self.label = label
        self.seconds = []
        self.queries = []

    def add(self, seconds, queries=None):
        self.seconds.append(seconds)
        if queries is not None:
            self.queries.append(queries)

    def add_watch(self, watch):
        self.add(watch.seconds, watch.queries)

    @property
    def median(self):
        return statistics.median(self.seconds)

    def __str__(self):
        """``label 1.23 s (1.20–1.31, 3 runs), 42 queries``"""
        low, high = min(self.seconds), max(self.seconds)
        text = (
            f"{self.label} {seconds_text(self.median)} "
            f"({seconds_text(low)}–{seconds_text(high)}, {len(self.seconds)} runs)"
        )
        if self.queries:
            low, high = min(self.queries), max(self.queries)
            counted = f"{low:,}" if low == high else f"{low:,}–{high:,}"
            text += f", {counted} {'query' if high == 1 else 'queries'}"
        return text

    def ratio(self, baseline):
        """How many times this variant takes the baseline's time: the ratio of
        the medians, and the lowest and highest ratio of the runs, paired in
        the order they ran."""
        pairs = zip(self.seconds, baseline.seconds, strict=True)
        runs = [mine / base for mine, base in pairs]
        return (
            f"{self.median / baseline.median:.2f}x "
            f"({min(runs):.2f}–{max(runs):.2f}x)"
        )
