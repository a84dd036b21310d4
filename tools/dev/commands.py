"""Set up and drive a development Odoo 18.0 for lead_energy.

Only the standard library is used here: this package runs with the system
Python before the project's virtual environment exists.

    ./dev run [--reset]   set everything up, run Odoo with lead_energy on demo data
    ./dev test [ARGS]     set everything up, lint, run every test on a fresh database
    ./dev setup           only find Odoo, build the venv and start PostgreSQL
    ./dev stop            stop ./dev run's Odoo, then the embedded PostgreSQL
"""

import argparse
import os
import socket
import subprocess
import sys
import time

from .common import (
    ADDON,
    GEVENT_PORT,
    HTTP_PORT,
    LOCAL,
    ROOT,
    RUN_DB,
    TEST_DB,
    TEST_HTTP_PORT,
    WORKERS,
    SetupError,
    run,
    say,
    venv_bin,
)
from .databases import (
    addon_digest,
    addons_path,
    ensure_template,
    install,
    odoo_bin,
    write_odoo_conf,
)
from .debian import ensure_chromium, ensure_ocr
from .lint import install_hooks, lint
from .odoo_source import find_odoo
from .postgres import Postgres
from .processes import Interrupted, exit_by_signal, handle_stop_signals, wait_stopping
from .run_lock import stop_run, take_run_lock
from .virtualenv_setup import ensure_venv


def setup():
    odoo_src = find_odoo()
    say(f"Odoo 18.0 source: {odoo_src}")
    ensure_venv(odoo_src)
    ensure_ocr()
    pg = Postgres()
    pg.start()
    return odoo_src, pg


def port_in_use(port):
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def cmd_run(args):
    _lock = take_run_lock()  # held (open) until this process ends
    if args.workers < 0:
        raise SetupError("--workers needs a number of 0 (threaded) or more")
    ports = [HTTP_PORT] + ([GEVENT_PORT] if args.workers else [])
    for port in ports:
        if port_in_use(port):
            raise SetupError(
                f"Port {port} on 127.0.0.1 is already used by another program. "
                "Stop it, or choose other ports: LEAD_ENERGY_HTTP_PORT=8070 "
                "(and LEAD_ENERGY_GEVENT_PORT for --workers) ./dev run"
            )
    odoo_src, pg = setup()
    conf = write_odoo_conf(odoo_src, pg, HTTP_PORT)
    if args.reset:
        say(f"--reset: dropping the database {RUN_DB}")
        pg.drop_db(RUN_DB)
    state = pg.module_state(RUN_DB, ADDON)
    stamp = LOCAL / f"{RUN_DB}.addon-stamp"
    if state != "installed":
        if state is not None:
            pg.drop_db(RUN_DB)
        install(odoo_src, conf, RUN_DB, [ADDON], label=" with demo data")
    elif not stamp.exists() or stamp.read_text() != addon_digest():
        say(f"the addon changed since {RUN_DB} was last updated: updating it")
        install(odoo_src, conf, RUN_DB, [ADDON], update=True)
    else:
        say(f"reusing the database {RUN_DB} (./dev run --reset recreates it)")
    stamp.write_text(addon_digest())
    mode = (
        f"  {args.workers} HTTP workers and a cron worker; websocket on port "
        f"{GEVENT_PORT}\n"
        if args.workers
        else ""
    )
    print(
        "\n"
        f"  Odoo with lead_energy: http://127.0.0.1:{HTTP_PORT}/odoo/crm\n"
        f"{mode}"
        f"  database: {RUN_DB}   login: admin   password: admin\n"
        "  (demo sales person: login demo, password demo)\n"
        "  Stop with Ctrl-C.\n",
        flush=True,
    )
    cmd = [
        venv_bin("python"),
        odoo_src / "odoo-bin",
        "-c",
        conf,
        "-d",
        RUN_DB,
        "--db-filter",
        f"^{RUN_DB}$",
        *prefork_args(args.workers),
    ]
    proc = subprocess.Popen([str(c) for c in cmd])
    try:
        return wait_stopping(proc)
    finally:
        say("Odoo stopped")


def prefork_args(workers):
    """Odoo's prefork mode: HTTP workers, one cron worker, the websocket's
    port (the gevent process); none for the threaded server."""
    if not workers:
        return []
    return [
        f"--workers={workers}",
        "--max-cron-threads=1",
        f"--gevent-port={GEVENT_PORT}",
    ]


def cmd_test(args):
    started = time.monotonic()
    odoo_src, pg = setup()
    ensure_chromium()
    lint()
    conf = write_odoo_conf(odoo_src, pg, TEST_HTTP_PORT)
    template = ensure_template(odoo_src, pg, conf)
    say(f"fresh test database {TEST_DB} from {template}")
    pg.copy_db(template, TEST_DB)
    install(odoo_src, conf, TEST_DB, [ADDON])
    env = dict(
        os.environ,
        LEAD_ENERGY_ODOO_CONF=str(conf),
        LEAD_ENERGY_TEST_DB=TEST_DB,
        LEAD_ENERGY_TEMPLATE_DB=template,
    )
    if args.screenshots:
        env["LEAD_ENERGY_SCREENSHOTS"] = str(ROOT / ADDON / "static" / "description")
    cmd = [
        venv_bin("pytest"),
        "-c",
        ROOT / "pytest.ini",
        "--rootdir",
        ROOT,
        f"--odoo-config={conf}",
        f"--odoo-database={TEST_DB}",
        f"--odoo-addons-path={addons_path(odoo_src)}",
        "--odoo-http",
        # Errors and warnings reach the root conftest.py, which fails a test
        # that logs an error and lists the warnings.
        "--odoo-log-level=warn",
        *(args.pytest_args or [ADDON, "tests"]),
    ]
    say("running the tests with pytest-odoo")
    tests = subprocess.Popen([str(c) for c in cmd], cwd=ROOT, env=env)
    # pytest tears down on SIGINT, the RPC tests' Odoo server within 30s.
    returncode = wait_stopping(tests, timeout=60)
    say(f"test command finished in {time.monotonic() - started:.0f}s")
    return returncode


def cmd_bench(args):
    """Run bench/<name>.py against a fresh database with lead_energy installed."""
    script = ROOT / "bench" / f"{args.name}.py"
    if not script.is_file() or args.name.startswith("_"):
        names = sorted(
            p.stem
            for p in (ROOT / "bench").glob("*.py")
            if p.stem != "common" and not p.stem.startswith("_")
        )
        raise SetupError(f"no benchmark {args.name!r}; there are: {', '.join(names)}")
    odoo_src, pg = setup()
    conf = write_odoo_conf(odoo_src, pg, HTTP_PORT)
    template = ensure_template(odoo_src, pg, conf)
    bench_db = os.environ.get("LEAD_ENERGY_BENCH_DB", "lead_energy_bench")
    pg.copy_db(template, bench_db)
    install(odoo_src, conf, bench_db, [ADDON])
    # The same template without the addon: plain CRM, as a baseline.
    plain_db = f"{bench_db}_plain"
    pg.copy_db(template, plain_db)
    env = dict(
        os.environ,
        PYTHONPATH=str(ROOT / "bench"),
        LEAD_ENERGY_BENCH_PLAIN_DB=plain_db,
    )
    cmd = [venv_bin("python"), script, "-c", conf, "-d", bench_db, *args.bench_args]
    return run(cmd, check=False, cwd=ROOT, env=env).returncode


def cmd_pot(_args):
    """Export lead_energy.pot from the database of the last ./dev test run."""
    odoo_src, pg = setup()
    if pg.module_state(TEST_DB, ADDON) != "installed":
        raise SetupError(f"run ./dev test first: it installs {ADDON} into {TEST_DB}")
    conf = write_odoo_conf(odoo_src, pg, HTTP_PORT)
    pot = ROOT / ADDON / "i18n" / f"{ADDON}.pot"
    odoo_bin(
        odoo_src,
        conf,
        "-d",
        TEST_DB,
        f"--i18n-export={pot}",
        f"--modules={ADDON}",
        "--stop-after-init",
        "--no-http",
    )
    say(
        f"wrote {pot}; merge it into the translations with:\n"
        f"    msgmerge -U --no-fuzzy-matching {ADDON}/i18n/de.po {pot}"
    )
    return 0


def cmd_setup(_args):
    setup()
    install_hooks()
    return 0


def cmd_stop(_args):
    pg = Postgres()
    if not pg.external:
        stop_run()  # the Odoo of ./dev run first, as Ctrl-C would
    pg.stop()
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog="./dev", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_run = sub.add_parser("run", help="run Odoo with lead_energy on demo data")
    p_run.add_argument(
        "--reset", action="store_true", help="drop and recreate the demo database"
    )
    p_run.add_argument(
        "--workers",
        type=int,
        default=WORKERS,
        metavar="N",
        help="run Odoo in prefork mode with N HTTP workers, a cron worker and the "
        "websocket port (default: $LEAD_ENERGY_WORKERS or 0, threaded)",
    )
    p_run.set_defaults(func=cmd_run)
    p_test = sub.add_parser("test", help="lint and run every test on a fresh database")
    p_test.add_argument(
        "--screenshots",
        action="store_true",
        help="the tours save their screenshots into "
        f"{ADDON}/static/description/ (the module's documentation shows them)",
    )
    p_test.add_argument(
        "pytest_args", nargs=argparse.REMAINDER, help="passed on to pytest"
    )
    p_test.set_defaults(func=cmd_test)
    sub.add_parser(
        "setup", help="only set up Odoo, the venv and PostgreSQL"
    ).set_defaults(func=cmd_setup)
    sub.add_parser(
        "pot", help="export the addon's .pot translation template"
    ).set_defaults(func=cmd_pot)
    p_bench = sub.add_parser("bench", help="run bench/<name>.py on a fresh database")
    p_bench.add_argument("name", help="the script's name in bench/, e.g. scoring")
    p_bench.add_argument("bench_args", nargs=argparse.REMAINDER)
    p_bench.set_defaults(func=cmd_bench)
    sub.add_parser("stop", help="stop the embedded PostgreSQL").set_defaults(
        func=cmd_stop
    )
    args = parser.parse_args(argv)
    handle_stop_signals()
    try:
        return args.func(args)
    except Interrupted as exc:
        return exit_by_signal(exc.signum)
    except SetupError as exc:
        print(f"\n[dev] ERROR: {exc}", file=sys.stderr)
        return 2
    except subprocess.CalledProcessError as exc:
        print(
            f"\n[dev] ERROR: command failed ({exc.returncode}): "
            + " ".join(map(str, exc.cmd)),
            file=sys.stderr,
        )
        return 2
