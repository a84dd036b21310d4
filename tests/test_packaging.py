"""`pip install .` must install the addon as odoo.addons.lead_energy."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_pip_install_places_the_addon_under_odoo_addons(tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--target",
            str(target),
            str(ROOT),
        ],
        check=True,
        cwd=tmp_path,
    )
    addon = target / "odoo" / "addons" / "lead_energy"
    manifest = ast.literal_eval((addon / "__manifest__.py").read_text())
    assert manifest["version"].startswith("18.0.")
    # Every file the manifest loads is shipped with it.
    for path in manifest["data"] + manifest["demo"]:
        assert (addon / path).is_file(), path
    assert (addon / "tests" / "test_install.py").is_file()
    assert list((addon / "static" / "tests" / "tours").glob("*.js"))
    # odoo and odoo.addons stay namespace packages owned by Odoo itself.
    assert not (target / "odoo" / "__init__.py").exists()
    assert not (target / "odoo" / "addons" / "__init__.py").exists()
