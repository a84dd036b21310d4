"""Project-wide pytest rules, for the addon's tests and the top-level tests/.

- A skipped test is a failed check here, at run time or at collection time:
  Odoo skips a browser tour when Chromium or websocket-client is missing,
  pytest-odoo skips an HttpCase without ``--odoo-http``, and a skipped tour
  must never look green.
- An ERROR or CRITICAL that a test logs fails it, as in Odoo's own runner: an
  error Odoo logs instead of raising is still an error. A test that expects
  one says so with ``assertLogs`` or ``mute_logger``, which keep the record
  from reaching the root logger. WARNINGs are listed after the run.
"""

import logging

import pytest

SKIP_FAILS = "was skipped, which counts as a failure here"


class LoggedRecords(logging.Handler):
    """What reached the root logger at WARNING or above, by test."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.nodeid = "(outside of any test)"
        self.errors = []
        self.warnings = []

    def emit(self, record):
        line = f"{record.levelname} {record.name}: {record.getMessage()}"
        if record.levelno >= logging.ERROR:
            self.errors.append(line)
        else:
            self.warnings.append((self.nodeid, line))

    def take_errors(self):
        errors, self.errors = self.errors, []
        return errors


LOGGED = LoggedRecords()


def skip_reason(report):
    return report.longrepr[2] if isinstance(report.longrepr, tuple) else ""


def pytest_configure(config):
    logging.getLogger().addHandler(LOGGED)


def pytest_unconfigure(config):
    logging.getLogger().removeHandler(LOGGED)


def pytest_runtest_logstart(nodeid, location):
    LOGGED.nodeid = nodeid
    LOGGED.take_errors()  # logged between two tests: not this test's


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"test {SKIP_FAILS}: {skip_reason(report)}"
    errors = LOGGED.take_errors()
    if errors and not report.failed:
        report.outcome = "failed"
        report.longrepr = f"the test logged errors ({call.when}):\n" + "\n".join(errors)


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    outcome = yield
    report = outcome.get_result()
    if report.skipped:
        report.outcome = "failed"
        report.longrepr = f"{collector.nodeid} {SKIP_FAILS}: {skip_reason(report)}"


def pytest_sessionfinish(session, exitstatus):
    leftover = LOGGED.take_errors()  # e.g. a session fixture's teardown
    if leftover:
        session.config.logged_after_the_tests = leftover
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, config):
    leftover = getattr(config, "logged_after_the_tests", None)
    if leftover:
        terminalreporter.section("errors logged after the last test", red=True)
        for line in leftover:
            terminalreporter.line(line)
    if LOGGED.warnings:
        terminalreporter.section("warnings logged during the tests")
        for nodeid, line in LOGGED.warnings:
            terminalreporter.line(f"{nodeid}: {line}")
