"""Debian packages the tool needs: installed as root, else the apt-get line."""

import os
import shutil
import subprocess

from .common import SetupError, is_root, run, say

BUILD_DEBS = ["libpq-dev", "libldap2-dev", "libsasl2-dev"]
# Business card reading (optional for the addon, used by its tests and the
# card benchmark): Tesseract with German and English, and the fonts the test
# cards are rendered with.
OCR_DEBS = [
    "tesseract-ocr",
    "tesseract-ocr-deu",
    "tesseract-ocr-eng",
    "fonts-dejavu-core",
    "fonts-liberation",
]


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


def ensure_ocr():
    """Tesseract for reading business cards: installed as root; otherwise
    the line to run is printed and everything else goes on (the addon works
    without it, its card-reading tests say what is missing)."""
    missing = missing_debs(OCR_DEBS)
    if missing and not is_root():
        say(
            "business card reading needs Debian packages; as root run:\n"
            f"    sudo apt-get install -y {' '.join(missing)}"
        )
        return
    ensure_debs(OCR_DEBS, "reading business cards (Tesseract)")
