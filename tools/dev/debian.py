"""Debian packages the tool needs: installed as root, else the apt-get line."""

import os
import shutil
import subprocess

from .common import SetupError, is_root, run, say

BUILD_DEBS = ["libpq-dev", "libldap2-dev", "libsasl2-dev"]


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


def ensure_chromium():
    if any(shutil.which(b) for b in ("chromium", "google-chrome", "chromium-browser")):
        return
    ensure_debs(["chromium"], "the browser tests (tours)")
    if not shutil.which("chromium"):
        raise SetupError("Chromium is still not on PATH: browser tests cannot run.")
