"""The sales people of ``./dev bench load``: JSON-RPC clients as Odoo's web
client talks to the server, and the two workloads they run, the module's and
plain CRM's, operation by operation."""

import statistics
import threading
import time
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

import requests
from common import energy_values

RELATIONAL = {"many2one", "many2many", "one2many"}


class RpcError(Exception):
    pass


class Client:
    """One sales person's browser: a session cookie, and every call going to
    the next node in turn (from ``first_node``), whichever node made the
    session. ``calls_per_node`` counts the calls answered."""

    def __init__(self, nodes, timeout, first_node=0):
        self.nodes = nodes
        self.timeout = timeout
        self.http = requests.Session()
        self.sent = first_node
        self.calls_per_node = [0] * len(nodes)

    def _post(self, path, params):
        node = self.sent % len(self.nodes)
        self.sent += 1
        response = self.http.post(
            f"{self.nodes[node].url}{path}",
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "id": self.sent,
                "params": params,
            },
            timeout=self.timeout,
        )
        response.raise_for_status()
        body = response.json()
        if "error" in body:
            data = body["error"].get("data", {})
            raise RpcError(f"{data.get('name')}: {data.get('message')}")
        self.calls_per_node[node] += 1
        return body["result"]

    def count_from_here(self):
        """Count the calls answered from now on (after the warm-up)."""
        self.calls_per_node = [0] * len(self.nodes)

    def login(self, database, login, password):
        result = self._post(
            "/web/session/authenticate",
            {"db": database, "login": login, "password": password},
        )
        if not result.get("uid"):
            raise RpcError(f"{login} could not log in")
        return result

    def call(self, model, method, *args, **kwargs):
        return self._post(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )


def view_fields(arch, fields):
    """What the web client reads for a view: its fields (not those of the
    embedded sub-views), with the display name of related records."""
    root = ET.fromstring(arch)
    names = {}

    def walk(element):
        for child in element:
            if child.tag == "field":
                names.setdefault(child.get("name"), None)
            else:
                walk(child)

    walk(root)
    return {
        name: {"fields": {"display_name": {}}}
        if fields.get(name, {}).get("type") in RELATIONAL
        else {}
        for name in names
        if name in fields
    }


def company_name(lead_name):
    """A company of its own for each lead: 'Load m1 s0 r2 n1' is
    'Loadm1s0r2n1 Energie GmbH', whose name is like no other's."""
    return f"{lead_name.replace(' ', '')} Energie GmbH"


class Workload:
    """A sales person's round: create a batch of leads (the first with an
    appointment for a colleague), open the list, open a form, open the board,
    convert a lead. Subclasses say how, with the module or with plain CRM."""

    list_view = form_view = None

    def __init__(self, client, catalogue, salesman, colleague, batch):
        self.client = client
        self.catalogue = catalogue
        self.salesman = salesman
        self.colleague = colleague
        self.batch = batch
        self.list_spec = self.form_spec = None

    def open_views(self):
        views = self.client.call(
            "crm.lead",
            "get_views",
            views=[
                [self.catalogue["views"][self.list_view], "list"],
                [self.catalogue["views"][self.form_view], "form"],
            ],
        )
        fields = views["models"]["crm.lead"]["fields"]
        self.list_spec = view_fields(views["views"]["list"]["arch"], fields)
        self.form_spec = view_fields(views["views"]["form"]["arch"], fields)
        return True

    def lead_values(self, name, n):
        sources = self.catalogue["sources"]
        return {
            "name": name,
            "type": "lead",
            "contact_name": f"Contact of {name}",
            "partner_name": company_name(name),
            "email_from": f"contact@{name.lower().replace(' ', '-')}.example",
            "phone": f"+49 30 {self.salesman['uid']}{n:05d}",
            "user_id": self.salesman["uid"],
            "source_id": sources[n % len(sources)],
        }

    def appointment(self, n):
        start = (datetime.now() + timedelta(days=1 + n % 30, hours=n % 8)).replace(
            minute=0, second=0, microsecond=0
        )
        stop = start + timedelta(hours=1)
        return start.strftime("%Y-%m-%d %H:%M:%S"), stop.strftime("%Y-%m-%d %H:%M:%S")

    def open_list(self):
        return self.client.call(
            "crm.lead",
            "web_search_read",
            domain=[("type", "=", "lead"), ("user_id", "=", self.salesman["uid"])],
            specification=self.list_spec,
            limit=80,
            count_limit=10001,
        )

    def open_form(self, lead_id):
        return self.client.call("crm.lead", "web_read", [lead_id], self.form_spec)


class ModuleWorkload(Workload):
    list_view, form_view = "module_list", "module_form"

    def create(self, names, first_number):
        values_list = []
        for n, name in enumerate(names, start=first_number):
            values = self.lead_values(name, n)
            values.update(energy_values(self.catalogue, n, self.salesman["uid"]))
            values_list.append(values)
        start, stop = self.appointment(first_number)
        values_list[0].update(
            meeting_user_id=self.colleague["uid"],
            appointment_start=start,
            appointment_stop=stop,
        )
        return self.client.call("crm.lead", "create", values_list)

    def open_board(self):
        return self.client.call("crm.lead.energy.board", "get_board_data", {}, [])

    def convert(self, lead_id):
        """Create Contact Person, step by step, then the inquiry."""
        wizard = self.client.call(
            "crm.lead.convert.contact",
            "create",
            {},
            context={"default_lead_id": lead_id},
        )
        for step in ("action_company_next", "action_contact_confirm"):
            self.client.call("crm.lead.convert.contact", step, [wizard])
        return self.client.call(
            "crm.lead.convert.contact", "action_create_inquiry", [wizard]
        )


class PlainWorkload(Workload):
    list_view, form_view = "plain_list", "plain_form"

    def create(self, names, first_number):
        """The leads, then the calendar event of the first, as a sales person
        of plain CRM makes them (same attendees, link and description)."""
        ids = self.client.call(
            "crm.lead",
            "create",
            [self.lead_values(name, n) for n, name in enumerate(names, first_number)],
        )
        start, stop = self.appointment(first_number)
        self.client.call(
            "calendar.event",
            "create",
            {
                "name": f"{names[0]} ({company_name(names[0])})",
                "start": start,
                "stop": stop,
                "user_id": self.colleague["uid"],
                "partner_ids": [[6, 0, [self.colleague["partner_id"]]]],
                "description": (
                    f"<p><strong>Contact:</strong> Contact of {names[0]}</p>"
                    f"<p><strong>Company:</strong> {company_name(names[0])}</p>"
                    f"<p><strong>Lead:</strong> {names[0]}</p>"
                ),
                "opportunity_id": ids[0],
                "res_model_id": self.catalogue["lead_model_id"],
                "res_id": ids[0],
            },
        )
        return ids

    def open_board(self):
        """The pipeline as CRM shows it: opportunities grouped by stage."""
        return self.client.call(
            "crm.lead",
            "web_read_group",
            domain=[
                ("type", "=", "opportunity"),
                ("user_id", "=", self.salesman["uid"]),
            ],
            fields=["expected_revenue:sum", "prorated_revenue:sum"],
            groupby=["stage_id"],
        )

    def convert(self, lead_id):
        """Convert to Opportunity, creating the customer."""
        context = {
            "active_model": "crm.lead",
            "active_id": lead_id,
            "active_ids": [lead_id],
        }
        wizard = self.client.call(
            "crm.lead2opportunity.partner",
            "create",
            {"name": "convert", "action": "create", "lead_id": lead_id},
            context=context,
        )
        return self.client.call(
            "crm.lead2opportunity.partner", "action_apply", [wizard], context=context
        )


class Salesman(threading.Thread):
    """Runs a workload for a number of rounds and times each operation.

    ``created`` maps the leads' names to their ids, ``failed_names`` lists the
    names of batches whose create failed, ``appointments`` and ``converted``
    the leads with an appointment and those converted."""

    def __init__(self, workload, tag, rounds, stop):
        super().__init__(daemon=True)
        self.workload = workload
        self.tag = tag
        self.rounds = rounds
        self.stop = stop
        self.timings = {}
        self.errors = []
        self.created = {}
        self.failed_names = []
        self.appointments = []
        self.converted = []

    def timed(self, kind, function, *args):
        start = time.perf_counter()
        try:
            result = function(*args)
        except (RpcError, requests.RequestException) as error:
            self.errors.append((kind, str(error)[:300]))
            return None
        self.timings.setdefault(kind, []).append(time.perf_counter() - start)
        return result

    def run(self):
        for number in range(self.rounds):
            if self.stop.is_set():
                return
            self.one_round(number)

    def one_round(self, number):
        workload = self.workload
        names = [f"{self.tag} r{number} n{n}" for n in range(workload.batch)]
        ids = self.timed("create", workload.create, names, number * workload.batch)
        if ids is None:
            self.failed_names += names
            return
        self.created.update(zip(names, ids, strict=True))
        self.appointments.append(names[0])
        self.timed("list", workload.open_list)
        self.timed("form", workload.open_form, ids[0])
        self.timed("board", workload.open_board)
        if self.timed("convert", workload.convert, ids[1]) is not None:
            self.converted.append(names[1])


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def latency_line(kind, seconds):
    p50, p95, p99 = (1000 * percentile(seconds, share) for share in (0.5, 0.95, 0.99))
    return (
        f"{kind:<8} {len(seconds):>5} ops  p50 {p50:6.0f} ms  p95 {p95:6.0f} ms  "
        f"p99 {p99:6.0f} ms  mean {1000 * statistics.fmean(seconds):6.0f} ms"
    )
