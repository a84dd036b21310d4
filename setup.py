"""`pip install .` installs the addon as odoo.addons.lead_energy.

Odoo itself is not a dependency here: it is not on PyPI. Install this into the
Python environment that runs your Odoo 18.0.
"""

import ast
from pathlib import Path

from setuptools import setup

HERE = Path(__file__).resolve().parent
ADDON = HERE / "lead_energy"
MANIFEST = ast.literal_eval((ADDON / "__manifest__.py").read_text(encoding="utf-8"))


def addon_packages():
    return {
        ".".join(("odoo", "addons", *path.parent.relative_to(HERE).parts)): str(
            path.parent.relative_to(HERE)
        )
        for path in sorted(ADDON.rglob("__init__.py"))
    }


def addon_data_files():
    """Every file of the addon that is not a module of its packages: views,
    data, i18n, static, and the migration scripts (Python files in folders
    without __init__.py, which Odoo runs by path)."""
    return [
        str(path.relative_to(ADDON))
        for path in sorted(ADDON.rglob("*"))
        if path.is_file()
        and path.suffix != ".pyc"
        and (path.suffix != ".py" or not (path.parent / "__init__.py").exists())
    ] + ["__manifest__.py"]


PACKAGES = addon_packages()

setup(
    name="odoo-addon-lead_energy",
    version=MANIFEST["version"],
    description=MANIFEST["summary"],
    author=MANIFEST["author"],
    url=MANIFEST["website"],
    license=MANIFEST["license"],
    python_requires=">=3.10",
    install_requires=MANIFEST["external_dependencies"]["python"],
    # Business card reading (optional): also needs the tesseract program.
    extras_require={"ocr": ["pytesseract"]},
    packages=list(PACKAGES),
    package_dir=PACKAGES,
    package_data={"odoo.addons.lead_energy": addon_data_files()},
    zip_safe=False,
    classifiers=[
        "Framework :: Odoo",
        "Framework :: Odoo :: 18.0",
        "License :: OSI Approved :: GNU Lesser General Public License v3 (LGPLv3)",
        "Programming Language :: Python :: 3",
    ],
)
