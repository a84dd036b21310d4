"""The dev tool stops what it started.

`./dev run` stopped by SIGTERM or SIGINT sent to its own process only (as a
supervisor, systemd or `timeout` may) stops its Odoo, as Ctrl-C does; `./dev
stop` stops the Odoo of a running `./dev run` before PostgreSQL; `./dev test`
stopped that way stops pytest and what pytest started.

The runs here use a state directory of their own (LEAD_ENERGY_LOCAL) with its
own PostgreSQL cluster, holding a copy of the test database, so that stopping
PostgreSQL does not touch the cluster this test session runs on.
"""

import collections
import configparser
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import types
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "dev"
DB = "lead_energy_devtool"

sys.path.insert(0, str(ROOT / "tools"))
from dev import processes  # noqa: E402
from dev.databases import addon_digest  # noqa: E402
from dev.postgres import Postgres  # noqa: E402
from helpers import free_port, wait_until  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from _load_workload import Client, ModuleWorkload, Salesman  # noqa: E402


def answers(port):
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def pids_with(*words):
    """The processes whose command line holds all the words."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().decode(errors="replace").split("\0")
        except OSError:
            continue
        if all(any(word in arg for arg in args) for word in words):
            found.append(int(cmdline.parent.name))
    return [pid for pid in found if pid != os.getpid() and processes.running(pid)]


def dev(state, *args, **kw):
    return subprocess.run(
        [DEV, *args], env=state["env"], capture_output=True, text=True, **kw
    )


@pytest.fixture(scope="module")
def state():
    """A separate state directory: own cluster with a copy of the test database."""
    conf_path = os.environ.get("LEAD_ENERGY_ODOO_CONF")
    test_db = os.environ.get("LEAD_ENERGY_TEST_DB")
    if not (conf_path and test_db):
        pytest.fail("run these tests through `./dev test` (it prepares the database)")
    (ROOT / ".local").mkdir(exist_ok=True)
    # Inside the checkout: the cluster's owner (postgres, when root) reaches it.
    local = Path(tempfile.mkdtemp(prefix="dev-tool-test-", dir=ROOT / ".local"))
    local.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEAD_ENERGY_DB_")}
    env.update(LEAD_ENERGY_LOCAL=str(local), LEAD_ENERGY_DB=DB)
    state = {"env": env, "local": local}
    try:
        setup = dev(state, "setup", timeout=600)
        assert setup.returncode == 0, setup.stdout + setup.stderr
        host = subprocess.run(
            [
                sys.executable,
                "-c",
                "from dev.postgres import Postgres; print(Postgres().host)",
            ],
            env=dict(env, PYTHONPATH=str(ROOT / "tools")),
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        conf = configparser.ConfigParser()
        conf.read(conf_path)
        opts = conf["options"]
        dump = local / "test-db.dump"
        pg_env = dict(os.environ)
        if opts.get("db_password", "False") != "False":
            pg_env["PGPASSWORD"] = opts["db_password"]
        subprocess.run(
            [
                Postgres.pg_bin("pg_dump"),
                "-Fc",
                f"--host={opts['db_host']}",
                f"--port={opts['db_port']}",
                f"--username={opts['db_user']}",
                f"--file={dump}",
                test_db,
            ],
            env=pg_env,
            check=True,
        )
        target = [f"--host={host}", "--username=lead_energy"]
        subprocess.run([Postgres.pg_bin("createdb"), *target, DB], check=True)
        subprocess.run(
            [Postgres.pg_bin("pg_restore"), "--no-owner", *target, "-d", DB, dump],
            check=True,
        )
        # ./dev run reuses the database as it is, without updating the addon.
        (local / f"{DB}.addon-stamp").write_text(addon_digest())
        yield state
    finally:
        for pid in pids_with("odoo-bin", str(local)):
            os.kill(pid, signal.SIGKILL)
        dev(state, "stop", timeout=120)
        shutil.rmtree(local, ignore_errors=True)


@contextlib.contextmanager
def dev_run(state, tmp_path, ignore_sigint=False, env=None):
    """./dev run on a free port, once it answers: its process, port, Odoo's
    pid and log; whatever is left of them is killed at the end."""
    port = free_port()
    log = tmp_path / "run.log"
    # As for `./dev run &` in a script, where the shell ignores SIGINT; exec
    # keeps the process: it is the dev process.
    trap = ["sh", "-c", 'trap "" INT; exec "$0" run', DEV] if ignore_sigint else []
    with open(log, "w") as out:
        proc = subprocess.Popen(
            trap or [DEV, "run"],
            env=dict(state["env"], LEAD_ENERGY_HTTP_PORT=str(port), **(env or {})),
            stdout=out,
            stderr=subprocess.STDOUT,
        )

    def serving():
        url = f"http://127.0.0.1:{port}/web/health"
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status == 200
        except OSError:
            return proc.poll() is not None  # ended: no use waiting

    if not wait_until(serving, 300) or proc.poll() is not None:
        proc.kill()
        pytest.fail(f"./dev run did not start:\n{log.read_text()[-3000:]}")
    conf = f"{state['local']}/odoo-{port}.conf"
    # Odoo is the dev process's child (in prefork mode, its workers are Odoo's).
    odoo = [pid for pid in pids_with("odoo-bin", conf) if parent(pid) == proc.pid]
    try:
        assert len(odoo) == 1, odoo
        yield proc, port, odoo[0], log
    finally:
        proc.kill()
        for pid in filter(processes.running, pids_with("odoo-bin", conf) + odoo):
            os.kill(pid, signal.SIGKILL)


def parent(pid):
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[1])


def assert_stopped(proc, port, odoo, log, signum):
    try:
        proc.wait(timeout=90)
    except subprocess.TimeoutExpired:
        proc.kill()
        pytest.fail("./dev run did not end")
    output = log.read_text()
    assert not answers(port), f"Odoo still serves on {port}:\n{output[-2000:]}"
    assert not processes.running(odoo), f"Odoo ({odoo}) still runs"
    assert "[dev] Odoo stopped" in output
    # ended by the signal, as the shell expects of a stopped program
    assert proc.returncode == -signum, proc.returncode


@pytest.mark.parametrize(
    "signum, ignore_sigint",
    [
        (signal.SIGTERM, False),
        (signal.SIGINT, False),
        (signal.SIGINT, True),
    ],
    ids=["SIGTERM", "SIGINT", "SIGINT-after-start-with-SIGINT-ignored"],
)
def test_signal_to_dev_run_alone_stops_odoo(state, tmp_path, signum, ignore_sigint):
    with dev_run(state, tmp_path, ignore_sigint) as (proc, port, odoo, log):
        os.kill(proc.pid, signum)  # the dev process only, not its group
        assert_stopped(proc, port, odoo, log, signum)


def test_dev_stop_stops_the_running_odoo_then_postgres(state, tmp_path):
    with dev_run(state, tmp_path) as (proc, port, odoo, log):
        stop = dev(state, "stop", timeout=120)
        assert stop.returncode == 0, stop.stdout + stop.stderr
        assert not answers(port), f"Odoo still serves on {port}"
        assert f"stopping the Odoo of ./dev run (pid {proc.pid})" in stop.stdout
        assert stop.stdout.index("Odoo stopped") < stop.stdout.index(
            "PostgreSQL stopped"
        ), stop.stdout
        assert_stopped(proc, port, odoo, log, signal.SIGTERM)
        assert not pids_with("postgres", f"{state['local']}/postgres/data")


def test_dev_run_with_workers_serves_in_prefork_mode(state, tmp_path):
    """LEAD_ENERGY_WORKERS=2 (as --workers 2): two HTTP workers, a cron worker
    and the websocket process under Odoo; JSON-RPC and the websocket answer;
    SIGTERM to the dev process stops all of them."""
    import websocket  # websocket-client, of requirements-dev.txt

    gevent_port = free_port()
    env = {"LEAD_ENERGY_WORKERS": "2", "LEAD_ENERGY_GEVENT_PORT": str(gevent_port)}
    with dev_run(state, tmp_path, env=env) as (proc, port, odoo, log):
        conf = f"{state['local']}/odoo-{port}.conf"

        def children():
            return [pid for pid in pids_with("odoo-bin", conf) if parent(pid) == odoo]

        # 2 HTTP workers, the cron worker and the gevent process
        assert wait_until(lambda: len(children()) == 4, 60), (
            children(),
            log.read_text()[-3000:],
        )
        assert wait_until(lambda: answers(gevent_port), 60), log.read_text()[-3000:]
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/jsonrpc",
            data=b'{"jsonrpc": "2.0", "method": "call", "params": '
            b'{"service": "common", "method": "version", "args": []}}',
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            assert b'"server_serie": "18.0"' in response.read()
        socket_ = websocket.create_connection(
            f"ws://127.0.0.1:{gevent_port}/websocket",
            timeout=30,
            header=[f"Origin: http://127.0.0.1:{port}"],
        )
        assert socket_.getstatus() == 101
        socket_.close()
        workers = children()
        output = log.read_text()
        assert f"2 HTTP workers and a cron worker; websocket on port {gevent_port}" in (
            output
        )
        os.kill(proc.pid, signal.SIGTERM)
        assert_stopped(proc, port, odoo, log, signal.SIGTERM)
        assert wait_until(lambda: not any(map(processes.running, workers)), 30)
        assert not answers(gevent_port)


def restart_postgres(state):
    """The state's own cluster stopped (fast: open connections are cut) and
    started again."""
    subprocess.run(
        [
            sys.executable,
            "-c",
            "from dev.postgres import Postgres; p = Postgres(); p.stop(); p.start()",
        ],
        env=dict(state["env"], PYTHONPATH=str(ROOT / "tools")),
        capture_output=True,
        check=True,
        timeout=120,
    )


def test_postgres_restart_under_load_leaves_no_half_written_lead(state, tmp_path):
    """The load client of ``./dev bench load`` (four sales people creating
    rated leads with appointments, opening lists, forms and the board, and
    converting) runs against Odoo in prefork mode while PostgreSQL restarts:
    calls fail during the restart, Odoo reconnects, and every lead, event,
    notification and conversion in the database is whole."""
    env = {"LEAD_ENERGY_WORKERS": "2", "LEAD_ENERGY_GEVENT_PORT": str(free_port())}
    with dev_run(state, tmp_path, env=env) as (_proc, port, _odoo, _log):
        node = types.SimpleNamespace(url=f"http://127.0.0.1:{port}")
        admin = Client([node], timeout=60)
        admin.login(DB, "admin", "admin")
        salesmen, catalogue = load_salesmen(admin, 4)
        stop = threading.Event()
        clients = []
        for n, person in enumerate(salesmen):
            client = Client([node], timeout=60)
            client.login(DB, person["login"], person["login"])
            workload = ModuleWorkload(
                client, catalogue, person, salesmen[(n + 1) % len(salesmen)], 3
            )
            workload.open_views()
            clients.append(Salesman(workload, f"Restart s{n}", 10_000, stop))

        def created():
            return sum(len(client.created) for client in clients)

        for client in clients:
            client.start()
        try:
            assert wait_until(lambda: created() > 20, 120), clients[0].errors[:3]
            restart_postgres(state)
            before = created()
            # Odoo reconnects: the sales people create leads again.
            assert wait_until(lambda: created() > before + 20, 120), [
                error for client in clients for error in client.errors[-3:]
            ]
        finally:
            stop.set()
            for client in clients:
                client.join(120)
        errors = [error for client in clients for error in client.errors]
        assert errors, "no call failed: PostgreSQL did not restart under the load"
        assert_whole_after_restart(admin, clients)


def load_salesmen(admin, count):
    """Sales people with own documents only, and what their leads refer to."""

    def ref(xmlid):
        module, name = xmlid.split(".")
        [data] = admin.call(
            "ir.model.data",
            "search_read",
            [("module", "=", module), ("name", "=", name)],
            ["res_id"],
        )
        return data["res_id"]

    users = admin.call(
        "res.users",
        "create",
        [
            {
                "name": f"Restart Seller {n}",
                "login": f"restart_{n}",
                "password": f"restart_{n}",
                "email": f"restart.{n}@example.com",
                "groups_id": [(6, 0, [ref("sales_team.group_sale_salesman")])],
            }
            for n in range(count)
        ],
    )
    salesmen = [
        {"uid": user["id"], "partner_id": user["partner_id"][0], "login": user["login"]}
        for user in admin.call("res.users", "read", users, ["partner_id", "login"])
    ]

    def ids(model, domain=(), limit=None):
        return admin.call(model, "search", list(domain), order="id", limit=limit)

    option = "crm.lead.scoring.option"
    catalogue = {
        "sources": ids("utm.source", limit=5),
        "options": {
            f"{code}_option_id": ids(option, [("criterion_id.code", "=", code)])
            for code in ("influence", "size", "need", "volume")
        },
        "interests": ids("crm.energy.interest"),
        "types": ids("crm.energy.lead.type"),
        "industries": ids("res.partner.industry", limit=5),
        "views": {
            "module_list": ref("lead_energy.crm_lead_view_list_energy"),
            "module_form": ref("lead_energy.crm_lead_view_form_energy"),
        },
    }
    return salesmen, catalogue


def assert_whole_after_restart(admin, clients):
    """Every lead the clients were told about is there, each once; a lead
    whose answer was lost in the restart may be there too, but whole: numbered,
    rated, with its interests; the first of each batch with its one event and
    the colleague's one notification; converted leads with their contact."""
    created = {n: i for client in clients for n, i in client.created.items()}
    leads = admin.call(
        "crm.lead",
        "search_read",
        [("name", "=like", "Restart s%")],
        [
            "name",
            "lead_number",
            "lead_score",
            "interest_ids",
            "need_option_id",
            "appointment_event_id",
            "lead_state",
            "partner_id",
        ],
        context={"active_test": False},
    )
    found = {lead["name"]: lead for lead in leads}
    assert len(found) == len(leads)
    assert {name: found[name]["id"] for name in created} == created
    events = admin.call(
        "calendar.event",
        "search_read",
        [("opportunity_id", "in", [lead["id"] for lead in leads])],
        ["opportunity_id"],
    )
    events_per_lead = collections.Counter(e["opportunity_id"][0] for e in events)
    # Each colleague reads the notifications addressed to them; only they and
    # the author may.
    notified = collections.Counter(
        message["res_id"]
        for client in clients
        for message in client.workload.client.call(
            "mail.message",
            "search_read",
            [
                ("model", "=", "calendar.event"),
                ("res_id", "in", [event["id"] for event in events]),
                ("message_type", "=", "user_notification"),
                ("subject", "=like", "New appointment:%"),
                ("partner_ids", "in", [client.workload.salesman["partner_id"]]),
            ],
            ["res_id"],
        )
    )
    for lead in leads:
        assert lead["lead_number"] and lead["lead_score"] > 0, lead
        assert len(lead["interest_ids"]) == 2 and lead["need_option_id"], lead
        has_appointment = lead["name"].endswith(" n0")
        assert events_per_lead[lead["id"]] == has_appointment, lead
        if has_appointment:
            event = lead["appointment_event_id"][0]
            assert notified[event] == 1, lead
        assert bool(lead["partner_id"]) == (lead["lead_state"] == "converted"), lead
    converted = [name for client in clients for name in client.converted]
    assert converted and all(found[name]["partner_id"] for name in converted)


FAKE_PYTEST = """\
    # Stands in for pytest: starts a server as the RPC tests' fixture does,
    # then leaves it to others when interrupted (as a fixture does whose
    # server is still starting).
    import os, subprocess, sys, time
    server = subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(600)"]
    )
    with open({pids!r}, "w") as out:
        out.write(f"{{os.getpid()}} {{server.pid}}\\n")
    time.sleep(600)
"""

DRIVER = """\
    # ./dev test with its set-up steps replaced: it only runs "pytest".
    import sys
    from pathlib import Path
    sys.path.insert(0, {tools!r})
    from dev import commands

    class Database:
        def copy_db(self, *args):
            pass

    commands.setup = lambda: (Path("odoo"), Database())
    commands.ensure_chromium = commands.lint = lambda: None
    commands.write_odoo_conf = lambda *args: Path("odoo.conf")
    commands.ensure_template = lambda *args: "template"
    commands.install = lambda *args, **kw: None
    commands.venv_bin = lambda name: Path({fake!r})
    sys.exit(commands.main(["test"]))
"""


def test_sigterm_to_dev_test_alone_stops_pytest_and_its_server(tmp_path):
    pids = tmp_path / "pids"
    fake = tmp_path / "pytest"
    fake.write_text(
        f"#!{sys.executable}\n" + textwrap.dedent(FAKE_PYTEST.format(pids=str(pids)))
    )
    fake.chmod(0o755)
    driver = textwrap.dedent(DRIVER.format(tools=str(ROOT / "tools"), fake=str(fake)))
    proc = subprocess.Popen([sys.executable, "-c", driver])
    children = []
    try:
        assert wait_until(lambda: pids.exists() and pids.read_text().endswith("\n"), 60)
        children = [int(pid) for pid in pids.read_text().split()]
        os.kill(proc.pid, signal.SIGTERM)  # the dev process only
        proc.wait(timeout=60)
        assert proc.returncode == -signal.SIGTERM
        for pid in children:  # the fake pytest and its server
            assert wait_until(lambda pid=pid: not processes.running(pid), 10), pid
    finally:
        proc.kill()
        for pid in filter(processes.running, children):
            os.kill(pid, signal.SIGKILL)


def test_a_child_that_does_not_stop_is_killed_after_the_bounded_wait():
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import signal, subprocess, sys, time\n"
            "signal.signal(signal.SIGINT, signal.SIG_IGN)\n"
            "subprocess.Popen([sys.executable, '-c', "
            "'import signal, time; signal.signal(signal.SIGINT, signal.SIG_IGN); "
            "time.sleep(600)'])\n"
            "time.sleep(600)\n",
        ]
    )
    try:
        assert wait_until(lambda: processes.descendants(child.pid), 30)
        [grandchild] = processes.descendants(child.pid)
        started = time.monotonic()
        processes.stop_child(child, timeout=1)
        assert time.monotonic() - started < 15
        assert child.returncode == -signal.SIGKILL
        assert wait_until(lambda: not processes.running(grandchild), 5)
    finally:
        child.kill()
