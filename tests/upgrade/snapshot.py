"""Every stored value of the leads, their events, messages, quotations and
contacts, and of the module's configuration, as JSON: run in ``odoo-bin shell``
through ``main(env, path)`` before and after the upgrade, then compared."""

import hashlib
import json

# Changed by every write; the values are what the test compares.
BOOKKEEPING = {"write_date", "write_uid", "__last_update"}


def stored_fields(model):
    return sorted(
        name
        for name, field in model._fields.items()
        if field.store and field.type != "one2many" and name not in BOOKKEEPING
    )


def plain(field, value):
    if field.type == "many2one":
        return value.id or False
    if field.type == "many2many":
        return sorted(value.ids)
    if field.type == "binary":
        return value and hashlib.sha256(value).hexdigest()
    if field.type in ("date", "datetime", "html"):
        return value and str(value)
    if field.type in ("float", "monetary"):
        return round(value, 6)
    return value


def values(records):
    names = stored_fields(records)
    records = records.with_context(bin_size=False, active_test=False)
    return {
        str(record.id): {
            name: plain(record._fields[name], record[name]) for name in names
        }
        for record in records
    }


def module_records(env, model):
    ids = (
        env["ir.model.data"]
        .search([("module", "=", "lead_energy"), ("model", "=", model)])
        .mapped("res_id")
    )
    return env[model].with_context(active_test=False).browse(ids).exists()


def lead_world(env):
    """The leads and every record that hangs on them."""
    leads = env["crm.lead"].with_context(active_test=False).search([])
    events = (
        env["calendar.event"]
        .with_context(active_test=False)
        .search(
            [
                "|",
                ("opportunity_id", "in", leads.ids),
                "&",
                ("res_model", "=", "crm.lead"),
                ("res_id", "in", leads.ids),
            ]
        )
    )
    messages = env["mail.message"].search(
        [("model", "=", "crm.lead"), ("res_id", "in", leads.ids)]
    )
    orders = env["sale.order"].search([("opportunity_id", "in", leads.ids)])
    partners = leads.partner_id | leads.further_contact_ids | leads.business_partner_id
    partners |= partners.commercial_partner_id | orders.partner_id
    return {
        "crm.lead": leads,
        "calendar.event": events,
        "calendar.attendee": events.attendee_ids,
        "mail.message": messages,
        "mail.tracking.value": messages.tracking_value_ids,
        "mail.notification": messages.notification_ids,
        "ir.attachment": messages.attachment_ids,
        "sale.order": orders,
        "sale.order.line": orders.order_line,
        "res.partner": partners,
    }


def configuration(env):
    inactive = env(context=dict(env.context, active_test=False))
    return {
        "crm.energy.interest": inactive["crm.energy.interest"].search([]),
        "crm.energy.lead.type": inactive["crm.energy.lead.type"].search([]),
        "crm.lead.scoring.criterion": inactive["crm.lead.scoring.criterion"].search([]),
        "crm.lead.scoring.option": inactive["crm.lead.scoring.option"].search([]),
        "ir.config_parameter": env["ir.config_parameter"].search(
            [("key", "=like", "lead_energy.%")]
        ),
        "ir.sequence": env["ir.sequence"].search(
            [("code", "=", "lead_energy.lead_number")]
        ),
        "mail.template": module_records(env, "mail.template"),
        "ir.cron": module_records(env, "ir.cron"),
        "utm.source": module_records(env, "utm.source"),
        "res.company": env["res.company"].search([]),
        "res.groups": env.ref("crm.group_use_lead"),
    }


def main(env, path):
    snapshot = {
        model: values(records)
        for model, records in {**lead_world(env), **configuration(env)}.items()
    }
    snapshot["lead_energy version"] = (
        env["ir.module.module"].search([("name", "=", "lead_energy")]).latest_version
    )
    with open(path, "w") as out:
        json.dump(snapshot, out, indent=1, sort_keys=True, default=str)
