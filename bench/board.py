"""The lead board: computing its tiles and charts over a large table of leads.

Puts N leads (default 200,000) into a fresh database, shared by ten sales
people: every state (open, contacted, qualified, closed and archived,
converted to opportunities with quotations, some sent and some confirmed, plus
opportunities entered in CRM), a tenth unassigned, about a tenth of the open
leads overdue and a quarter stale, sources, types, scores, appointments and
closing dates mixed. Then measures the public method the board's page calls,
``crm.lead.energy.board.get_board_data()``, for two real users:

- a sales manager (admin), who counts every lead;
- a sales person with "User: Own Documents Only"
  (``sales_team.group_sale_salesman``), who counts his own leads, the
  unassigned ones and those he follows up or meets (the record rules);

once without filters and once for last quarter's leads of one source, next to
each user's floor: ONE SQL query written by hand computing the same figures
(tiles and funnel with ``count(*) FILTER (WHERE ...)``, closed and converted
leads per month as ``width_bucket`` numbers, the counts by state and source,
by source and by type, with ``GROUPING SETS``) over the leads the user may
read (the ORM's own WHERE clause, record rules included), and each user's
``read_group`` of Odoo's own pipeline (opportunities by stage and
salesperson). The figures of board and floor are compared; the board and the
read_group get the web client's language and time zone in their context.
Each time and query count is the median of ``--runs`` runs (default 5) after
one warm-up call, with the fastest and slowest run; the ORM's caches are
emptied before each run of the board and of the read_group, and the four take
turns going first. The same is measured for a table a tenth of the size, to
show how the board grows with the table; the small table comes first, so that
the rows the big table leaves behind (rolled back, but still in the table's
pages) do not slow it down.
Usage: ./dev bench board [--leads N] [--runs N]
"""

import time

from common import Series, Stopwatch, odoo_env, parse_args, undone

from odoo import Command, fields
from odoo.tools import SQL

SALES_PEOPLE = 10


def create_sales_people(env):
    """The measured sales person (own documents only) and nine colleagues."""
    group = env.ref("sales_team.group_sale_salesman")
    users = env["res.users"].with_context(no_reset_password=True)
    return users.create(
        [
            {
                "name": f"Bench Sales Person {n}",
                "login": f"bench_sales_{n}",
                "groups_id": [Command.set(group.ids)],
            }
            for n in range(SALES_PEOPLE)
        ]
    )


def insert_leads(env, total, users):
    sources = env["utm.source"].search([], limit=8).ids
    types = env["crm.energy.lead.type"].search([]).ids
    partners = env["res.partner"].search([("is_company", "=", True)], limit=20).ids
    env.cr.execute("SELECT max(id) FROM crm_lead")
    first_id = env.cr.fetchone()[0] or 0
    # Of every 20 leads: 6 open, 3 contacted, 2 qualified, 5 closed (archived),
    # 3 converted to opportunities, 1 opportunity entered in CRM directly.
    # A tenth unassigned; a sixth nobody follows up. Of the leads followed up,
    # a tenth is past its follow-up date. A quarter was never touched after it
    # came in (stale once older than 30 days); creation dates over two years.
    env.cr.execute(
        """
        INSERT INTO crm_lead (name, type, active, lead_state, priority, company_id,
                              lead_number, lead_score, create_date, write_date,
                              create_uid, write_uid, user_id, partner_id, source_id,
                              lead_type_id, followup_user_id, followup_deadline,
                              meeting_user_id, date_contacted, date_qualified,
                              date_conversion, date_closed)
        SELECT 'Board lead ' || i,
               CASE WHEN state IN ('converted', 'crm') THEN 'opportunity'
                    ELSE 'lead' END,
               state <> 'closed',
               CASE WHEN state = 'crm' THEN 'open' ELSE state END,
               '0', %(company)s, 'BOARD-' || i, (i * 37) %% 101,
               created,
               CASE WHEN i %% 4 = 0 THEN created
                    ELSE greatest(created, now() - (i %% 20) * interval '1 day') END,
               1, 1,
               CASE WHEN i %% 10 <> 0
                    THEN (%(users)s::int[])[1 + (i / 10) %% %(user_count)s] END,
               CASE WHEN state IN ('converted', 'crm')
                    THEN (%(partners)s::int[])[1 + i %% %(partner_count)s] END,
               CASE WHEN i %% 10 <> 1
                    THEN (%(sources)s::int[])[1 + i %% %(source_count)s] END,
               CASE WHEN i %% 5 <> 2
                    THEN (%(types)s::int[])[1 + i %% %(type_count)s] END,
               CASE WHEN i %% 6 <> 3
                    THEN (%(users)s::int[])[1 + (i / 3) %% %(user_count)s] END,
               CASE WHEN i %% 6 = 3 THEN NULL
                    WHEN i %% 10 = 4 THEN CURRENT_DATE - 1 - i %% 30
                    ELSE CURRENT_DATE + i %% 60 END,
               CASE WHEN i %% 8 = 5
                    THEN (%(users)s::int[])[1 + (i / 7) %% %(user_count)s] END,
               CASE WHEN state IN ('contacted', 'qualified', 'converted')
                    THEN created + interval '2 days' END,
               CASE WHEN state IN ('qualified', 'converted')
                    THEN created + interval '5 days' END,
               CASE WHEN state = 'converted' THEN created + interval '9 days' END,
               CASE WHEN state = 'closed'
                    THEN now() - (i %% 300) * interval '1 day' END
          FROM (SELECT i,
                       (ARRAY['open', 'open', 'open', 'open', 'open', 'open',
                              'contacted', 'contacted', 'contacted', 'qualified',
                              'qualified', 'closed', 'closed', 'closed', 'closed',
                              'closed', 'converted', 'converted', 'converted',
                              'crm'])[1 + i %% 20] AS state,
                       now() - (i %% 730) * interval '1 day'
                             - (i %% 24) * interval '1 hour' AS created
                  FROM generate_series(1, %(total)s) AS i) AS s
        """,
        {
            "company": env.company.id,
            "users": users.ids,
            "user_count": len(users),
            "partners": partners,
            "partner_count": len(partners),
            "sources": sources,
            "source_count": len(sources),
            "types": types,
            "type_count": len(types),
            "total": total,
        },
    )
    # Quotations of the opportunities: one each, a second for every third;
    # a quarter each draft, sent, confirmed and cancelled.
    env.cr.execute(
        """
        INSERT INTO sale_order (name, state, company_id, partner_id,
                                partner_invoice_id, partner_shipping_id,
                                opportunity_id, user_id, team_id, currency_id,
                                date_order, create_date, write_date, create_uid,
                                write_uid, amount_untaxed, amount_tax, amount_total)
        SELECT 'BOARD-SO-' || lead.id || '-' || n,
               (ARRAY['draft', 'sent', 'sale', 'cancel'])[1 + (lead.id + n) %% 4],
               lead.company_id, lead.partner_id, lead.partner_id, lead.partner_id,
               lead.id, lead.user_id, %(team)s, %(currency)s,
               lead.create_date + interval '10 days', lead.create_date,
               lead.write_date, 1, 1, 1000, 190, 1190
          FROM crm_lead AS lead
         CROSS JOIN generate_series(1, 2) AS n
         WHERE lead.id > %(first_id)s AND lead.type = 'opportunity'
           AND (n = 1 OR lead.id %% 3 = 0)
        """,
        {
            "team": env.ref("sales_team.team_sales_department").id,
            "currency": env.company.currency_id.id,
            "first_id": first_id,
        },
    )
    # What the ORM stores when a quotation's state changes.
    from odoo.addons.lead_energy.models.crm_lead_conversion import OFFER_STATES

    env.cr.execute(
        """
        UPDATE crm_lead AS lead SET offer_sent = TRUE
         WHERE lead.id > %s AND EXISTS (
                   SELECT 1 FROM sale_order AS offer
                    WHERE offer.opportunity_id = lead.id
                      AND offer.state = ANY(%s))
        """,
        [first_id, list(OFFER_STATES)],
    )
    env.cr.execute("ANALYZE crm_lead")
    env.cr.execute("ANALYZE sale_order")


# -- the floor ---------------------------------------------------------------


def floor_query(board):
    """One SQL query for all the board's figures, over the leads the board's
    user may read (the WHERE clause the ORM builds, record rules included),
    written by hand with the board's technique: conditions as ``count(*)
    FILTER``, the months as interval numbers (``width_bucket``), the charts'
    groups as ``GROUPING SETS``."""
    from odoo.addons.lead_energy.models.crm_lead_energy_board import ENERGY_LEADS
    from odoo.addons.lead_energy.models.crm_lead_state import ACTIVE_STATES
    from odoo.addons.lead_energy.models.res_config_settings import (
        HIGH_SCORE_THRESHOLD,
        NEW_DAYS,
        STALE_DAYS,
    )

    Lead = board.env["crm.lead"]
    query = Lead._search(ENERGY_LEADS)
    scope = board._board_scope({})
    today = fields.Date.context_today(board)
    active = SQL("crm_lead.lead_state IN %s", ACTIVE_STATES)
    tiles = {
        "overdue": SQL("crm_lead.followup_deadline < %s AND %s", today, active),
        "high_score": SQL(
            "crm_lead.lead_score >= %s AND %s",
            Lead._lead_energy_setting(HIGH_SCORE_THRESHOLD),
            active,
        ),
        "without_responsibility": SQL(
            "crm_lead.followup_user_id IS NULL AND %s", active
        ),
        "stale": SQL(
            "%s AND crm_lead.write_date < %s", active, Lead._days_ago(STALE_DAYS)
        ),
        "new": SQL("crm_lead.create_date >= %s", Lead._days_ago(NEW_DAYS)),
    }
    buckets = board._closed_buckets(scope)[1]
    bounds = [start for label, start, stop in buckets] + [buckets[-1][2]]
    converted = "crm_lead.lead_state = 'converted'"
    opportunity = "crm_lead.type = 'opportunity'"
    funnel = [
        SQL("TRUE"),
        SQL(
            f"crm_lead.date_contacted IS NOT NULL"
            f" OR crm_lead.date_qualified IS NOT NULL OR {converted}"
        ),
        SQL(f"crm_lead.date_qualified IS NOT NULL OR {converted}"),
        SQL(converted),
        SQL(opportunity),
        SQL(f"{opportunity} AND crm_lead.offer_sent"),
        SQL(
            f"{opportunity} AND crm_lead.active AND crm_lead.stage_id IN"
            " (SELECT id FROM crm_stage WHERE is_won)"
        ),
    ]
    conditions = [*tiles.values(), *funnel]
    sql = SQL(
        """
        SELECT GROUPING(lead_state, source_id, lead_type_id, closed, converted),
               lead_state, source_id, lead_type_id, closed, converted,
               sum(leads), %s
          FROM (SELECT crm_lead.lead_state, crm_lead.source_id,
                       crm_lead.lead_type_id,
                       CASE WHEN crm_lead.lead_state = 'closed'
                            THEN width_bucket(crm_lead.date_closed, %s::timestamp[])
                       END AS closed,
                       CASE WHEN crm_lead.lead_state = 'converted'
                            THEN width_bucket(crm_lead.date_conversion,
                                              %s::timestamp[])
                       END AS converted,
                       count(*) AS leads, %s
                  FROM %s
                 WHERE %s
                 GROUP BY 1, 2, 3, 4, 5) AS lead_groups
         GROUP BY GROUPING SETS ((), (lead_state, source_id), (source_id),
                                 (lead_type_id), (closed), (converted))
        """,
        SQL(", ").join(SQL("sum(f%s)", i) for i in range(len(conditions))),
        bounds,
        bounds,
        SQL(", ").join(
            SQL("count(*) FILTER (WHERE %s) AS f%s", condition, i)
            for i, condition in enumerate(conditions)
        ),
        query.from_clause,
        query.where_clause,
    )
    return sql, list(tiles), len(buckets)


def floor_figures(rows, tile_keys, month_count):
    """The figures of the floor's rows, in the shape of ``board_figures``."""
    figures = {
        "by_result_and_source": {},
        "source_id": {},
        "lead_type_id": {},
        "closed_by_month": [0] * month_count,
        "converted_by_month": [0] * month_count,
    }
    for grouping, state, source, lead_type, closed, converted, count, *filtered in rows:
        if grouping == 31:  # the grand total: the tiles and the funnel
            tiles = len(tile_keys)
            figures["tiles"] = dict(zip(tile_keys, filtered[:tiles], strict=True))
            figures["funnel"] = filtered[tiles:]
        elif grouping == 0b00111:
            figures["by_result_and_source"][state, source] = count
        elif grouping == 0b10111:
            figures["source_id"][source] = count
        elif grouping == 0b11011:
            figures["lead_type_id"][lead_type] = count
        elif grouping == 0b11101 and closed and closed <= month_count:
            figures["closed_by_month"][closed - 1] = count
        elif grouping == 0b11110 and converted and converted <= month_count:
            figures["converted_by_month"][converted - 1] = count
    return figures


def board_figures(data):
    """The board's figures, keyed by what they count (for the comparison)."""
    charts = {chart["key"]: chart for chart in data["charts"]}

    def by_domain(chart_key, fields_counted):
        counts = {}
        for dataset in charts[chart_key]["datasets"]:
            for domain, count in zip(dataset["domains"], dataset["data"], strict=True):
                key = tuple(
                    value or None for field, operator, value in domain[-fields_counted:]
                )
                if count:
                    counts[key if fields_counted > 1 else key[0]] = count
        return counts

    return {
        "tiles": {tile["key"]: tile["count"] for tile in data["tiles"]},
        "closed_by_month": charts["closed_by_month"]["datasets"][0]["data"],
        "converted_by_month": charts["closed_by_month"]["datasets"][1]["data"],
        "funnel": charts["funnel"]["datasets"][0]["data"],
        "by_result_and_source": by_domain("by_result_and_source", 2),
        "source_id": by_domain("share_by_source_id", 1),
        "lead_type_id": by_domain("share_by_lead_type_id", 1),
    }


# -- measuring ---------------------------------------------------------------


def pipeline_read_group(user):
    """What Odoo's own pipeline asks: opportunities by stage and salesperson."""
    return user.env["crm.lead"].read_group(
        [("type", "=", "opportunity")],
        ["__count"],
        ["stage_id", "user_id"],
        lazy=False,
    )


def measure_user(env, user, label, runs):
    # The web client's context: the user's language and time zone.
    client = env(user=user, context={"lang": "en_US", "tz": "Europe/Berlin"})
    board = client["crm.lead.energy.board"]
    # What a manager looks at next: last quarter's leads of one source.
    filters = {
        "period": "last_quarter",
        "source_id": env["utm.source"].search([], order="id", limit=1).id,
    }
    board.get_board_data()  # warm the ORM's caches, as a second visit would
    board.get_board_data(filters)
    pipeline_read_group(client.user)
    sql, tile_keys, month_count = floor_query(board)
    env.cr.execute(sql)  # warm PostgreSQL's caches like the board's
    board_series = Series("board")
    filtered_series = Series("board, last quarter of one source")
    choices_series = Series("the filters' choices (once per opening)")
    floor_series = Series("floor (one SQL query)")
    pipeline_series = Series("Odoo's pipeline read_group (stage x salesperson)")
    results = {}

    def board_run():
        env.invalidate_all()
        with Stopwatch(env) as watch:
            results["board"] = board.get_board_data()
        board_series.add_watch(watch)

    def filtered_run():
        env.invalidate_all()
        with Stopwatch(env) as watch:
            board.get_board_data(filters)
        filtered_series.add_watch(watch)

    def choices_run():
        env.invalidate_all()
        with Stopwatch(env) as watch:
            board.get_board_filter_options()
        choices_series.add_watch(watch)

    def pipeline_run():
        env.invalidate_all()
        with Stopwatch(env) as watch:
            pipeline_read_group(client.user)
        pipeline_series.add_watch(watch)

    def floor_run():
        start = time.perf_counter()
        env.cr.execute(sql)
        results["floor"] = env.cr.fetchall()
        floor_series.add(time.perf_counter() - start, 1)

    variants = [board_run, floor_run, pipeline_run, filtered_run, choices_run]
    for run in range(runs):
        turn = run % len(variants)
        for variant in variants[turn:] + variants[:turn]:
            variant()
    data, rows = results["board"], results["floor"]
    figures = board_figures(data)
    same = figures == floor_figures(rows, tile_keys, month_count)
    print(
        f"  {label}: {figures['funnel'][0]:,} leads on the board, "
        f"{'same figures' if same else 'FIGURES DIFFER'}\n"
        f"    {board_series}\n    {filtered_series}\n    {choices_series}\n"
        f"    {floor_series}\n    {pipeline_series}\n"
        f"    board / floor {board_series.ratio(floor_series)}\n"
        f"    board / pipeline read_group {board_series.ratio(pipeline_series)}\n"
        f"    filtered board / pipeline read_group "
        f"{filtered_series.ratio(pipeline_series)}",
        flush=True,
    )
    return board_series.median, same


def measure(env, total, users, runs):
    with undone(env):
        insert_leads(env, total, users)
        env.cr.execute("SELECT count(*) FROM crm_lead")
        print(f"{env.cr.fetchone()[0]:,} leads in the table:", flush=True)
        manager, same = measure_user(
            env, env.ref("base.user_admin"), "sales manager (admin)", runs
        )
        salesman, same_too = measure_user(
            env, users[0], "sales person, own documents only", runs
        )
    return manager, salesman, same and same_too


def main():
    args = parse_args(
        __doc__, runs=5, leads=(int, 200_000, "leads to put in the table")
    )
    with odoo_env(args) as env:
        users = create_sales_people(env)
        # The small table first: a rolled-back table leaves its dead rows behind.
        small = measure(env, args.leads // 10, users, args.runs)
        big = measure(env, args.leads, users, args.runs)
        print(
            f"{args.leads:,} vs {args.leads // 10:,} leads: board "
            f"{big[0] / small[0]:.1f}x as a manager, "
            f"{big[1] / small[1]:.1f}x as a sales person"
        )
        raise SystemExit(0 if big[2] and small[2] else 1)


if __name__ == "__main__":
    main()
