"""18.0.1.4.0 adds the pre-qualification: the site of a lead and its stored
estimate. No lead has site data before this version: the estimate's columns
are created empty here (Odoo would compute them lead by lead at the update),
and the site's postcode is the lead's, as its compute would say."""

from odoo.tools import SQL


def migrate(cr, version):
    if not version:
        return
    for column, kind in (
        ("estimated_pv_kwp", "numeric"),
        ("estimated_yield_kwh", "numeric"),
        ("estimated_battery_kwh", "numeric"),
        ("estimated_investment", "numeric"),
        ("site_postcode", "varchar"),
    ):
        cr.execute(
            SQL(
                "ALTER TABLE crm_lead ADD COLUMN IF NOT EXISTS %s %s",
                SQL.identifier(column),
                SQL(kind),
            )
        )
    cr.execute("UPDATE crm_lead SET site_postcode = zip WHERE zip IS NOT NULL")
