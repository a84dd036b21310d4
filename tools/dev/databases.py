"""Odoo's databases: the generated config, installs, the template database."""

import ast
import hashlib
import json
import re
import subprocess
import time
from pathlib import Path

from .common import ADDON, LOCAL, ROOT, SetupError, run, say, venv_bin
from .odoo_source import odoo_series


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
