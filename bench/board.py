"""The lead board: computing its tiles and charts over a large table of leads.

Puts N leads (default 200,000; states, sources, types, scores, follow-ups and
closing dates mixed) into a fresh database and prints the time and query count
of the board's data as a sales manager opens it, next to the floor: one
``SELECT count(*)`` over the same table, the least any figure over all leads
costs. Then the same for a table a tenth of the size, to show how the board
grows with the table. Usage: ./dev bench board [--leads N]
"""

import time

from common import Stopwatch, odoo_env, parse_args


def insert_leads(env, total):
    sources = env["utm.source"].search([], limit=8).ids
    types = env["crm.energy.lead.type"].search([]).ids
    users = env["res.users"].search([("share", "=", False)], limit=10).ids
    env.cr.execute(
        """
        INSERT INTO crm_lead (name, type, active, lead_state, priority, company_id,
                              lead_number, lead_score, create_date, write_date,
                              create_uid, write_uid, user_id, source_id, lead_type_id,
                              followup_user_id, followup_deadline, date_contacted,
                              date_qualified, date_conversion, date_closed)
        SELECT 'Board lead ' || i, 'lead', state <> 'closed', state, '0', %(company)s,
               'BOARD-' || i, i %% 101, now() - (i %% 400) * interval '1 day',
               now() - (i %% 90) * interval '1 day', 1, 1,
               (%(users)s::int[])[1 + i %% %(user_count)s],
               (%(sources)s::int[])[1 + i %% %(source_count)s],
               (%(types)s::int[])[1 + i %% %(type_count)s],
               CASE WHEN i %% 5 <> 0
                    THEN (%(users)s::int[])[1 + i %% %(user_count)s] END,
               CURRENT_DATE - 30 + i %% 60,
               CASE WHEN state <> 'open' THEN now() - interval '20 days' END,
               CASE WHEN state IN ('qualified', 'converted')
                    THEN now() - interval '10 days' END,
               CASE WHEN state = 'converted' THEN now() - interval '5 days' END,
               CASE WHEN state = 'closed' THEN now() - (i %% 300) * interval '1 day' END
          FROM (SELECT i, (ARRAY['open', 'open', 'contacted', 'qualified',
                                 'closed', 'converted'])[1 + i %% 6] AS state
                  FROM generate_series(1, %(total)s) AS i) AS s
        """,
        {
            "company": env.company.id,
            "users": users,
            "user_count": len(users),
            "sources": sources,
            "source_count": len(sources),
            "types": types,
            "type_count": len(types),
            "total": total,
        },
    )
    env.cr.execute("ANALYZE crm_lead")


def measure(env, total):
    env.cr.execute("SAVEPOINT bench_table")
    insert_leads(env, total)
    env.cr.execute("SELECT count(*) FROM crm_lead")
    start = time.perf_counter()
    env.cr.execute("SELECT count(*) FROM crm_lead")
    rows = env.cr.fetchone()[0]
    floor = time.perf_counter() - start
    manager = env.ref("base.user_admin")
    board = env["crm.lead.energy.board"].with_user(manager)
    board.get_board_data()  # warm the caches of the ORM, as a second visit would
    env.invalidate_all()
    with Stopwatch(env) as stopwatch:
        data = board.get_board_data()
    env.cr.execute("ROLLBACK TO SAVEPOINT bench_table")
    env.invalidate_all()
    funnel = next(chart for chart in data["charts"] if chart["key"] == "funnel")
    counted = funnel["datasets"][0]["data"][0]
    print(
        f"{rows:>7,} leads (all leads on the funnel: {counted:,}): "
        f"board {1000 * stopwatch.seconds:.0f} ms, {stopwatch.queries} queries | "
        f"floor (one count(*) over the table) {1000 * floor:.1f} ms | "
        f"{stopwatch.seconds / floor:.1f}x the floor",
        flush=True,
    )
    return stopwatch.seconds


def main():
    args = parse_args(__doc__, leads=(int, 200_000, "leads to put in the table"))
    with odoo_env(args) as env:
        big = measure(env, args.leads)
        small = measure(env, args.leads // 10)
        print(f"{args.leads:,} vs {args.leads // 10:,} leads: board {big / small:.1f}x")


if __name__ == "__main__":
    main()
