"""A skipped test (e.g. a tour without Chromium) must fail the test command."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_skipped_test_fails_the_run(tmp_path):
    (tmp_path / "test_sample.py").write_text(
        "import unittest\n"
        "class TestTour(unittest.TestCase):\n"
        "    def test_tour(self):\n"
        "        raise unittest.SkipTest('Chrome executable not found')\n"
        "def test_plain():\n"
        "    assert True\n"
    )
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
            "-p",
            "no:odoo",
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
    )
    assert result.returncode == 1, result.stdout
    assert "1 failed, 1 passed" in result.stdout
    assert (
        "counts as a failure here: Skipped: Chrome executable not found"
        in result.stdout
    )
