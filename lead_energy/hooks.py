def post_init_hook(env):
    """Give every company its lead number sequence and number existing leads."""
    env["res.company"].search([])._lead_number_sequence()
    leads = (
        env["crm.lead"]
        .with_context(active_test=False)
        .search([("lead_number", "=", False)], order="create_date, id")
    )
    leads._assign_lead_numbers()
