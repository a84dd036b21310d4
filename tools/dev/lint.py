"""The lint step of ./dev test."""

from .common import ADDON, ROOT, SetupError, run, say, venv_bin


def lint():
    say("lint: ruff, pylint-odoo mandatory checks, OCA module and .po checks")
    failed = False
    for cmd in (
        [venv_bin("ruff"), "check", "--no-fix", "."],
        [venv_bin("ruff"), "format", "--check", "."],
        [venv_bin("pylint"), "--rcfile", ROOT / ".pylintrc-mandatory", ADDON],
        [venv_bin("oca-checks-odoo-module"), ADDON],
        [venv_bin("oca-checks-po"), *sorted((ROOT / ADDON / "i18n").glob("*.po*"))],
    ):
        failed |= run(cmd, check=False, cwd=ROOT).returncode != 0
    if failed:
        raise SetupError(
            "lint failed (see above); most is fixed by\n"
            "    .venv/bin/ruff check --fix . && .venv/bin/ruff format ."
        )
