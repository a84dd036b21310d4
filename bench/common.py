"""Shared pieces of the benchmarks: an Odoo environment and a stopwatch.

Run a benchmark with ``./dev bench <name>``: it prepares a fresh database with
lead_energy installed and calls ``bench/<name>.py -c <odoo.conf> -d <db>``.
Every benchmark works inside one transaction and rolls it back.
"""

import argparse
import contextlib
import time

import odoo
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry


def parse_args(description, **extra):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    for name, (kind, default, helptext) in extra.items():
        parser.add_argument(f"--{name}", type=kind, default=default, help=helptext)
    return parser.parse_args()


@contextlib.contextmanager
def odoo_env(args):
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database])
    registry = Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        try:
            yield env
        finally:
            cr.rollback()


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
