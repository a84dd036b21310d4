"""The manifest version goes up with every change of the data model.

``data_model.json`` records, per version of the module, the stored fields the
module defines (model, field, type, related model, selection keys). The
current version's record must be the data model of the working tree: a change
of the data model needs a new version (and a migration when the existing data
needs one). ``LEAD_ENERGY_RECORD_DATA_MODEL=1 ./dev test <this file>`` records
the data model of a new version; it never changes the record of a version that
has one.
"""

import ast
import json
import os
from pathlib import Path

from odoo.tests import TransactionCase, tagged

ADDON = Path(__file__).resolve().parent.parent
RECORD = Path(__file__).resolve().parent / "data_model.json"


def manifest_version():
    return ast.literal_eval((ADDON / "__manifest__.py").read_text())["version"]


def field_line(model, field):
    line = f"{model}.{field.name}: {field.type}"
    if field.relational:
        line += f" -> {field.comodel_name}"
    if field.type == "selection" and isinstance(field.selection, list):
        line += " [" + ", ".join(str(key) for key, _label in field.selection) + "]"
    return line


def data_model(env):
    return sorted(
        field_line(model_name, field)
        for model_name, model in env.registry.items()
        for field in model._fields.values()
        if field.store and field._module == "lead_energy"
    )


@tagged("post_install", "-at_install")
class TestDataModelVersion(TransactionCase):
    def test_the_version_says_when_the_data_model_changed(self):
        version = manifest_version()
        recorded = json.loads(RECORD.read_text()) if RECORD.exists() else {}
        current = data_model(self.env)
        if os.environ.get("LEAD_ENERGY_RECORD_DATA_MODEL") and version not in recorded:
            recorded[version] = current
            RECORD.write_text(json.dumps(recorded, indent=2, sort_keys=True) + "\n")
        self.assertIn(
            version,
            recorded,
            "the data model of this version is not recorded: "
            "LEAD_ENERGY_RECORD_DATA_MODEL=1 records it",
        )
        self.assertEqual(
            current,
            recorded[version],
            f"the data model is not the one of {version}: raise the manifest "
            "version (with a migration if the data needs one) and record it",
        )
        self.assertGreater(len(current), 50)
