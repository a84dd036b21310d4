"""Fixtures for the tests that drive a real Odoo server from outside."""

import contextlib
import os
import re
import subprocess
import sys
import time
import xmlrpc.client
from pathlib import Path

import pytest
from helpers import free_port

import odoo
from odoo import SUPERUSER_ID, api

ODOO_BIN = Path(odoo.__file__).resolve().parent.parent / "odoo-bin"


def odoo_command(port, log, *options):
    """The command line of an Odoo server on the test database of `./dev test`."""
    conf = os.environ["LEAD_ENERGY_ODOO_CONF"]
    dbname = os.environ["LEAD_ENERGY_TEST_DB"]
    return [
        sys.executable,
        str(ODOO_BIN),
        "-c",
        conf,
        "-d",
        dbname,
        f"--db-filter=^{dbname}$",
        f"--http-port={port}",
        f"--logfile={log}",
        *options,
    ]


@pytest.fixture(scope="session")
def odoo_server_command():
    """``odoo_command`` and a free port, for tests that start servers of their
    own: (log, *options) -> (port, command line)."""

    def command(log, *options):
        port = free_port()
        return port, odoo_command(port, log, *options)

    return command


@pytest.fixture(scope="session")
def odoo_server(tmp_path_factory):
    """An Odoo server process on the test database, on a free local port."""
    conf = os.environ.get("LEAD_ENERGY_ODOO_CONF")
    dbname = os.environ.get("LEAD_ENERGY_TEST_DB")
    if not (conf and dbname):
        pytest.fail("run these tests through `./dev test` (it prepares the database)")
    port = free_port()
    log = tmp_path_factory.mktemp("odoo-server") / "odoo.log"
    with open(log, "w") as log_file:
        proc = subprocess.Popen(
            odoo_command(port, log, "--max-cron-threads=0"),
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common").version()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"Odoo server did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.5)
    yield {"url": url, "db": dbname, "log": log}
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()


SERVER_ERROR = re.compile(r"^\S+ \S+ \d+ (ERROR|CRITICAL) ", re.MULTILINE)


@pytest.fixture(autouse=True)
def server_errors_fail_the_test(request):
    """An error the Odoo server logs while a test talks to it fails the test,
    like an error logged in the test process (see the root conftest.py)."""
    if "odoo_server" not in request.fixturenames:
        yield
        return
    log = request.getfixturevalue("odoo_server")["log"]
    start = log.stat().st_size
    yield
    with open(log, encoding="utf-8", errors="replace") as log_file:
        log_file.seek(start)
        logged = log_file.read()
    errors = [m.start() for m in SERVER_ERROR.finditer(logged)]
    if errors:
        pytest.fail(f"the Odoo server logged errors:\n{logged[errors[0]:][:3000]}")


@pytest.fixture(scope="session")
def login(odoo_server):
    """An XML-RPC caller for a login of the test database: call(model, method,
    *args, **kwargs), with the user's id as ``call.uid``."""
    url, db = odoo_server["url"], odoo_server["db"]
    common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common")
    models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object", allow_none=True)

    def connect(user, password):
        uid = common.authenticate(db, user, password, {})
        assert uid, f"{user} must log in to the test database"

        def call(model, method, *args, **kwargs):
            return models.execute_kw(
                db, uid, password, model, method, list(args), kwargs
            )

        call.uid = uid
        return call

    return connect


@pytest.fixture(scope="session")
def admin(login):
    return login("admin", "admin")


@pytest.fixture
def connect():
    """Cursors of their own on the test database, committed for real: one per
    user or worker of a concurrency test, as (cursor, superuser env)."""
    dbname = os.environ.get("LEAD_ENERGY_TEST_DB")
    if not dbname:
        pytest.fail("run these tests through `./dev test` (it prepares the database)")
    cursors = []

    def cursor():
        cr = odoo.sql_db.db_connect(dbname).cursor()
        cursors.append(cr)
        return cr, api.Environment(cr, SUPERUSER_ID, {})

    yield cursor
    for cr in cursors:
        with contextlib.suppress(Exception):
            cr.rollback()
        cr.close()
