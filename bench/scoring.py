"""Lead scoring: rescoring after an option's points change.

Creates N leads (default 100,000) of every state (open, contacted, qualified,
closed and archived, converted to opportunities, plus CRM opportunities), a
tenth never rated and the others rated in some criteria and not in others.
Then changes the points of one option and rescores the affected leads three
ways on the same data, in the same run:

- module: what lead_energy does (``crm.lead.scoring.option.write``: one UPDATE
  of the affected leads in SQL);
- Odoo batch: what the ORM does with ``@api.depends('need_option_id.points')``:
  the affected leads searched, ``_compute_lead_score()`` called once on the
  whole recordset, the scores flushed in Odoo's batched UPDATEs;
- naive (second reference): each affected lead computed on its own (the
  configuration read again for each) and written with one UPDATE each.

Every variant runs in a savepoint that is rolled back, from the same data with
empty caches; the order of the variants rotates from run to run, so that no
variant always comes first or last (the rolled-back UPDATEs leave dead rows
behind for the next one). Prints the median of ``--runs`` runs (default 3)
with the fastest and slowest, the ratios to the module, and whether the three
variants gave the same scores.

Two changes are measured: one that keeps the criterion's best points (only the
leads rated with that option change) and one that raises the best option (every
rated lead changes). Usage: ./dev bench scoring [--leads N] [--runs N]
"""

from common import Series, Stopwatch, odoo_env, parse_args, undone

RATED = {
    "influence_option_id": "influence",
    "size_option_id": "size",
    "need_option_id": "need",
    "volume_option_id": "volume",
}
LINKED = ["industry_id", "source_id"]


def insert_leads(env, count):
    """Leads of every state, rated or not, in bulk (the ORM would take minutes)."""
    options = env["crm.lead.scoring.option"]
    ids = {
        field: options.search([("criterion_code", "=", code)]).ids
        for field, code in RATED.items()
    }
    industries = options.search([("criterion_code", "=", "industry")]).industry_id.ids
    sources = options.search([("criterion_code", "=", "source")]).source_id.ids

    def pick(values, salt):
        # A tenth of the leads is never rated (web forms nobody looked at);
        # of the others, every fourth leaves the criterion unrated and the
        # rest get a random option (seeded: the same data every run).
        array = "ARRAY[" + ",".join(map(str, values)) + "]::int[]"
        return (
            f"CASE WHEN i %% 10 = 0 OR (i + {salt}) %% 4 = 0 THEN NULL "
            f"ELSE ({array})[1 + floor(random() * {len(values)})::int] END"
        )

    env.cr.execute("SELECT setseed(0.42)")
    columns = [*RATED, *LINKED]
    pickers = [pick(ids[field], salt) for salt, field in enumerate(RATED, start=1)] + [
        pick(industries, 5),
        pick(sources, 6),
    ]
    # Of every 20 leads: 6 open, 3 contacted, 2 qualified, 5 closed (archived),
    # 3 converted to opportunities, 1 opportunity entered in CRM directly.
    env.cr.execute(
        f"""
        INSERT INTO crm_lead (name, type, active, lead_state, priority, company_id,
                              lead_number, lead_score, create_date, write_date,
                              create_uid, write_uid, date_contacted, date_qualified,
                              date_conversion, date_closed, {", ".join(columns)})
        SELECT 'Bench lead ' || i,
               CASE WHEN state IN ('converted', 'crm') THEN 'opportunity'
                    ELSE 'lead' END,
               state <> 'closed',
               CASE WHEN state = 'crm' THEN 'open' ELSE state END,
               '0', %s, 'BENCH-' || i, 0, now(), now(), 1, 1,
               CASE WHEN state IN ('contacted', 'qualified', 'converted')
                    THEN now() END,
               CASE WHEN state IN ('qualified', 'converted') THEN now() END,
               CASE WHEN state = 'converted' THEN now() END,
               CASE WHEN state = 'closed' THEN now() END,
               {", ".join(pickers)}
          FROM (SELECT i, (ARRAY['open', 'open', 'open', 'open', 'open', 'open',
                                 'contacted', 'contacted', 'contacted',
                                 'qualified', 'qualified', 'closed', 'closed',
                                 'closed', 'closed', 'closed', 'converted',
                                 'converted', 'converted', 'crm'])[1 + i %% 20]
                          AS state
                  FROM generate_series(1, %s) AS i) AS s
        """,
        [env.company.id, count],
    )
    before = env["crm.lead.scoring.criterion"]._scoring_config()
    env["crm.lead"]._recompute_lead_scores(before, all_leads=True)
    env.cr.execute("ANALYZE crm_lead")


def set_points_in_sql(env, option, points):
    """The points change without the module's rescoring."""
    env.cr.execute(
        "UPDATE crm_lead_scoring_option SET points = %s WHERE id = %s",
        [points, option.id],
    )
    option.invalidate_recordset(["points"])


def affected_leads(env, domain):
    return env["crm.lead"].with_context(active_test=False).search(domain)


def module_rescore(env, option, points, domain):
    with Stopwatch(env) as watch:
        option.points = points
    return watch


def odoo_batch_rescore(env, option, points, domain):
    """Odoo's own way: the affected leads computed in one call, then flushed."""
    Lead = env["crm.lead"]
    with Stopwatch(env) as watch:
        set_points_in_sql(env, option, points)
        leads = affected_leads(env, domain)
        with env.protecting([Lead._fields["lead_score"]], leads):
            leads._compute_lead_score()
        env.flush_all()
    return watch


def naive_rescore(env, option, points, domain):
    """Each affected lead computed and written on its own."""
    with Stopwatch(env) as watch:
        set_points_in_sql(env, option, points)
        for lead in affected_leads(env, domain):
            lead._compute_lead_score()
            lead.flush_recordset(["lead_score"])
    return watch


VARIANTS = [
    ("module", module_rescore),
    ("Odoo batch", odoo_batch_rescore),
    ("naive", naive_rescore),
]


def scores_snapshot(env):
    env.flush_all()
    env.cr.execute("SELECT id, lead_score FROM crm_lead ORDER BY id")
    return env.cr.fetchall()


def measure(env, option, points, domain, label, runs):
    leads = affected_leads(env, domain)
    series = {name: Series(name) for name, rescore in VARIANTS}
    snapshots = set()
    for run in range(runs):
        # Rotate the order: module first, then Odoo batch first, then naive...
        for name, rescore in VARIANTS[run % 3 :] + VARIANTS[: run % 3]:
            with undone(env):
                series[name].add_watch(rescore(env, option, points, domain))
                snapshots.add(tuple(scores_snapshot(env)))
    module, batch, naive = (series[name] for name, rescore in VARIANTS)
    same = len(snapshots) == 1
    print(
        f"{label}\n    {len(leads):,} leads rescored, "
        f"{'same scores in every run' if same else 'SCORES DIFFER'}\n"
        f"    {module}\n    {batch}\n    {naive}\n"
        f"    Odoo batch / module {batch.ratio(module)} | "
        f"naive / module {naive.ratio(module)}",
        flush=True,
    )
    return same


def main():
    args = parse_args(__doc__, leads=(int, 100_000, "leads to create"))
    with odoo_env(args) as env:
        with Stopwatch(env) as setup:
            insert_leads(env, args.leads)
        env.cr.execute(
            "SELECT count(*) FILTER (WHERE "
            + " OR ".join(f"{field} IS NOT NULL" for field in [*RATED, *LINKED])
            + ") FROM crm_lead WHERE lead_number LIKE %s",
            ["BENCH-%"],
        )
        rated = env.cr.fetchone()[0]
        print(
            f"{args.leads:,} leads created and scored in {setup.seconds:.1f} s "
            f"({rated:,} rated in at least one criterion)"
        )
        ref = env.ref
        within_3_months = ref("lead_energy.crm_lead_scoring_option_need_3_months")
        same = measure(
            env,
            within_3_months,
            9,
            [("need_option_id", "=", within_3_months.id)],
            "'Within 3 Months' 7 -> 9 points (best of Need unchanged):",
            args.runs,
        )
        rated = ["|"] * 5 + [(field, "!=", False) for field in [*RATED, *LINKED]]
        same &= measure(
            env,
            ref("lead_energy.crm_lead_scoring_option_need_immediate"),
            12,
            rated,
            "'Immediate' 10 -> 12 points (best of Need raised, every rated lead):",
            args.runs,
        )
        raise SystemExit(0 if same else 1)


if __name__ == "__main__":
    main()
