"""Uninstalling lead_energy from a copy of the demo database, then installing it
again, as an administrator would: CRM keeps working, the leads and sale orders
keep their sources, and nothing is logged as an error."""

import configparser
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import odoo

ODOO_BIN = Path(odoo.__file__).resolve().parent.parent / "odoo-bin"

# Records of other apps that use the module's sources, then every lead and
# sale order not created by the module's own data, with its source, as JSON.
SETUP = """
ref = env.ref
env["crm.lead"].create([
    {"name": "From another app", "type": "lead",
     "source_id": ref("lead_energy.utm_source_referral").id},
    {"name": "From a trade fair", "type": "opportunity",
     "source_id": ref("lead_energy.utm_source_demo_intersolar").id},
])
env["sale.order"].create({
    "partner_id": ref("base.res_partner_2").id,
    "source_id": ref("lead_energy.utm_source_trade_fair").id,
})
env.cr.commit()
"""
SOURCES = """
import json
own = env["ir.model.data"].search(
    [("module", "=", "lead_energy"), ("model", "=", "crm.lead")]).mapped("res_id")
leads = env["crm.lead"].with_context(active_test=False).search_read(
    [("id", "not in", own)], ["source_id"])
orders = env["sale.order"].search_read([], ["source_id"])
print("RESULT " + json.dumps({
    "leads": {str(r["id"]): r["source_id"] and r["source_id"][1] for r in leads},
    "orders": {str(r["id"]): r["source_id"] and r["source_id"][1] for r in orders},
    "module": env["ir.module.module"].search([("name", "=", "lead_energy")]).state,
}))
"""
SOURCES_AFTER = SOURCES.replace(
    'print("RESULT "',
    """lead = env["crm.lead"].create({"name": "After uninstall", "type": "lead"})
env["crm.lead"]._read_group([], ["stage_id"], ["__count"])
print("RESULT """
    + '"',
)
UNINSTALL = """
module = env["ir.module.module"].search([("name", "=", "lead_energy")])
module.button_immediate_uninstall()
env.cr.commit()
"""


@pytest.fixture
def demo_copy():
    conf_path = os.environ.get("LEAD_ENERGY_ODOO_CONF")
    dbname = os.environ.get("LEAD_ENERGY_TEST_DB")
    if not (conf_path and dbname):
        pytest.fail("run these tests through `./dev test` (it prepares the database)")
    options = configparser.ConfigParser()
    options.read(conf_path)
    opts = options["options"]
    env = dict(os.environ, PGHOST=opts["db_host"], PGPORT=opts["db_port"])
    env["PGUSER"] = opts["db_user"]
    if opts.get("db_password", "False") != "False":
        env["PGPASSWORD"] = opts["db_password"]
    copy = f"{dbname}_uninstall"
    filestore = Path(opts["data_dir"]) / "filestore"
    subprocess.run(["dropdb", "--if-exists", copy], env=env, check=True)
    subprocess.run(["createdb", copy], env=env, check=True)
    dump = subprocess.Popen(["pg_dump", "-Fc", dbname], env=env, stdout=subprocess.PIPE)
    subprocess.run(
        ["pg_restore", "--no-owner", "-d", copy],
        env=env,
        stdin=dump.stdout,
        check=True,
    )
    assert dump.wait() == 0
    if (filestore / dbname).exists():
        shutil.copytree(filestore / dbname, filestore / copy, dirs_exist_ok=True)
    try:
        yield conf_path, copy
    finally:
        subprocess.run(["dropdb", "--if-exists", copy], env=env, check=False)
        shutil.rmtree(filestore / copy, ignore_errors=True)


def run_odoo(conf, db, *args, script=None, log=None):
    """Run odoo-bin (or its shell with ``script``); return the output and log."""
    command = [sys.executable, str(ODOO_BIN)]
    if script is not None:
        command.append("shell")
    command += ["-c", conf, "-d", db, "--log-level=warn", f"--logfile={log}", *args]
    done = subprocess.run(
        command, input=script, capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, done.stderr[-3000:] + Path(log).read_text()[-3000:]
    return done.stdout


def result(output):
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))


def errors(log):
    return [
        line
        for line in Path(log).read_text().splitlines()
        if " ERROR " in line or " CRITICAL " in line
    ]


def test_uninstall_keeps_crm_and_sources_and_reinstall_works(demo_copy, tmp_path):
    conf, db = demo_copy
    run_odoo(conf, db, script=SETUP, log=tmp_path / "setup.log")
    before = result(run_odoo(conf, db, script=SOURCES, log=tmp_path / "before.log"))
    assert before["module"] == "installed"
    used = set(before["leads"].values()) | set(before["orders"].values())
    assert {"Referral", "Messe Intersolar", "Trade Fair"} <= used

    run_odoo(conf, db, script=UNINSTALL, log=tmp_path / "uninstall.log")
    assert errors(tmp_path / "uninstall.log") == []

    after = result(run_odoo(conf, db, script=SOURCES_AFTER, log=tmp_path / "after.log"))
    assert after["module"] == "uninstalled"
    # Every lead and sale order of the other apps is there with its source (the
    # module's shared sources are not deleted with it); CRM still creates and
    # groups leads.
    assert {key: after["leads"].get(key) for key in before["leads"]} == before["leads"]
    assert after["orders"] == before["orders"]

    run_odoo(
        conf, db, "-i", "lead_energy", "--stop-after-init", log=tmp_path / "re.log"
    )
    assert errors(tmp_path / "re.log") == []
    again = result(run_odoo(conf, db, script=SOURCES, log=tmp_path / "again.log"))
    assert again["module"] == "installed"
