"""Project-wide pytest rules, for the addon's tests and the top-level tests/.

A skipped test is a failed check here: Odoo skips a browser tour when Chromium
or websocket-client is missing, and a skipped tour must never look green.
"""

import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else ""
        report.outcome = "failed"
        report.longrepr = f"test was skipped, which counts as a failure here: {reason}"
