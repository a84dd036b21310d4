"""Creating leads: the module's create against plain CRM's, in the same run.

Creates N leads (default 10,000) through the ORM in batches of 100, as a sales
person with "User: Own Documents Only", twice:

- in this database, with lead_energy: each lead rated in the four criteria
  of options, from a source and an industry, with two interests, a lead type
  and a follow-up (employee and date); the module numbers and scores it;
- in a database of the same template without the module (plain CRM: crm,
  sale_crm, calendar, sms): the same leads without the module's fields.

A second line does the same for a fifth of the leads with an appointment:
the module creates the calendar event of each lead, plain CRM gets the leads
and then the same events created directly (same attendees, same link).

Each time is the median of ``--runs`` runs (default 3); every run is rolled
back, the caches emptied, and the two databases take turns going first.
Usage: ./dev bench create [--leads N] [--runs N]
"""

import os
from datetime import datetime, timedelta

from common import (
    Series,
    Stopwatch,
    database_env,
    energy_catalogue,
    energy_values,
    odoo_env,
    parse_args,
    undone,
)

from odoo import Command

BATCH = 100


def sales_person(env):
    return (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            {
                "name": "Bench Creator",
                "login": "bench_creator",
                "email": "bench.creator@example.com",
                "groups_id": [
                    Command.set(env.ref("sales_team.group_sale_salesman").ids)
                ],
            }
        )
    )


def plain_values(env, user, count, prefix):
    sources = env["utm.source"].search([], order="id", limit=5).ids
    return [
        {
            "name": f"{prefix} {n}",
            "type": "lead",
            "contact_name": f"Contact {n}",
            "partner_name": f"Solar {n} GmbH",
            "email_from": f"contact{n}@solar{n}.example",
            "user_id": user.id,
            "source_id": sources[n % len(sources)],
        }
        for n in range(count)
    ]


def module_values(env, user, count, prefix):
    catalogue = energy_catalogue(env)
    values_list = plain_values(env, user, count, prefix)
    for n, values in enumerate(values_list):
        values.update(energy_values(catalogue, n, user.id))
    return values_list


def appointment(n):
    start = datetime.now().replace(microsecond=0) + timedelta(days=1, hours=n % 200)
    return start, start + timedelta(hours=1)


def create_leads(env, user, values_list):
    Lead = env["crm.lead"].with_user(user).with_context(default_type="lead")
    leads = Lead.browse()
    for start in range(0, len(values_list), BATCH):
        leads |= Lead.create(values_list[start : start + BATCH])
    return leads


def with_appointments(user, values_list):
    for n, values in enumerate(values_list):
        start, stop = appointment(n)
        values.update(
            meeting_user_id=user.id, appointment_start=start, appointment_stop=stop
        )
    return values_list


def plain_events(env, user, leads):
    """What the module's appointment makes, created directly for plain leads."""
    # As the module creates them: the same attendees, link and description
    # (contact, company, lead), attendees invited as calendar does.
    Event = env["calendar.event"].with_user(user)
    model_id = env["ir.model"]._get_id("crm.lead")
    for start in range(0, len(leads), BATCH):
        Event.create(
            [
                {
                    "name": f"{lead.name} ({lead.partner_name})",
                    "start": appointment(n)[0],
                    "stop": appointment(n)[1],
                    "user_id": user.id,
                    "partner_ids": [Command.set(user.partner_id.ids)],
                    "description": (
                        f"<p><strong>Contact:</strong> {lead.contact_name}</p>"
                        f"<p><strong>Company:</strong> {lead.partner_name}</p>"
                        f"<p><strong>Lead:</strong> {lead.name}</p>"
                    ),
                    "opportunity_id": lead.id,
                    "res_model_id": model_id,
                    "res_id": lead.id,
                }
                for n, lead in enumerate(leads[start : start + BATCH], start=start)
            ]
        )


def measure(module_env, plain_env_, count, runs):
    module_user = sales_person(module_env)
    plain_user = sales_person(plain_env_)
    series = {
        key: Series(label)
        for key, label in (
            ("module", "lead_energy: rated leads with interests and follow-ups"),
            ("plain", "plain CRM: the same leads without the module's fields"),
            ("module_appointments", "lead_energy: leads with an appointment"),
            ("plain_appointments", "plain CRM: leads, then their events"),
        )
    }
    appointments = max(count // 5, BATCH)

    def module_run():
        values = module_values(module_env, module_user, count, "Module lead")
        with undone(module_env):
            with Stopwatch(module_env) as watch:
                leads = create_leads(module_env, module_user, values)
            assert len(leads) == count and all(leads.mapped("lead_number"))
        series["module"].add_watch(watch)

    def plain_run():
        values = plain_values(plain_env_, plain_user, count, "Plain lead")
        with undone(plain_env_), Stopwatch(plain_env_) as watch:
            create_leads(plain_env_, plain_user, values)
        series["plain"].add_watch(watch)

    def module_appointments_run():
        values = with_appointments(
            module_user,
            module_values(module_env, module_user, appointments, "Module meeting"),
        )
        with undone(module_env):
            with Stopwatch(module_env) as watch:
                leads = create_leads(module_env, module_user, values)
            assert all(leads.mapped("appointment_event_id"))
        series["module_appointments"].add_watch(watch)

    def plain_appointments_run():
        values = plain_values(plain_env_, plain_user, appointments, "Plain meeting")
        with undone(plain_env_), Stopwatch(plain_env_) as watch:
            leads = create_leads(plain_env_, plain_user, values)
            plain_events(plain_env_, plain_user, leads)
        series["plain_appointments"].add_watch(watch)

    pairs = [(module_run, plain_run), (module_appointments_run, plain_appointments_run)]
    for run in range(runs):
        for first, second in pairs:
            for variant in (first, second) if run % 2 == 0 else (second, first):
                variant()
    print(
        f"{count:,} leads in batches of {BATCH}, as a sales person:\n"
        f"  {series['module']}\n  {series['plain']}\n"
        f"  lead_energy / plain CRM {series['module'].ratio(series['plain'])}\n"
        f"{appointments:,} leads with an appointment:\n"
        f"  {series['module_appointments']}\n  {series['plain_appointments']}\n"
        f"  lead_energy / plain CRM "
        f"{series['module_appointments'].ratio(series['plain_appointments'])}",
        flush=True,
    )


def main():
    args = parse_args(__doc__, leads=(int, 10_000, "leads to create"))
    plain_database = os.environ["LEAD_ENERGY_BENCH_PLAIN_DB"]
    with odoo_env(args) as env, database_env(plain_database) as plain:
        measure(env, plain, args.leads, args.runs)


if __name__ == "__main__":
    main()
