"""Pre-qualification: recomputing the estimates after a rule changes.

Inserts N leads (default 100,000) with a site (roof, orientation, pitch,
consumption, postcode; every fifth with a grid connection), computes their
estimates once, then changes a price band of the estimation rules and measures
in the same run, each in a savepoint that is rolled back:

- module: what a manager's change does (``crm.energy.estimation.write``): the
  estimates of the company's leads with a site marked and computed in the
  ORM's batches, and with them the volume options and scores that follow;
- per record: the same rule change, then every lead recomputed on its own
  (estimate, volume, score flushed lead by lead), on a sample of
  ``--sample`` leads (default 5,000), its time scaled to all the leads.

Prints the median of ``--runs`` runs with the fastest and slowest, the ratio,
and checks that both give the same investments and volume options on the
sample. Usage: ./dev bench estimate [--leads N] [--sample N] [--runs N]
"""

from common import Series, Stopwatch, odoo_env, parse_args, seconds_text, undone


def insert_leads(env, count):
    env.cr.execute("SELECT setseed(0.17)")
    env.cr.execute(
        """
        INSERT INTO crm_lead (name, type, active, lead_state, priority, company_id,
                              lead_number, lead_score, create_date, write_date,
                              create_uid, write_uid, roof_area, roof_orientation,
                              roof_pitch, annual_consumption, site_postcode,
                              grid_connection_kva)
        SELECT 'Bench site ' || i, 'lead', true, 'open', '0', %s, 'SITE-' || i, 0,
               now(), now(), 1, 1,
               20 + floor(random() * 400),
               (ARRAY['s', 'se_sw', 'e_w', 'n'])[1 + i %% 4],
               (ARRAY['flat', 'medium', 'steep'])[1 + i %% 3],
               2000 + floor(random() * 60000),
               lpad((floor(random() * 99999))::text, 5, '0'),
               CASE WHEN i %% 5 = 0 THEN 30 + floor(random() * 200) END
          FROM generate_series(1, %s) AS i
        """,
        [env.company.id, count],
    )
    leads = env["crm.lead"].search([("lead_number", "=like", "SITE-%")])
    leads.modified(["roof_area"])
    env.flush_all()
    env.cr.execute("ANALYZE crm_lead")
    return leads


def change_rules(env):
    band = env.ref("lead_energy.crm_energy_estimation_price_30")
    return {"price_ids": [(1, band.id, {"eur_per_kwp": band.eur_per_kwp + 150})]}


def run_module(env, rules, values):
    with Stopwatch(env) as watch:
        rules.write(values)
        env.flush_all()
    return watch


def run_per_record(env, rules, values, sample):
    # The rule change alone (no lead recomputed), then lead after lead.
    from odoo.addons.lead_energy.models.crm_energy_estimation import RULES_BATCH
    from odoo.addons.lead_energy.tools.internal_flow import internal_context

    rules.with_context(**internal_context(RULES_BATCH)).write(values)
    env.flush_all()
    with Stopwatch(env) as watch:
        for lead in sample:
            lead.modified(["roof_area"])
            lead.flush_recordset()
            env.flush_all()
    return watch


def snapshot(leads):
    return {
        lead.id: (lead.estimated_investment, lead.volume_option_id.id) for lead in leads
    }


def main():
    args = parse_args(
        __doc__,
        leads=(int, 100_000, "leads with a site"),
        sample=(int, 5_000, "leads recomputed one by one"),
    )
    with odoo_env(args) as env:
        with Stopwatch(env) as setup:
            leads = insert_leads(env, args.leads)
        print(f"{len(leads):,} leads with a site, estimated in {setup.seconds:.1f} s")
        rules = env.ref("lead_energy.crm_energy_estimation_main")
        sample = leads[: args.sample]
        module, per_record = Series("module"), Series("per record (scaled)")
        same = True
        for run in range(args.runs):
            order = (
                ("module", "per_record") if run % 2 == 0 else ("per_record", "module")
            )
            results = {}
            for variant in order:
                with undone(env):
                    env.invalidate_all()
                    values = change_rules(env)
                    if variant == "module":
                        module.add_watch(run_module(env, rules, values))
                    else:
                        watch = run_per_record(env, rules, values, sample)
                        per_record.add(watch.seconds * len(leads) / len(sample))
                    results[variant] = snapshot(sample)
            same &= results["module"] == results["per_record"]
        print(module)
        print(f"{per_record}; measured on {len(sample):,} leads")
        print(f"per record / module: {per_record.ratio(module)}")
        print(f"{seconds_text(module.median / len(leads))} per lead in one pass")
        print("same investments and volumes:", "yes" if same else "NO")
        raise SystemExit(0 if same else 1)


if __name__ == "__main__":
    main()
