"""Helpers of the tests that start and watch processes of their own."""

import configparser
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import odoo

ODOO_BIN = Path(odoo.__file__).resolve().parent.parent / "odoo-bin"


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(condition, timeout):
    """Whether ``condition()`` came true within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def odoo_options(conf_path):
    """The [options] of an Odoo configuration file, as a dict."""
    parser = configparser.ConfigParser()
    parser.read(conf_path)
    return dict(parser["options"])


def pg_env(options):
    """The environment for PostgreSQL's client programs on Odoo's server."""
    env = dict(os.environ, PGHOST=options["db_host"], PGPORT=options["db_port"])
    env["PGUSER"] = options["db_user"]
    if options.get("db_password", "False") != "False":
        env["PGPASSWORD"] = options["db_password"]
    return env


def run_odoo(conf, db, *args, script=None, log=None):
    """Run odoo-bin (or its shell with ``script``); return the output.

    The log (warnings and errors only) goes to ``log``."""
    command = [sys.executable, str(ODOO_BIN)]
    if script is not None:
        command.append("shell")
    command += ["-c", conf, "-d", db, "--log-level=warn", f"--logfile={log}", *args]
    done = subprocess.run(
        command, input=script, capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, done.stderr[-3000:] + Path(log).read_text()[-3000:]
    return done.stdout


def logged(log, *levels):
    """The lines of an Odoo log file at these levels."""
    return [
        line
        for line in Path(log).read_text().splitlines()
        if any(f" {level} " in line for level in levels)
    ]


@contextlib.contextmanager
def copied_database(conf, source, name):
    """A copy of the database ``source`` (and its filestore) named ``name``,
    dropped afterwards; ``source`` may be in use."""
    options = odoo_options(conf)
    env = pg_env(options)
    filestore = Path(options["data_dir"]) / "filestore"
    subprocess.run(["dropdb", "--if-exists", name], env=env, check=True)
    subprocess.run(["createdb", name], env=env, check=True)
    dump = subprocess.Popen(["pg_dump", "-Fc", source], env=env, stdout=subprocess.PIPE)
    subprocess.run(
        ["pg_restore", "--no-owner", "-d", name], env=env, stdin=dump.stdout, check=True
    )
    assert dump.wait() == 0
    if (filestore / source).exists():
        shutil.copytree(filestore / source, filestore / name, dirs_exist_ok=True)
    try:
        yield name
    finally:
        subprocess.run(["dropdb", "--if-exists", name], env=env, check=False)
        shutil.rmtree(filestore / name, ignore_errors=True)
