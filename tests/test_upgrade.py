"""Upgrading a database from an earlier version of the module keeps its data.

The module as it was at an earlier commit of this repository is installed with
demo data into a copy of the test template; the leads of ``upgrade/populate.py``
(every kind of data that version has) are added with its own flows; then the
database is upgraded to the working tree with ``-u lead_energy``. Every stored
value of the leads, their events, attendees, messages, tracking values,
notifications, attachments, quotations and contacts, and of the module's
configuration, read by ``upgrade/snapshot.py`` before and after, must be the
same; the upgrade must log no warning and no error.

The earlier commit is the first whose module had the lead board (18.0.1.0.0);
another one is tested with
``LEAD_ENERGY_UPGRADE_FROM=<commit> ./dev test tests/test_upgrade.py``.
"""

import io
import json
import os
import subprocess
import tarfile
from pathlib import Path

import pytest
from helpers import copied_database, logged, odoo_options, run_odoo

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = Path(__file__).resolve().parent / "upgrade"
FIRST_WITH_BOARD = "e5cf181"
UPGRADE_FROM = os.environ.get("LEAD_ENERGY_UPGRADE_FROM", FIRST_WITH_BOARD)

# Values an upgrade changes on purpose, with the reason; anything else that
# differs is data the upgrade lost or changed.
EXPECTED_CHANGES = {}


def shell(name, *args):
    """A script for odoo-bin shell: run ``main(env, *args)`` of upgrade/<name>."""
    call = ", ".join(["env", *(repr(str(arg)) for arg in args)])
    return "import runpy\n" f"runpy.run_path({str(SCRIPTS / name)!r})['main']({call})\n"


def export_module(commit, target):
    """The addon's directory as it was at ``commit``, written under ``target``."""
    found = subprocess.run(
        ["git", "-C", ROOT, "rev-parse", "--verify", f"{commit}^{{commit}}"],
        capture_output=True,
        text=True,
    )
    if found.returncode:
        pytest.fail(
            f"commit {commit} is not in this clone (a shallow clone has no "
            "history): the upgrade test needs the repository's history"
        )
    archive = subprocess.run(
        ["git", "-C", ROOT, "archive", found.stdout.strip(), "lead_energy"],
        capture_output=True,
        check=True,
    )
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(target, filter="data")


def conf_with_addon_at(conf, addons_dir, target):
    """A copy of the Odoo configuration with the addon taken from addons_dir."""
    text = Path(conf).read_text()
    paths = odoo_options(conf)["addons_path"].split(",")
    paths = [str(addons_dir) if Path(p) == ROOT else p for p in paths]
    lines = [
        f"addons_path = {','.join(paths)}" if line.startswith("addons_path") else line
        for line in text.splitlines()
    ]
    target.write_text("\n".join(lines) + "\n")
    return target


@pytest.fixture
def template_copy():
    conf = os.environ.get("LEAD_ENERGY_ODOO_CONF")
    template = os.environ.get("LEAD_ENERGY_TEMPLATE_DB")
    if not (conf and template):
        pytest.fail("run this test through `./dev test` (it prepares the template)")
    with copied_database(conf, template, "lead_energy_upgrade") as db:
        yield conf, db


def differences(before, after):
    """What the upgrade lost or changed, one line each."""
    found = []
    for model, rows in before.items():
        if not isinstance(rows, dict):
            continue
        rows_after = after.get(model, {})
        for record_id, row in rows.items():
            if record_id not in rows_after:
                found.append(f"{model} {record_id}: gone")
                continue
            for field, value in row.items():
                if field not in rows_after[record_id]:
                    found.append(f"{model}.{field}: the field is gone")
                elif rows_after[record_id][field] != value and (
                    (model, field) not in EXPECTED_CHANGES
                ):
                    found.append(
                        f"{model} {record_id} {field}: {value!r} became "
                        f"{rows_after[record_id][field]!r}"
                    )
    return found


def test_upgrade_from_an_earlier_commit_keeps_every_value(template_copy, tmp_path):
    conf, db = template_copy
    export_module(UPGRADE_FROM, tmp_path / "old")
    old_conf = conf_with_addon_at(conf, tmp_path / "old", tmp_path / "old.conf")

    run_odoo(
        old_conf,
        db,
        "-i",
        "lead_energy",
        "--stop-after-init",
        log=tmp_path / "install.log",
    )
    assert logged(tmp_path / "install.log", "ERROR", "CRITICAL") == []
    run_odoo(old_conf, db, script=shell("populate.py"), log=tmp_path / "populate.log")
    run_odoo(
        old_conf,
        db,
        script=shell("snapshot.py", tmp_path / "before.json"),
        log=tmp_path / "before.log",
    )

    run_odoo(
        conf, db, "-u", "lead_energy", "--stop-after-init", log=tmp_path / "upgrade.log"
    )
    assert logged(tmp_path / "upgrade.log", "WARNING", "ERROR", "CRITICAL") == []

    run_odoo(
        conf,
        db,
        script=shell("snapshot.py", tmp_path / "after.json"),
        log=tmp_path / "after.log",
    )
    before = json.loads((tmp_path / "before.json").read_text())
    after = json.loads((tmp_path / "after.json").read_text())
    assert before["lead_energy version"] == "18.0.1.0.0"
    manifest = (ROOT / "lead_energy" / "__manifest__.py").read_text()
    assert f'"version": "{after["lead_energy version"]}"' in manifest
    # The populated leads are there to compare: a snapshot of nothing proves nothing.
    names = {row["name"] for row in before["crm.lead"].values()}
    assert {"Upgrade: full lead", "Upgrade: converted lead"} <= names
    assert differences(before, after) == []
    # The migrations filled the fields of the later versions.
    leads = {row["name"]: row for row in after["crm.lead"].values()}
    assert leads["Upgrade: converted lead"]["offer_sent"] is True
    assert leads["Upgrade: full lead"]["offer_sent"] is False
    assert leads["Upgrade: full lead"]["site_postcode"] == "79098"
    assert leads["Upgrade: full lead"]["opt_in_state"] is False
    assert leads["Upgrade: full lead"]["estimated_investment"] == 0
    options = after["crm.lead.scoring.option"].values()
    ranges = {
        (row["volume_from_eur"], row["volume_to_eur"])
        for row in options
        if row["criterion_code"] == "volume"
    }
    assert {(0, 10000), (250000, 0)} <= ranges
