#!/usr/bin/env python3
"""Set up and drive a development Odoo 18.0 for lead_energy.

Only the standard library is used here: this script runs with the system
Python before the project's virtual environment exists.

    ./dev run [--reset]   set everything up, run Odoo with lead_energy on demo data
    ./dev test [ARGS]     set everything up, lint, run every test on a fresh database
    ./dev setup           only find Odoo, build the venv and start PostgreSQL
    ./dev stop            stop the embedded PostgreSQL cluster
"""

import argparse
import ast
import fcntl
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADDON = "lead_energy"
LOCAL = ROOT / ".local"  # git-ignored: venv-independent runtime state
VENV = ROOT / ".venv"
CACHE = Path(
    os.environ.get("LEAD_ENERGY_CACHE")
    or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "lead_energy"
)
ODOO_CACHE = CACHE / "odoo-18.0"
ODOO_URL = os.environ.get(
    "LEAD_ENERGY_ODOO_URL",
    "https://github.com/odoo/odoo/archive/refs/heads/18.0.tar.gz",
)
DOWNLOAD_TIMEOUT = int(os.environ.get("LEAD_ENERGY_DOWNLOAD_TIMEOUT", "1800"))
CONNECT_TIMEOUT = 20
DB_ROLE = "lead_energy"
RUN_DB = os.environ.get("LEAD_ENERGY_DB", "lead_energy_demo")
TEST_DB = os.environ.get("LEAD_ENERGY_TEST_DB", "lead_energy_test")
HTTP_PORT = int(os.environ.get("LEAD_ENERGY_HTTP_PORT", "8069"))
TEST_HTTP_PORT = int(os.environ.get("LEAD_ENERGY_TEST_HTTP_PORT", "8169"))
BUILD_DEBS = ["libpq-dev", "libldap2-dev", "libsasl2-dev"]


def say(msg):
    print(f"[dev] {msg}", flush=True)


class SetupError(Exception):
    """A problem the user has to fix; printed without a traceback."""


def run(cmd, check=True, **kw):
    return subprocess.run([str(c) for c in cmd], check=check, **kw)


def is_root():
    return os.geteuid() == 0


# --------------------------------------------------------------------------
# Debian packages
# --------------------------------------------------------------------------


def missing_debs(packages):
    if not shutil.which("dpkg-query"):
        return []
    missing = []
    for pkg in packages:
        out = subprocess.run(
            ["dpkg-query", "-W", "-f=${Status}", pkg],
            capture_output=True,
            text=True,
            check=False,
        )
        if "install ok installed" not in out.stdout:
            missing.append(pkg)
    return missing


def ensure_debs(packages, why):
    missing = missing_debs(packages)
    if not missing:
        return
    line = "apt-get install -y " + " ".join(missing)
    if not is_root():
        raise SetupError(
            f"Debian packages needed for {why} are missing. Run as root:\n"
            f"    sudo apt-get update && sudo {line}"
        )
    say(f"installing Debian packages for {why}: {' '.join(missing)}")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    run(["apt-get", "update", "-qq"], env=env)
    run(["apt-get", "install", "-y", "-qq", *missing], env=env)


# --------------------------------------------------------------------------
# Odoo source
# --------------------------------------------------------------------------


def odoo_series(src):
    """Return the series ("18.0") of the Odoo source tree at src, or None."""
    release = Path(src) / "odoo" / "release.py"
    if not release.is_file() or not (Path(src) / "odoo-bin").is_file():
        return None
    match = re.search(r"^version_info = \((\d+), (\d+)", release.read_text(), re.M)
    return f"{match.group(1)}.{match.group(2)}" if match else None


def check_series(src, origin):
    series = odoo_series(src)
    if series != "18.0":
        raise SetupError(
            f"{origin} ({src}) is not an Odoo 18.0 source tree "
            f"(found: {series or 'no odoo/release.py and odoo-bin'})."
        )
    return Path(src)


def venv_odoo():
    """The Odoo source importable in the venv not through our own .pth file."""
    python = VENV / "bin" / "python"
    if not python.exists():
        return None
    out = subprocess.run(
        [
            python,
            "-c",
            "import os, odoo; print(os.path.dirname(os.path.dirname(odoo.__file__)))",
        ],
        capture_output=True,
        text=True,
        check=False,
        env=dict(os.environ, PYTHONPATH=""),
    )
    if out.returncode != 0:
        return None
    src = Path(out.stdout.strip())
    pth = odoo_pth()
    if pth and pth.exists() and pth.read_text().strip() == str(src):
        return None  # ours: decide again from ODOO_SRC / the cache
    return src if (src / "odoo-bin").exists() else None


def download_odoo():
    say(
        f"downloading Odoo 18.0 Community from {ODOO_URL} (timeout {DOWNLOAD_TIMEOUT}s)"
    )
    CACHE.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=CACHE, prefix="download-"))
    try:
        archive = tmp / "odoo.tar.gz"
        started = time.monotonic()
        with urllib.request.urlopen(ODOO_URL, timeout=CONNECT_TIMEOUT) as resp:
            with archive.open("wb") as out:
                while chunk := resp.read(1 << 20):
                    out.write(chunk)
                    if time.monotonic() - started > DOWNLOAD_TIMEOUT:
                        raise TimeoutError(f"download took over {DOWNLOAD_TIMEOUT}s")
        with tarfile.open(archive) as tar:
            tar.extractall(tmp / "x", filter="data")
        (top,) = list((tmp / "x").iterdir())
        check_series(top, "the downloaded archive")
        top.rename(ODOO_CACHE)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def find_odoo():
    """Find Odoo 18.0: venv, $ODOO_SRC, the cache, then a download."""
    src = venv_odoo()
    if src:
        return check_series(src, "the odoo importable in .venv")
    if os.environ.get("ODOO_SRC"):
        return check_series(Path(os.environ["ODOO_SRC"]).resolve(), "$ODOO_SRC")
    if ODOO_CACHE.exists():
        return check_series(ODOO_CACHE, "the cache directory")
    if os.environ.get("LEAD_ENERGY_NO_DOWNLOAD") != "1":
        try:
            download_odoo()
            return check_series(ODOO_CACHE, "the cache directory")
        except (OSError, TimeoutError, tarfile.TarError, ValueError) as exc:
            say(f"download failed: {exc}")
    raise SetupError(
        "No Odoo 18.0 source found and it could not be downloaded.\n"
        "Do one of these, then run the command again:\n"
        "  - export ODOO_SRC=/path/to/odoo   (an Odoo 18.0 Community source tree,\n"
        "    the directory that holds odoo-bin)\n"
        f"  - put that source tree at {ODOO_CACHE}\n"
        "    e.g. git clone --depth 1 -b 18.0 https://github.com/odoo/odoo "
        f"{ODOO_CACHE}"
    )


# --------------------------------------------------------------------------
# Virtual environment
# --------------------------------------------------------------------------


def odoo_pth():
    found = sorted(VENV.glob("lib/python3*/site-packages"))
    return found[0] / "lead_energy_odoo.pth" if found else None


def requirement_name(line):
    match = re.match(r"\s*([A-Za-z0-9_.\-]+)", line)
    return match.group(1).lower().replace("_", "-") if match else None


def merged_requirements(odoo_src):
    """Odoo's requirements.txt with the project's overrides applied."""
    overrides = {}
    for line in (
        (ROOT / "tools" / "odoo-requirements-overrides.txt").read_text().splitlines()
    ):
        line = line.split("#", 1)[0].strip()
        if line:
            overrides[requirement_name(line)] = line
    lines, replaced = [], set()
    for line in (odoo_src / "requirements.txt").read_text().splitlines():
        name = requirement_name(line.split("#", 1)[0])
        if name in overrides:
            if name not in replaced:
                lines.append(overrides[name])
                replaced.add(name)
            continue
        lines.append(line)
    return "\n".join(lines) + "\n"


def ensure_venv(odoo_src):
    requirements = merged_requirements(odoo_src)
    dev_requirements = (ROOT / "requirements-dev.txt").read_text()
    stamp_value = hashlib.sha256(
        "\0".join([sys.version, requirements, dev_requirements]).encode()
    ).hexdigest()
    stamp = VENV / ".lead_energy-stamp"
    if not (stamp.exists() and stamp.read_text() == stamp_value):
        ensure_debs(BUILD_DEBS, "building Odoo's Python requirements")
        if not (VENV / "bin" / "python").exists():
            say(f"creating the virtual environment {VENV}")
            run([sys.executable, "-m", "venv", VENV])
        pip = [
            VENV / "bin" / "python",
            "-m",
            "pip",
            "--disable-pip-version-check",
            "-q",
        ]
        say("installing Odoo's and the project's Python requirements (a few minutes)")
        # Several of Odoo's old pins only build from source with setuptools<70.
        run([*pip, "install", "setuptools<70", "wheel"])
        merged = LOCAL / "odoo-requirements.txt"
        LOCAL.mkdir(exist_ok=True)
        merged.write_text(requirements)
        run([*pip, "install", "--no-build-isolation", "-r", merged])
        run(
            [
                *pip,
                "install",
                "--no-build-isolation",
                "-r",
                ROOT / "requirements-dev.txt",
            ]
        )
        stamp.write_text(stamp_value)
    else:
        say("virtual environment up to date")
    if venv_odoo() is None:
        pth = odoo_pth()
        if not pth.exists() or pth.read_text().strip() != str(odoo_src):
            pth.write_text(f"{odoo_src}\n")


def venv_bin(name):
    return VENV / "bin" / name


# --------------------------------------------------------------------------
# PostgreSQL
# --------------------------------------------------------------------------


class Postgres:
    """The database server: the embedded cluster or one given by settings."""

    def __init__(self):
        self.external = bool(os.environ.get("LEAD_ENERGY_DB_HOST"))
        if self.external:
            self.host = os.environ["LEAD_ENERGY_DB_HOST"]
            self.port = os.environ.get("LEAD_ENERGY_DB_PORT", "5432")
            self.user = os.environ.get("LEAD_ENERGY_DB_USER", DB_ROLE)
            self.password = os.environ.get("LEAD_ENERGY_DB_PASSWORD", "")
        else:
            self.base = self.cluster_base()
            self.data = self.base / "data"
            self.host = str(self.socket_dir())
            self.port = os.environ.get("LEAD_ENERGY_PG_PORT", "5432")
            self.user = DB_ROLE
            self.password = ""

    def cluster_base(self):
        """.local/postgres, unless the cluster's owner cannot reach the checkout."""
        base = LOCAL / "postgres"
        if not is_root():
            return base
        reachable = subprocess.run(
            ["runuser", "-u", self.system_user(), "--", "test", "-x", str(ROOT)],
            check=False,
        )
        if reachable.returncode == 0:
            return base
        # e.g. a clone under /root: PostgreSQL cannot run as root, and its
        # system user cannot enter the checkout.
        digest = hashlib.sha1(str(ROOT).encode()).hexdigest()[:10]
        return Path("/var/tmp") / f"lead_energy-pg-{digest}"

    def socket_dir(self):
        sock = self.base / "run"
        # A unix socket path must stay under 108 bytes.
        if len(str(sock / ".s.PGSQL.65535")) < 100:
            return sock
        digest = hashlib.sha1(str(ROOT).encode()).hexdigest()[:10]
        return Path(tempfile.gettempdir()) / f"lead_energy-pg-{digest}"

    # -- the embedded cluster ------------------------------------------------

    @staticmethod
    def pg_bin(name):
        found = shutil.which(name)
        if found:
            return found
        candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
        if candidates:
            return str(candidates[-1])
        raise SetupError(
            f"PostgreSQL's {name} is not installed. Install the server "
            "(Debian: apt-get install -y postgresql) or use an existing server "
            "with LEAD_ENERGY_DB_HOST/PORT/USER/PASSWORD (see README.md)."
        )

    def as_owner(self, cmd):
        """Run cmd as the cluster owner: PostgreSQL refuses to run as root."""
        if is_root():
            return ["runuser", "-u", self.system_user(), "--", *map(str, cmd)]
        return list(map(str, cmd))

    @staticmethod
    def system_user():
        user = os.environ.get("LEAD_ENERGY_PG_SYSTEM_USER", "postgres")
        if subprocess.run(
            ["id", "-u", user], capture_output=True, check=False
        ).returncode:
            say(f"creating the system user {user} to own the PostgreSQL cluster")
            run(
                [
                    "useradd",
                    "--system",
                    "--no-create-home",
                    "--shell",
                    "/usr/sbin/nologin",
                    user,
                ]
            )
        return user

    def running(self):
        out = subprocess.run(
            self.as_owner([self.pg_bin("pg_ctl"), "status", "-D", self.data]),
            capture_output=True,
            check=False,
        )
        return out.returncode == 0

    def init_cluster(self):
        say(f"creating the PostgreSQL cluster in {self.data}")
        self.base.mkdir(parents=True, exist_ok=True)
        if is_root():
            user = self.system_user()
            shutil.chown(self.base, user)
        run(
            self.as_owner(
                [
                    self.pg_bin("initdb"),
                    "-D",
                    self.data,
                    "-U",
                    "postgres",
                    "--auth-local=trust",
                    "--auth-host=reject",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                ]
            ),
            stdout=subprocess.DEVNULL,
        )

    def start(self):
        if self.external:
            return
        if not (self.data / "PG_VERSION").exists():
            self.init_cluster()
        sock = Path(self.host)
        sock.mkdir(parents=True, exist_ok=True)
        if is_root():
            shutil.chown(sock, self.system_user())
        if not self.running():
            say("starting the embedded PostgreSQL (unix socket only)")
            options = (
                f"-c listen_addresses='' -c unix_socket_directories='{sock}' "
                f"-p {self.port}"
            )
            run(
                self.as_owner(
                    [
                        self.pg_bin("pg_ctl"),
                        "start",
                        "-w",
                        "-D",
                        self.data,
                        "-l",
                        self.base / "postgres.log",
                        "-o",
                        options,
                    ]
                ),
                stdout=subprocess.DEVNULL,
            )
        self.ensure_role()

    def ensure_role(self):
        psql = [self.pg_bin("psql"), "-h", self.host, "-p", self.port, "-U", "postgres"]
        exists = subprocess.run(
            [
                *psql,
                "-d",
                "postgres",
                "-tAc",
                f"SELECT 1 FROM pg_roles WHERE rolname='{DB_ROLE}'",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        if not exists:
            say(f"creating the database role {DB_ROLE}")
            run(
                [
                    *psql,
                    "-d",
                    "postgres",
                    "-qc",
                    f"CREATE ROLE {DB_ROLE} LOGIN CREATEDB",
                ]
            )

    def stop(self):
        if self.external:
            say("using an external PostgreSQL server: nothing to stop")
            return
        if (self.data / "PG_VERSION").exists() and self.running():
            run(
                self.as_owner(
                    [self.pg_bin("pg_ctl"), "stop", "-w", "-m", "fast", "-D", self.data]
                )
            )
            say("PostgreSQL stopped")
        else:
            say("PostgreSQL is not running")

    # -- queries through the venv's psycopg2 --------------------------------

    def dsn(self, dbname):
        return {
            "dbname": dbname,
            "host": self.host,
            "port": self.port,
            "user": self.user,
            "password": self.password,
        }

    def query(self, sql, dbname="postgres", autocommit=True):
        """Run sql, return the rows as lists (JSON-serialisable values only)."""
        code = (
            "import json, sys, psycopg2\n"
            "args = json.loads(sys.argv[1])\n"
            "conn = psycopg2.connect(**args['dsn'])\n"
            "conn.autocommit = args['autocommit']\n"
            "cur = conn.cursor()\n"
            "cur.execute(args['sql'])\n"
            "rows = cur.fetchall() if cur.description else []\n"
            "print(json.dumps(rows, default=str))\n"
        )
        payload = json.dumps(
            {"dsn": self.dsn(dbname), "sql": sql, "autocommit": autocommit}
        )
        out = subprocess.run(
            [venv_bin("python"), "-c", code, payload],
            capture_output=True,
            text=True,
            check=False,
        )
        if out.returncode:
            raise SetupError(
                f"database query failed: {out.stderr.strip().splitlines()[-1]}"
            )
        return json.loads(out.stdout)

    def db_exists(self, dbname):
        return bool(self.query(f"SELECT 1 FROM pg_database WHERE datname = '{dbname}'"))

    def drop_db(self, dbname):
        for attempt in range(10):
            try:
                self.query(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
                break
            except SetupError:
                # e.g. autovacuum (a superuser process) still works in it
                if attempt == 9:
                    raise
                time.sleep(1)
        shutil.rmtree(LOCAL / "filestore" / "filestore" / dbname, ignore_errors=True)

    def copy_db(self, template, dbname):
        self.drop_db(dbname)
        self.query(f'CREATE DATABASE "{dbname}" TEMPLATE "{template}"')
        store = LOCAL / "filestore" / "filestore"
        if (store / template).exists():
            shutil.copytree(store / template, store / dbname)

    def module_state(self, dbname, module):
        if not self.db_exists(dbname):
            return None
        rows = self.query(
            f"SELECT state FROM ir_module_module WHERE name = '{module}'", dbname
        )
        return rows[0][0] if rows else None


# --------------------------------------------------------------------------
# Odoo
# --------------------------------------------------------------------------


def addons_path(odoo_src):
    return f"{odoo_src / 'addons'},{odoo_src / 'odoo' / 'addons'},{ROOT}"


def write_odoo_conf(odoo_src, pg, http_port):
    """The generated Odoo configuration every command here starts Odoo with."""
    conf = LOCAL / f"odoo-{http_port}.conf"
    LOCAL.mkdir(exist_ok=True)
    conf.write_text(
        "[options]\n"
        f"addons_path = {addons_path(odoo_src)}\n"
        f"data_dir = {LOCAL / 'filestore'}\n"
        f"db_host = {pg.host}\n"
        f"db_port = {pg.port}\n"
        f"db_user = {pg.user}\n"
        f"db_password = {pg.password or 'False'}\n"
        "http_interface = 127.0.0.1\n"
        f"http_port = {http_port}\n"
        "gevent_port = 0\n"
        "list_db = False\n"
        "max_cron_threads = 1\n"
    )
    return conf


def manifest_depends():
    manifest = ast.literal_eval((ROOT / ADDON / "__manifest__.py").read_text())
    return sorted(manifest.get("depends", []))


def odoo_bin(odoo_src, conf, *args, log=None, check=True):
    cmd = [venv_bin("python"), odoo_src / "odoo-bin", "-c", conf, *args]
    if log is None:
        return run(cmd, check=check)
    with open(log, "w") as fh:
        return run(cmd, check=check, stdout=fh, stderr=subprocess.STDOUT)


def errors_in_log(log):
    pattern = re.compile(r"^\S+ \S+ \d+ (ERROR|CRITICAL) ")
    return [line for line in Path(log).read_text().splitlines() if pattern.match(line)]


def addon_digest():
    """A fingerprint of the addon's files, to know when a database is behind."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / ADDON).rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def install(odoo_src, conf, dbname, modules, demo=True, label="", update=False):
    """Install (or update) modules in dbname; fail on any error logged."""
    log = LOCAL / f"install-{dbname}.log"
    mode = "-u" if update else "-i"
    args = ["-d", dbname, mode, ",".join(modules), "--stop-after-init", "--no-http"]
    if not demo:
        args.append("--without-demo=all")
    verb = "updating" if update else "installing"
    say(f"{verb} {', '.join(modules)} in {dbname}{label} (log: {log})")
    started = time.monotonic()
    result = odoo_bin(odoo_src, conf, *args, log=log, check=False)
    errors = errors_in_log(log)
    if result.returncode or errors:
        print("\n".join(Path(log).read_text().splitlines()[-40:]))
        raise SetupError(f"installing {', '.join(modules)} into {dbname} failed")
    say(f"installed in {time.monotonic() - started:.0f}s")


def ensure_template(odoo_src, pg, conf):
    """A database with the addon's dependencies and demo data, built once."""
    depends = manifest_depends()
    key = hashlib.sha256(
        json.dumps([str(odoo_src), odoo_series(odoo_src), depends]).encode()
    ).hexdigest()[:10]
    template = f"lead_energy_tmpl_{key}"
    if pg.module_state(template, depends[0]) == "installed" and all(
        pg.module_state(template, dep) == "installed" for dep in depends
    ):
        return template
    pg.drop_db(template)
    try:
        install(odoo_src, conf, template, depends, label=" (template, built once)")
    except BaseException:
        pg.drop_db(template)
        raise
    return template


# --------------------------------------------------------------------------
# Commands
# --------------------------------------------------------------------------


def setup():
    odoo_src = find_odoo()
    say(f"Odoo 18.0 source: {odoo_src}")
    ensure_venv(odoo_src)
    pg = Postgres()
    pg.start()
    return odoo_src, pg


def port_in_use(port):
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def cmd_run(args):
    LOCAL.mkdir(exist_ok=True)
    lock = open(LOCAL / "run.lock", "a+")  # noqa: SIM115 (held while Odoo runs)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.seek(0)
        pid = lock.read().strip() or "?"
        raise SetupError(
            f"Odoo is already running from this checkout (pid {pid}) at "
            f"http://127.0.0.1:{HTTP_PORT}. Stop it with Ctrl-C in its terminal "
            f"(or kill {pid}) before starting another one."
        ) from None
    if port_in_use(HTTP_PORT):
        raise SetupError(
            f"Port {HTTP_PORT} on 127.0.0.1 is already used by another program. "
            "Stop it, or choose another port: LEAD_ENERGY_HTTP_PORT=8070 ./dev run"
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
    lock.seek(0)
    lock.truncate()
    lock.write(str(os.getpid()))
    lock.flush()
    print(
        "\n"
        f"  Odoo with lead_energy: http://127.0.0.1:{HTTP_PORT}/odoo/crm\n"
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
    ]
    proc = subprocess.Popen([str(c) for c in cmd])
    try:
        returncode = proc.wait()
    except KeyboardInterrupt:
        # Ctrl-C in the terminal reached Odoo too; a second SIGINT would make
        # it skip its clean shutdown, so only forward one if it did not stop.
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        returncode = 0
    say("Odoo stopped")
    return returncode


def lint():
    say("lint: ruff, pylint-odoo mandatory checks, OCA module and .po checks")
    failed = False
    for cmd in (
        [venv_bin("ruff"), "check", "--no-fix", "."],
        [venv_bin("ruff"), "format", "--check", "."],
        [venv_bin("pylint"), "--rcfile", ROOT / ".pylintrc-mandatory", ADDON],
        [venv_bin("oca-checks-odoo-module"), ADDON],
        [venv_bin("oca-checks-po"), *sorted((ROOT / ADDON / "i18n").glob("*.po*"))],
    ):
        failed |= run(cmd, check=False, cwd=ROOT).returncode != 0
    if failed:
        raise SetupError(
            "lint failed (see above); most is fixed by\n"
            "    .venv/bin/ruff check --fix . && .venv/bin/ruff format ."
        )


def ensure_chromium():
    if any(shutil.which(b) for b in ("chromium", "google-chrome", "chromium-browser")):
        return
    ensure_debs(["chromium"], "the browser tests (tours)")
    if not shutil.which("chromium"):
        raise SetupError("Chromium is still not on PATH: browser tests cannot run.")


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
    env = dict(os.environ, LEAD_ENERGY_ODOO_CONF=str(conf), LEAD_ENERGY_TEST_DB=TEST_DB)
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
        *(args.pytest_args or [ADDON, "tests"]),
    ]
    say("running the tests with pytest-odoo")
    result = run(cmd, check=False, cwd=ROOT, env=env)
    say(f"test command finished in {time.monotonic() - started:.0f}s")
    return result.returncode


def cmd_bench(args):
    """Run bench/<name>.py against a fresh database with lead_energy installed."""
    script = ROOT / "bench" / f"{args.name}.py"
    if not script.is_file():
        names = sorted(
            p.stem for p in (ROOT / "bench").glob("*.py") if p.stem != "common"
        )
        raise SetupError(f"no benchmark {args.name!r}; there are: {', '.join(names)}")
    odoo_src, pg = setup()
    conf = write_odoo_conf(odoo_src, pg, HTTP_PORT)
    template = ensure_template(odoo_src, pg, conf)
    bench_db = os.environ.get("LEAD_ENERGY_BENCH_DB", "lead_energy_bench")
    pg.copy_db(template, bench_db)
    install(odoo_src, conf, bench_db, [ADDON])
    env = dict(os.environ, PYTHONPATH=str(ROOT / "bench"))
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
    return 0


def cmd_stop(_args):
    Postgres().stop()
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog="./dev", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_run = sub.add_parser("run", help="run Odoo with lead_energy on demo data")
    p_run.add_argument(
        "--reset", action="store_true", help="drop and recreate the demo database"
    )
    p_run.set_defaults(func=cmd_run)
    p_test = sub.add_parser("test", help="lint and run every test on a fresh database")
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
    try:
        return args.func(args)
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


if __name__ == "__main__":
    sys.exit(main())
