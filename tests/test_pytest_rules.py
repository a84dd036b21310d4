"""The rules of the root conftest.py, tried on sample test files in a pytest of
their own: a skipped test and a logged error fail the test command."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_pytest(tmp_path, sources, *, odoo=False):
    """Run pytest with the project's conftest.py on sample files
    {name: source}; with ``odoo``, pytest-odoo on the test database."""
    for name, source in sources.items():
        (tmp_path / name).write_text(textwrap.dedent(source))
    if odoo:
        conf = os.environ.get("LEAD_ENERGY_ODOO_CONF")
        db = os.environ.get("LEAD_ENERGY_TEST_DB")
        if not (conf and db):
            pytest.fail("run these tests through `./dev test`")
        plugin = [f"--odoo-config={conf}", f"--odoo-database={db}"]
    else:
        plugin = ["-p", "no:odoo"]
    env = dict(
        os.environ, PYTHONPATH=f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "conftest",
            *plugin,
            "-p",
            "no:cacheprovider",
            "-c",
            os.devnull,
            "--rootdir",
            str(tmp_path),
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=False,
    )
    return result


def test_skipped_test_fails_the_run(tmp_path):
    result = run_pytest(
        tmp_path,
        {
            "test_sample.py": """
                import unittest
                class TestTour(unittest.TestCase):
                    def test_tour(self):
                        raise unittest.SkipTest('Chrome executable not found')
                def test_plain():
                    assert True
            """
        },
    )
    assert result.returncode == 1, result.stdout
    assert "1 failed, 1 passed" in result.stdout
    assert (
        "counts as a failure here: Skipped: Chrome executable not found"
        in result.stdout
    )


@pytest.mark.parametrize(
    "skip",
    [
        "pytest.skip('no Chromium here', allow_module_level=True)",
        "pytest.importorskip('a_module_that_is_not_installed')",
    ],
)
def test_skip_at_collection_fails_the_run(tmp_path, skip):
    result = run_pytest(
        tmp_path,
        {
            "test_skipped_module.py": f"""
                import pytest
                {skip}
                def test_never_collected():
                    assert True
            """,
            "test_plain.py": "def test_plain():\n    assert True\n",
        },
    )
    # pytest stops at a collection error: nothing runs, the run fails.
    assert result.returncode == 2, result.stdout
    assert "ERROR test_skipped_module.py" in result.stdout
    assert "test_skipped_module.py was skipped, which counts as a failure" in (
        result.stdout
    )
    assert "Interrupted: 1 error during collection" in result.stdout


def test_pytest_odoo_skipping_an_http_case_fails_the_run(tmp_path):
    # pytest-odoo skips every HttpCase when --odoo-http is not given.
    result = run_pytest(
        tmp_path,
        {
            "test_tour.py": """
                from odoo.tests.common import HttpCase
                class TestTour(HttpCase):
                    def test_tour(self):
                        self.assertTrue(self.env.uid)
            """
        },
        odoo=True,
    )
    assert result.returncode == 1, result.stdout
    assert "ERROR test_tour.py::TestTour::test_tour" in result.stdout
    assert (
        "test was skipped, which counts as a failure here: Skipped: Test "
        "test_tour skipped because it is an HttpCase and --odoo-http is not set"
    ) in result.stdout


LOGGING_TESTS = """
    import logging
    import unittest

    import pytest
    from odoo.tools import mute_logger

    _logger = logging.getLogger("odoo.addons.sample")

    @pytest.fixture(autouse=True)
    def critical_in_teardown(request):
        yield
        if request.node.name == "test_logs_critical_in_teardown":
            logging.getLogger("odoo.sql_db").critical("connection lost")

    def test_logs_an_error():
        _logger.error("the mail could not be sent")

    def test_logs_critical_in_teardown():
        pass

    class TestExpected(unittest.TestCase):
        def test_asserts_the_error(self):
            with self.assertLogs("odoo.addons.sample", level="ERROR"):
                _logger.error("expected and asserted")

        @mute_logger("odoo.addons.sample")
        def test_mutes_the_error(self):
            _logger.error("expected and muted")

    def test_warns():
        _logger.warning("a follow-up date in the past")
"""


def test_logged_error_fails_the_test_and_warnings_are_listed(tmp_path):
    result = run_pytest(
        tmp_path,
        {"test_logging.py": LOGGING_TESTS},
    )
    out = result.stdout
    assert result.returncode == 1, out
    # The teardown's error counts as an error of that test, after its pass.
    assert "1 failed, 4 passed" in out and "1 error in" in out
    assert "FAILED test_logging.py::test_logs_an_error" in out
    assert "ERROR odoo.addons.sample: the mail could not be sent" in out
    assert "ERROR test_logging.py::test_logs_critical_in_teardown" in out
    assert "the test logged errors (teardown)" in out
    assert "CRITICAL odoo.sql_db: connection lost" in out
    assert "warnings logged during the tests" in out
    assert (
        "test_logging.py::test_warns: WARNING odoo.addons.sample: "
        "a follow-up date in the past"
    ) in out


SERVER_TESTS = """
    import xmlrpc.client

    import pytest
    from conftest_rpc import *  # noqa: F403 - the RPC tests' fixtures, as they use them

    def test_refused_by_the_database(admin):
        # A unique constraint refuses the second option of one industry: the
        # client gets its error, and the server logs the failed INSERT.
        industry = admin("res.partner.industry", "create", {"name": "Rules"})
        criterion = admin(
            "ir.model.data", "check_object_reference",
            "lead_energy", "crm_lead_scoring_criterion_industry",
        )[1]
        option = {"name": "Rules", "criterion_id": criterion, "industry_id": industry}
        admin("crm.lead.scoring.option", "create", option)
        with pytest.raises(xmlrpc.client.Fault):
            admin("crm.lead.scoring.option", "create", option)
        admin("res.partner.industry", "unlink", [industry])
"""


def test_error_logged_by_the_odoo_server_fails_the_rpc_test(tmp_path):
    (tmp_path / "conftest_rpc.py").write_text(
        (ROOT / "tests" / "conftest.py").read_text()
    )
    (tmp_path / "helpers.py").write_text((ROOT / "tests" / "helpers.py").read_text())
    result = run_pytest(tmp_path, {"test_server.py": SERVER_TESTS}, odoo=True)
    out = result.stdout
    assert result.returncode == 1, out
    assert "ERROR test_server.py::test_refused_by_the_database" in out
    assert "the Odoo server logged errors" in out
    assert "ERROR: duplicate key value violates unique constraint" in out
