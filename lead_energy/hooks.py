# The UTM sources the module brings (data/utm_source_data.xml): shared with
# leads, sale orders and mailings of every other app.
SHARED_SOURCES = {
    "utm_source_trade_fair": "Trade Fair",
    "utm_source_website_inquiry": "Website Inquiry",
    "utm_source_referral": "Referral",
    "utm_source_cold_call": "Cold Call",
}


def pre_init_hook(env):
    """Reuse the sources a database already has by name: the data file then
    finds them under the module's XML ids instead of adding "Referral [2]"."""
    existing = env["utm.source"].search([("name", "in", list(SHARED_SOURCES.values()))])
    by_name = {source.name: source for source in existing}
    env["ir.model.data"].create(
        [
            {
                "module": "lead_energy",
                "name": xmlid,
                "model": "utm.source",
                "res_id": by_name[name].id,
                "noupdate": True,
            }
            for xmlid, name in SHARED_SOURCES.items()
            if name in by_name
            and not env.ref(f"lead_energy.{xmlid}", raise_if_not_found=False)
        ]
    )


def post_init_hook(env):
    """Give every company its lead number sequence and number existing leads."""
    env["res.company"].search([])._lead_number_sequence()
    leads = (
        env["crm.lead"]
        .with_context(active_test=False)
        .search([("lead_number", "=", False)], order="create_date, id")
    )
    leads._assign_lead_numbers()


def uninstall_hook(env):
    """Keep the UTM sources: leads, sale orders and mailings of other apps use
    them. Without the module's XML ids, uninstalling does not delete them."""
    env["ir.model.data"].search(
        [("module", "=", "lead_energy"), ("model", "=", "utm.source")]
    ).unlink()
