"""Uninstalling lead_energy from a copy of the demo database, then installing it
again, as an administrator would: CRM keeps working, the leads and sale orders
keep their sources, and nothing is logged as an error."""

import json
import os

import pytest
from helpers import copied_database, logged, run_odoo

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
    with copied_database(conf_path, dbname, f"{dbname}_uninstall") as copy:
        yield conf_path, copy


def result(output):
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))


def test_uninstall_keeps_crm_and_sources_and_reinstall_works(demo_copy, tmp_path):
    conf, db = demo_copy
    run_odoo(conf, db, script=SETUP, log=tmp_path / "setup.log")
    before = result(run_odoo(conf, db, script=SOURCES, log=tmp_path / "before.log"))
    assert before["module"] == "installed"
    used = set(before["leads"].values()) | set(before["orders"].values())
    assert {"Referral", "Messe Intersolar", "Trade Fair"} <= used

    run_odoo(conf, db, script=UNINSTALL, log=tmp_path / "uninstall.log")
    assert logged(tmp_path / "uninstall.log", "ERROR", "CRITICAL") == []

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
    assert logged(tmp_path / "re.log", "ERROR", "CRITICAL") == []
    again = result(run_odoo(conf, db, script=SOURCES, log=tmp_path / "again.log"))
    assert again["module"] == "installed"
