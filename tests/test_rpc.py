"""The module seen by an integration over Odoo's external XML-RPC API."""

import xmlrpc.client

import pytest


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
    assert [(m["state"], m["latest_version"]) for m in modules] == [
        ("installed", "18.0.1.0.0")
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
