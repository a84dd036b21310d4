"""PostgreSQL: the embedded cluster (run as another system user when root) or
an existing server given by settings, and the queries the tool needs."""

import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from .common import (
    DB_ROLE,
    LOCAL,
    SetupError,
    is_root,
    local_digest,
    run,
    say,
    venv_bin,
)


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
        owner = self.system_user()  # it must enter LOCAL's parent (the checkout)
        reachable = subprocess.run(
            ["runuser", "-u", owner, "--", "test", "-x", str(LOCAL.parent)],
            check=False,
        )
        if reachable.returncode == 0:
            return base
        # e.g. a clone under /root: PostgreSQL cannot run as root, and its
        # system user cannot enter the checkout.
        digest = local_digest()
        return Path("/var/tmp") / f"lead_energy-pg-{digest}"

    def socket_dir(self):
        sock = self.base / "run"
        # A unix socket path must stay under 108 bytes.
        if len(str(sock / ".s.PGSQL.65535")) < 100:
            return sock
        digest = local_digest()
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
