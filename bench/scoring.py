"""Lead scoring: rescoring after an option's points change.

Creates N rated leads (default 100,000), changes the points of one option and
rescores the affected leads twice on the same data, in the same run:

- module: what lead_energy does (``crm.lead.scoring.option.write``: one UPDATE);
- naive:  the per-record recomputation, as the ORM would run it with
  ``@api.depends('need_option_id.points')``: each affected lead computed and
  written on its own.

Two changes are measured: one that keeps the criterion's best points (only the
leads rated with that option change) and one that raises the best option (every
rated lead changes). Usage: ./dev bench scoring [--leads N]
"""

from common import Stopwatch, odoo_env, parse_args

RATED = {
    "influence_option_id": "influence",
    "size_option_id": "size",
    "need_option_id": "need",
    "volume_option_id": "volume",
}


def insert_rated_leads(env, count):
    """Rated leads in bulk (the ORM would take minutes to create them)."""
    options = env["crm.lead.scoring.option"]
    ids = {
        field: options.search([("criterion_code", "=", code)]).ids
        for field, code in RATED.items()
    }
    industries = options.search([("criterion_code", "=", "industry")]).industry_id.ids
    sources = options.search([("criterion_code", "=", "source")]).source_id.ids

    def pick(values, salt):
        # Every fifth lead leaves the criterion unrated; the others get a
        # random option (seeded: the same data every run).
        array = "ARRAY[" + ",".join(map(str, values)) + "]::int[]"
        return (
            f"CASE WHEN (i + {salt}) %% 5 = 0 THEN NULL "
            f"ELSE ({array})[1 + floor(random() * {len(values)})::int] END"
        )

    env.cr.execute("SELECT setseed(0.42)")
    columns = [*RATED, "industry_id", "source_id"]
    pickers = [pick(ids[field], salt) for salt, field in enumerate(RATED, start=1)] + [
        pick(industries, 5),
        pick(sources, 6),
    ]
    env.cr.execute(
        f"""
        INSERT INTO crm_lead (name, type, active, lead_state, priority, company_id,
                              lead_number, lead_score, create_date, write_date,
                              create_uid, write_uid, {", ".join(columns)})
        SELECT 'Bench lead ' || i, 'lead', true, 'open', '0', %s,
               'BENCH-' || i, 0, now(), now(), 1, 1, {", ".join(pickers)}
          FROM generate_series(1, %s) AS i
        """,
        [env.company.id, count],
    )
    before = env["crm.lead.scoring.criterion"]._scoring_config()
    env["crm.lead"]._recompute_lead_scores(before, all_leads=True)


def naive_rescore(env, option, points, domain):
    """Change the points without the module's rescoring, then rescore each lead."""
    env.cr.execute(
        "UPDATE crm_lead_scoring_option SET points = %s WHERE id = %s",
        [points, option.id],
    )
    env.invalidate_all()
    leads = env["crm.lead"].with_context(active_test=False).search(domain)
    with Stopwatch(env) as watch:
        for lead in leads:
            lead._compute_lead_score()
            lead.flush_recordset(["lead_score"])
    return watch, leads


def scores_snapshot(env):
    env.flush_all()
    env.cr.execute("SELECT id, lead_score FROM crm_lead ORDER BY id")
    return env.cr.fetchall()


def measure(env, option, points, domain, label):
    env.cr.execute("SAVEPOINT bench_change")
    with Stopwatch(env) as module:
        option.points = points
    module_scores = scores_snapshot(env)
    env.cr.execute("ROLLBACK TO SAVEPOINT bench_change")
    env.invalidate_all()
    naive, leads = naive_rescore(env, option, points, domain)
    naive_scores = scores_snapshot(env)
    env.cr.execute("ROLLBACK TO SAVEPOINT bench_change")
    env.invalidate_all()
    same = module_scores == naive_scores
    print(
        f"{label}\n    {len(leads):,} leads rescored | "
        f"module {module.seconds:.2f} s, {module.queries} queries | "
        f"naive {naive.seconds:.2f} s, {naive.queries} queries | "
        f"module is {naive.seconds / module.seconds:.1f}x faster | "
        f"{'same scores' if same else 'SCORES DIFFER'}",
        flush=True,
    )
    return same


def main():
    args = parse_args(__doc__, leads=(int, 100_000, "rated leads to create"))
    with odoo_env(args) as env:
        with Stopwatch(env) as setup:
            insert_rated_leads(env, args.leads)
        print(f"{args.leads:,} rated leads created and scored in {setup.seconds:.1f} s")
        ref = env.ref
        within_3_months = ref("lead_energy.crm_lead_scoring_option_need_3_months")
        same = measure(
            env,
            within_3_months,
            9,
            [("need_option_id", "=", within_3_months.id)],
            "'Within 3 Months' 7 -> 9 points (best of Need unchanged):",
        )
        rated = ["|"] * 5 + [
            (field, "!=", False) for field in [*RATED, "industry_id", "source_id"]
        ]
        same &= measure(
            env,
            ref("lead_energy.crm_lead_scoring_option_need_immediate"),
            12,
            rated,
            "'Immediate' 10 -> 12 points (best of Need raised, every rated lead):",
        )
        raise SystemExit(0 if same else 1)


if __name__ == "__main__":
    main()
