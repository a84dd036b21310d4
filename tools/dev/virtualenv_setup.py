"""The project's virtual environment .venv: Odoo's and the project's requirements."""

import hashlib
import re
import sys

from .common import LOCAL, ROOT, VENV, run, say
from .debian import BUILD_DEBS, ensure_debs
from .odoo_source import odoo_pth, venv_odoo


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
