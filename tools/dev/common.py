"""What every part of the dev tool shares: paths, settings, output, errors."""

import hashlib
import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ADDON = "lead_energy"
DEFAULT_LOCAL = ROOT / ".local"  # git-ignored: venv-independent runtime state
LOCAL = (
    Path(os.path.abspath(os.environ["LEAD_ENERGY_LOCAL"]))
    if os.environ.get("LEAD_ENERGY_LOCAL")
    else DEFAULT_LOCAL
)
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
# ./dev run --workers N: Odoo's prefork mode; the websocket then has a port of
# its own, by default three above the HTTP port (8072 next to 8069, as Odoo's).
WORKERS = os.environ.get("LEAD_ENERGY_WORKERS", "0")  # parsed by ./dev run
GEVENT_PORT = int(os.environ.get("LEAD_ENERGY_GEVENT_PORT", str(HTTP_PORT + 3)))


def say(msg):
    print(f"[dev] {msg}", flush=True)


class SetupError(Exception):
    """A problem the user has to fix; printed without a traceback."""


def run(cmd, check=True, **kw):
    return subprocess.run([str(c) for c in cmd], check=check, **kw)


def is_root():
    return os.geteuid() == 0


def venv_bin(name):
    return VENV / "bin" / name


def local_digest():
    """A short name for this state (checkout and LOCAL) in shared directories."""
    key = str(ROOT) if LOCAL == DEFAULT_LOCAL else str(LOCAL)
    return hashlib.sha1(key.encode()).hexdigest()[:10]
