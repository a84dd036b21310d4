"""Load: sales people over JSON-RPC against Odoo in prefork mode, one node and
then two nodes, with lead_energy and with plain CRM as the baseline.

Each run starts Odoo on loopback ports (default 4 HTTP workers and a cron
worker per node, the configuration of ``./dev``: same PostgreSQL, same data
directory, so the sessions are shared), logs N sales people in (default 8,
"User: Own Documents Only") and lets each run ``--rounds`` rounds at once:

- create a batch of leads (default 5) in one call, the first with an
  appointment for a colleague; with the module the leads are rated, with
  interests, lead type and follow-up, and the module creates the event; plain
  CRM gets the same leads without the module's fields and then the event;
- open the list and a form (the fields of the views each uses), the board
  (plain CRM: its pipeline grouped by stage), and convert a lead (the module's
  Create Contact Person wizard and inquiry; plain CRM's Convert to Opportunity).

With two nodes every sales person's calls alternate between them, with the
session made on one of them. Mails go to an SMTP sink of the benchmark.
Afterwards the database is checked: every lead exactly once and none of a
failed call, unique numbers, one event per appointment, each invitation mail
and each inbox notification once, each conversion once. The runs are bounded
(--rounds, --timeout) and stop by themselves; the command fails when a check
fails or a call failed.

Usage: ./dev bench load [--salesmen 8] [--rounds 25] [--batch 5] [--workers 4]
"""

import argparse
import collections
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path

from _load_nodes import SmtpSink, odoo_nodes
from _load_workload import (
    Client,
    ModuleWorkload,
    PlainWorkload,
    Salesman,
    company_name,
    latency_line,
    percentile,
)
from common import energy_catalogue

import odoo
from odoo import SUPERUSER_ID, Command, api
from odoo.modules.registry import Registry

KINDS = ("create", "list", "form", "board", "convert")
# Crons that call Odoo's servers on the internet: not on a loopback bench.
OUTBOUND_CRONS = (
    "crm_iap_enrich.ir_cron_lead_enrichment",
    "mail.ir_cron_module_update_notification",
)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--salesmen", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=25, help="rounds per salesman")
    parser.add_argument("--batch", type=int, default=5, help="leads per create")
    parser.add_argument("--workers", type=int, default=4, help="HTTP workers per node")
    parser.add_argument(
        "--timeout", type=int, default=900, help="seconds a run may take at most"
    )
    args = parser.parse_args()
    if args.batch < 2 or args.salesmen < 2 or args.rounds < 1:
        parser.error("--batch and --salesmen must be at least 2, --rounds 1")
    return args


def prepare(database, tag, count, module):
    """The sales people of one run, and the records their leads refer to."""
    with Registry(database).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        group = env.ref("sales_team.group_sale_salesman")
        users = (
            env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                [
                    {
                        "name": f"Load {tag} Seller {n}",
                        "login": f"load_{tag}_{n}",
                        "password": f"load_{tag}_{n}",
                        "email": f"load.{tag}.{n}@example.com",
                        "groups_id": [Command.set(group.ids)],
                    }
                    for n in range(count)
                ]
            )
        )
        salesmen = [
            {"uid": user.id, "partner_id": user.partner_id.id, "login": user.login}
            for user in users
        ]
        catalogue = module_catalogue(env) if module else plain_catalogue(env)
        for xmlid in OUTBOUND_CRONS:
            env.ref(xmlid, raise_if_not_found=False).active = False
        cr.commit()
    return salesmen, catalogue


def plain_catalogue(env):
    return {
        "sources": env["utm.source"].search([], order="id", limit=5).ids,
        "lead_model_id": env["ir.model"]._get_id("crm.lead"),
        "views": {
            "plain_list": env.ref("crm.crm_case_tree_view_leads").id,
            "plain_form": env.ref("crm.crm_lead_view_form").id,
        },
    }


def module_catalogue(env):
    catalogue = {**plain_catalogue(env), **energy_catalogue(env)}
    catalogue["views"].update(
        module_list=env.ref("lead_energy.crm_lead_view_list_energy").id,
        module_form=env.ref("lead_energy.crm_lead_view_form_energy").id,
    )
    return catalogue


class Run:
    """One run: a workload on a number of nodes of one database."""

    def __init__(self, args, label, database, module, nodes):
        self.args = args
        self.label = label
        self.database = database
        self.module = module
        self.node_count = nodes
        self.tag = f"{'m' if module else 'p'}{nodes}"
        self.salesmen = []
        self.failures = []
        self.seconds = 0.0
        self.log_counts = (0, 0, [])

    def execute(self, smtp, log_dir):
        people, catalogue = prepare(
            self.database, self.tag, self.args.salesmen, self.module
        )
        workload_class = ModuleWorkload if self.module else PlainWorkload
        with odoo_nodes(
            self.args.config,
            self.database,
            self.node_count,
            self.args.workers,
            smtp.port,
            log_dir / self.tag,
        ) as nodes:
            stop = threading.Event()
            for n, person in enumerate(people):
                # With two nodes, half of the sessions are made on node 2.
                client = Client(nodes, timeout=self.args.timeout, first_node=n)
                colleague = people[(n + 1) % len(people)]
                workload = workload_class(
                    client, catalogue, person, colleague, self.args.batch
                )
                self.salesmen.append(
                    Salesman(workload, f"Load {self.tag} s{n}", self.args.rounds, stop)
                )
            self.warm_up(people)
            self.seconds = self.drive(stop)
            self.log_counts = merged_log_counts(nodes)

    def warm_up(self, people):
        """Log in, load the views, open the list and the board on every node:
        each worker has loaded the registry and its caches before the clock
        runs."""

        def warm(salesman, person):
            client = salesman.workload.client
            client.login(self.database, person["login"], person["login"])
            salesman.workload.open_views()
            for _node in range(2 * self.node_count):
                salesman.workload.open_list()
                salesman.workload.open_board()

        threads = [
            threading.Thread(target=warm, args=pair)
            for pair in zip(self.salesmen, people, strict=True)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    def drive(self, stop):
        for salesman in self.salesmen:
            salesman.workload.client.count_from_here()
        start = time.perf_counter()
        deadline = time.monotonic() + self.args.timeout
        for salesman in self.salesmen:
            salesman.start()
        for salesman in self.salesmen:
            salesman.join(max(0, deadline - time.monotonic()))
        if any(salesman.is_alive() for salesman in self.salesmen):
            stop.set()
            self.failures.append(f"stopped after --timeout {self.args.timeout} s")
            for salesman in self.salesmen:
                salesman.join(120)
        return time.perf_counter() - start

    # -- what the run did -----------------------------------------------------

    def timings(self):
        merged = collections.defaultdict(list)
        for salesman in self.salesmen:
            for kind, seconds in salesman.timings.items():
                merged[kind] += seconds
        return merged

    def errors(self):
        return [error for salesman in self.salesmen for error in salesman.errors]

    def created(self):
        return {
            name: lead_id
            for salesman in self.salesmen
            for name, lead_id in salesman.created.items()
        }

    def gathered(self, attribute):
        return [name for s in self.salesmen for name in getattr(s, attribute)]

    def report(self):
        timings = self.timings()
        operations = sum(len(seconds) for seconds in timings.values())
        per_node = [
            sum(counts)
            for counts in zip(
                *(s.workload.client.calls_per_node for s in self.salesmen),
                strict=True,
            )
        ]
        calls = sum(per_node)
        leads = len(self.created())
        retried, gave_up, logged = self.log_counts
        lines = [
            f"{self.label}: {self.node_count} node(s) x {self.args.workers} "
            f"workers, {self.args.salesmen} sales people x {self.args.rounds} rounds",
            f"  {operations:,} operations ({calls:,} calls answered) in "
            f"{self.seconds:.1f} s: "
            f"{operations / self.seconds:.1f} operations/s, "
            f"{leads / self.seconds:.1f} leads created/s",
            *(
                f"  {latency_line(kind, timings[kind])}"
                for kind in KINDS
                if kind in timings
            ),
            f"  failed calls: {len(self.errors())}; transactions Odoo retried "
            f"(serialization failure, deadlock): {retried}, given up: {gave_up}; "
            f"errors in the servers' logs: {len(logged)}",
        ]
        for kind, text in self.errors()[:5]:
            lines.append(f"    {kind}: {text}")
        lines += [f"    server: {text}" for text in logged[:3]]
        if self.node_count > 1:
            lines.append(
                "  calls answered per node: "
                + " / ".join(f"{count:,}" for count in per_node)
                + " (every session used on both)"
            )
        return lines


def merged_log_counts(nodes):
    retried = gave_up = 0
    logged = []
    for node in nodes:
        node_retried, node_gave_up, node_logged = node.log_counts()
        retried += node_retried
        gave_up += node_gave_up
        logged += node_logged
    return retried, gave_up, logged


class NoLossCheck:
    """What the database holds after a run, against what its clients did."""

    def __init__(self, run, mails):
        self.run = run
        self.mails = mails
        self.failures = []
        self.passed = []

    def verify(self):
        run = self.run
        created = run.created()
        with Registry(run.database).cursor() as cr:
            self.cr = cr
            self.leads_once(created)
            if run.module:
                self.numbers_unique(created)
            self.one_event_per_appointment(created)
            self.invitations_once()
            if run.module:
                self.inbox_notifications_once(created)
            self.conversions_once(created)
        return self.failures

    def expect(self, ok, passed, failed):
        (self.passed if ok else self.failures).append(passed if ok else failed)

    def leads_once(self, created):
        self.cr.execute(
            "SELECT name, array_agg(id) FROM crm_lead WHERE name LIKE %s GROUP BY name",
            [f"Load {self.run.tag} s%"],
        )
        found = dict(self.cr.fetchall())
        wrong = [
            name for name, lead_id in created.items() if found.get(name) != [lead_id]
        ]
        stray = sorted(set(found) - set(created))
        failed = self.run.gathered("failed_names")
        self.expect(
            not wrong and not stray,
            f"{len(created):,} leads each exactly once"
            + (f", none of {len(failed)} failed creates" if failed else ""),
            f"leads missing or doubled: {wrong[:5]}; of failed calls: {stray[:5]}",
        )

    def numbers_unique(self, created):
        self.cr.execute(
            """SELECT count(lead_number), count(DISTINCT lead_number)
                 FROM crm_lead WHERE id = ANY(%s)""",
            [list(created.values())],
        )
        numbered, distinct = self.cr.fetchone()
        self.cr.execute(
            """SELECT count(*) FROM (SELECT lead_number FROM crm_lead
                WHERE lead_number IS NOT NULL
                GROUP BY lead_number HAVING count(*) > 1) doubled"""
        )
        (doubled,) = self.cr.fetchone()
        self.expect(
            numbered == distinct == len(created) and not doubled,
            f"{distinct:,} unique lead numbers",
            f"numbers: {numbered} numbered, {distinct} distinct of {len(created)}, "
            f"{doubled} used twice in the table",
        )

    def one_event_per_appointment(self, created):
        appointments = set(self.run.gathered("appointments"))
        # The module also links the lead to its event.
        linked = "lead.appointment_event_id = event.id" if self.run.module else "TRUE"
        self.cr.execute(
            f"""SELECT lead.name, count(event.id),
                       bool_and(event.id IS NULL OR {linked})
                  FROM crm_lead lead
             LEFT JOIN calendar_event event
                    ON event.opportunity_id = lead.id AND event.active
                 WHERE lead.id = ANY(%s)
              GROUP BY lead.name""",
            [list(created.values())],
        )
        wrong = [
            name
            for name, events, linked in self.cr.fetchall()
            if events != (name in appointments) or not linked
        ]
        self.expect(
            not wrong,
            f"{len(appointments):,} calendar events, one per appointment",
            f"leads with a wrong number of events: {wrong[:5]}",
        )

    def invitations_once(self):
        """The sink's mails about this run's leads: 'Invitation to <lead> (…)'."""
        prefix = f"Load {self.run.tag} s"
        per_lead = collections.Counter(
            prefix + subject.split(prefix, 1)[1].split(" (")[0]
            for subject, _to in self.mails
            if prefix in subject
        )
        appointments = self.run.gathered("appointments")
        wrong = [name for name in appointments if per_lead[name] != 1]
        stray = set(per_lead) - set(appointments)
        self.expect(
            not wrong and not stray,
            f"{len(appointments):,} invitation mails sent, each once",
            f"invitations not sent once: {wrong[:5]}; unexpected: {list(stray)[:5]}",
        )

    def inbox_notifications_once(self, created):
        appointments = [created[name] for name in self.run.gathered("appointments")]
        self.cr.execute(
            """SELECT event.opportunity_id, count(notification.id)
                 FROM calendar_event event
                 JOIN mail_message message
                   ON message.model = 'calendar.event' AND message.res_id = event.id
                  AND message.message_type = 'user_notification'
                  AND message.subject LIKE 'New appointment:%%'
                 JOIN mail_notification notification
                   ON notification.mail_message_id = message.id
                  AND notification.notification_type = 'inbox'
                WHERE event.opportunity_id = ANY(%s)
             GROUP BY event.opportunity_id""",
            [appointments],
        )
        counts = dict(self.cr.fetchall())
        wrong = [lead_id for lead_id in appointments if counts.get(lead_id) != 1]
        self.expect(
            not wrong,
            f"{len(appointments):,} inbox notifications of the colleague, each once",
            f"leads whose appointment was not notified once: {wrong[:5]}",
        )

    def conversions_once(self, created):
        converted = self.run.gathered("converted")
        self.cr.execute(
            """SELECT name, count(*) FROM res_partner
                WHERE name LIKE %s AND is_company GROUP BY name""",
            [f"Load{self.run.tag}s%"],
        )
        companies = dict(self.cr.fetchall())
        self.cr.execute(
            """SELECT name FROM crm_lead
                WHERE id = ANY(%s) AND type = 'opportunity'
                  AND partner_id IS NOT NULL""",
            [list(created.values())],
        )
        opportunities = {name for (name,) in self.cr.fetchall()}
        wrong = [
            name
            for name in converted
            if companies.get(company_name(name)) != 1 or name not in opportunities
        ]
        expected = {company_name(name) for name in converted}
        stray = (opportunities - set(converted)) | (set(companies) - expected)
        self.expect(
            not wrong and not stray,
            f"{len(converted):,} conversions, each once (one customer, one inquiry)",
            f"conversions not done once: {wrong[:5]}; unexpected: {sorted(stray)[:5]}",
        )


def ratio_line(module_run, plain_run):
    module_times, plain_times = module_run.timings(), plain_run.timings()
    parts = [
        f"{kind} {percentile_ratio(module_times[kind], plain_times[kind])}"
        for kind in KINDS
        if module_times.get(kind) and plain_times.get(kind)
    ]
    return (
        f"lead_energy / plain CRM, {module_run.node_count} node(s): "
        f"wall time {module_run.seconds / plain_run.seconds:.2f}x; p50 "
        + ", ".join(parts)
    )


def percentile_ratio(mine, base):
    return f"{percentile(mine, 0.5) / percentile(base, 0.5):.2f}x"


def main():
    args = parse_args()
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database])
    plain_database = os.environ["LEAD_ENERGY_BENCH_PLAIN_DB"]
    runs = [
        Run(args, "lead_energy", args.database, True, 1),
        Run(args, "plain CRM", plain_database, False, 1),
        Run(args, "lead_energy", args.database, True, 2),
        Run(args, "plain CRM", plain_database, False, 2),
    ]
    failed = False
    logs = tempfile.mkdtemp(prefix="lead-energy-load-")
    with SmtpSink() as smtp:
        for run in runs:
            (Path(logs) / run.tag).mkdir()
            run.execute(smtp, Path(logs))
            check = NoLossCheck(run, list(smtp.mails))
            run.failures += check.verify()
            lines = run.report() + [f"  no loss: {'; '.join(check.passed)}"]
            lines += [f"  FAILED: {failure}" for failure in run.failures]
            print("\n".join(lines), flush=True)
            failed |= bool(run.failures or run.errors() or run.log_counts[2])
    for module_run, plain_run in ((runs[0], runs[1]), (runs[2], runs[3])):
        print(ratio_line(module_run, plain_run), flush=True)
    if failed:
        print(f"FAILED; the servers' logs are in {logs}", flush=True)
    else:
        shutil.rmtree(logs)
        print("every run passed its no-loss checks", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
