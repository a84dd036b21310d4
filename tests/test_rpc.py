"""The module seen by an integration over Odoo's external XML-RPC API."""

import ast
import re
import xmlrpc.client
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def rpc(odoo_server):
    common = xmlrpc.client.ServerProxy(f"{odoo_server['url']}/xmlrpc/2/common")
    uid = common.authenticate(odoo_server["db"], "admin", "admin", {})
    assert uid, "admin/admin must log in to the test database"
    models = xmlrpc.client.ServerProxy(
        f"{odoo_server['url']}/xmlrpc/2/object", allow_none=True
    )

    def call(model, method, *args, **kwargs):
        return models.execute_kw(
            odoo_server["db"], uid, "admin", model, method, list(args), kwargs
        )

    return call


def test_server_is_odoo_18(odoo_server):
    common = xmlrpc.client.ServerProxy(f"{odoo_server['url']}/xmlrpc/2/common")
    assert common.version()["server_serie"] == "18.0"


def test_module_installed(rpc):
    modules = rpc(
        "ir.module.module",
        "search_read",
        [("name", "=", "lead_energy")],
        fields=["state", "latest_version"],
    )
    manifest = ast.literal_eval((ROOT / "lead_energy" / "__manifest__.py").read_text())
    assert [(m["state"], m["latest_version"]) for m in modules] == [
        ("installed", manifest["version"])
    ]


def test_integration_creates_a_lead(rpc):
    lead_id = rpc(
        "crm.lead",
        "create",
        {"name": "Scanner: PV for a farm", "contact_name": "Eva Bauer"},
    )
    try:
        [lead] = rpc("crm.lead", "read", [lead_id], fields=["name", "contact_name"])
        assert lead["name"] == "Scanner: PV for a farm"
        assert lead["contact_name"] == "Eva Bauer"
    finally:
        rpc("crm.lead", "unlink", [lead_id])


def test_bad_call_is_reported_as_fault(rpc):
    with pytest.raises(xmlrpc.client.Fault, match="crm.lead.nonexistent"):
        rpc("crm.lead.nonexistent", "search", [])


def test_integration_creates_a_batch_of_numbered_leads(rpc):
    ids = rpc(
        "crm.lead",
        "create",
        [{"name": f"Scanner batch {i}", "type": "lead"} for i in range(3)],
    )
    try:
        leads = rpc("crm.lead", "read", ids, fields=["lead_number", "lead_state"])
        numbers = [lead["lead_number"] for lead in leads]
        assert len(set(numbers)) == 3
        assert all(re.match(r"^L\d{4}-\d{5}$", n) for n in numbers)
        assert {lead["lead_state"] for lead in leads} == {"open"}
    finally:
        rpc("crm.lead", "unlink", ids)


def test_lifecycle_rules_hold_over_rpc(rpc):
    lead_id = rpc("crm.lead", "create", {"name": "Scanner: wind", "type": "lead"})
    try:
        with pytest.raises(xmlrpc.client.Fault, match="cannot go from Open to Closed"):
            rpc("crm.lead", "write", [lead_id], {"lead_state": "closed"})
        with pytest.raises(xmlrpc.client.Fault, match="not a valid e-mail address"):
            rpc("crm.lead", "write", [lead_id], {"email_from": "no address"})
        rpc("crm.lead", "write", [lead_id], {"lead_state": "contacted"})
        [lead] = rpc("crm.lead", "read", [lead_id], fields=["lead_state"])
        assert lead["lead_state"] == "contacted"
    finally:
        rpc("crm.lead", "unlink", [lead_id])


def test_board_figures_over_rpc(rpc):
    """An integration reads the lead board; each figure's domain finds its leads."""
    lead_id = rpc("crm.lead", "create", {"name": "Scanner: storage", "type": "lead"})
    try:
        board = rpc("crm.lead.energy.board", "get_board_data")
        tiles = {tile["key"]: tile for tile in board["tiles"]}
        assert tiles["new"]["count"] >= 1
        closed = next(c for c in board["charts"] if c["key"] == "closed_by_month")
        figures = [(tile["domain"], tile["count"]) for tile in tiles.values()]
        figures += zip(
            closed["datasets"][0]["domains"], closed["datasets"][0]["data"], strict=True
        )
        for domain, count in figures:
            assert rpc("crm.lead", "search_count", domain) == count, domain
    finally:
        rpc("crm.lead", "unlink", [lead_id])
