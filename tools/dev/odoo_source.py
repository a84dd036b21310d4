"""Find, download and check the Odoo 18.0 source tree."""

import os
import re
import shutil
import subprocess
import tarfile
import tempfile
import time
import urllib.request
from pathlib import Path

from .common import (
    CACHE,
    CONNECT_TIMEOUT,
    DOWNLOAD_TIMEOUT,
    ODOO_CACHE,
    ODOO_URL,
    VENV,
    SetupError,
    say,
)


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


def odoo_pth():
    found = sorted(VENV.glob("lib/python3*/site-packages"))
    return found[0] / "lead_energy_odoo.pth" if found else None


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
