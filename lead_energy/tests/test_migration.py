import ast
import importlib.util
import re
from pathlib import Path

from odoo.tests import TransactionCase, tagged
from odoo.tools.parse_version import parse_version

ADDON = Path(__file__).resolve().parent.parent
MIGRATION_VERSION = "18.0.1.1.0"
MIGRATION = ADDON / "migrations" / MIGRATION_VERSION / "pre-migrate.py"


def load_migration(path=MIGRATION):
    """A migration script (its folder name has dots: no regular import)."""
    name = "_".join(path.parent.name.split(".") + [path.stem.replace("-", "_")])
    spec = importlib.util.spec_from_file_location(f"lead_energy_migration_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def addon_files(*suffixes):
    """The addon's files with these suffixes, without the migration scripts."""
    return [
        path
        for path in sorted(ADDON.rglob("*"))
        if path.is_file()
        and path.suffix in suffixes
        and "migrations" not in path.relative_to(ADDON).parts
    ]


@tagged("post_install", "-at_install")
class TestMigrationRenamedXmlids(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.migration = load_migration()
        cls.renamed = cls.migration.RENAMED_XMLIDS
        cls.old_of = {new: old for old, new in cls.renamed.items()}

    def _rows(self, names):
        return self.env["ir.model.data"].search(
            [("module", "=", "lead_energy"), ("name", "in", list(names))]
        )

    def _rename(self, row, name):
        row.name = name
        self.env.flush_all()

    def _migrate(self, version="18.0.1.0.0"):
        self.migration.migrate(self.env.cr, version)
        # The script writes with SQL, behind the ORM's back.
        self.env.invalidate_all()
        self.env.registry.clear_cache()

    def test_old_names_get_their_new_names_back(self):
        old_of = self.old_of
        rows = self._rows(old_of)
        records = {row.name: (row.model, row.res_id) for row in rows}
        # Every renamed record there is (the demo ones only with demo data).
        sample = {
            "crm_lead_view_form_energy",
            "crm_lead_lost_view_form_inherit_lead_energy",
            "crm_lead_scoring_criterion_need",
            "crm_lead_scoring_option_need_immediate",
        }
        self.assertLessEqual(sample, set(records))
        for row in rows:
            self._rename(row, old_of[row.name])
        self.assertFalse(self._rows(records))
        self.assertIsNone(self.env.ref("lead_energy.crm_lead_view_form_energy", False))

        self._migrate()

        for name, (model, res_id) in records.items():
            record = self.env.ref(f"lead_energy.{name}")
            self.assertEqual((record._name, record.id), (model, res_id), name)
        self.assertFalse(self._rows(self.renamed))
        for old in self.renamed:
            self.assertIsNone(self.env.ref(f"lead_energy.{old}", False), old)

    def test_a_new_name_in_use_is_not_taken_over(self):
        view = self.env.ref("lead_energy.crm_lead_view_form_energy")
        old_name = self.old_of["crm_lead_view_form_energy"]
        self.env["ir.model.data"].create(
            {
                "module": "lead_energy",
                "name": old_name,
                "model": "ir.ui.view",
                "res_id": self.env.ref("lead_energy.crm_lead_view_list_energy").id,
            }
        )
        self._migrate()
        self.assertEqual(self.env.ref("lead_energy.crm_lead_view_form_energy"), view)
        self.assertEqual(
            self.env.ref(f"lead_energy.{old_name}"),
            self.env.ref("lead_energy.crm_lead_view_list_energy"),
        )

    def test_nothing_happens_on_a_new_install(self):
        row = self._rows(["crm_lead_view_form_energy"])
        self._rename(row, self.old_of["crm_lead_view_form_energy"])
        self._migrate(version=False)
        self.assertEqual(row.name, self.old_of["crm_lead_view_form_energy"])

    def test_the_migration_runs_up_to_the_manifest_version(self):
        manifest = ast.literal_eval((ADDON / "__manifest__.py").read_text())
        self.assertLessEqual(
            parse_version(MIGRATION_VERSION), parse_version(manifest["version"])
        )

    def test_old_names_are_no_longer_used(self):
        # The mapping and the files cannot drift apart: no old name in the
        # XML, CSV, JavaScript, Python or translations of the addon, and
        # every new name is a record of its XML files.
        old = "|".join(map(re.escape, self.renamed))
        used = re.compile(rf"(?<![\w.])(?:lead_energy\.)?({old})(?!\w)")
        for path in addon_files(".xml", ".csv", ".js", ".py", ".po", ".pot"):
            found = sorted(set(used.findall(path.read_text())))
            self.assertFalse(found, f"{path.relative_to(ADDON)} uses old XML ids")
        defined = set()
        for path in addon_files(".xml"):
            defined.update(re.findall(r'\bid="([\w.]+)"', path.read_text()))
        self.assertFalse(set(self.renamed.values()) - defined)
        self.assertFalse(set(self.renamed) & set(self.renamed.values()))

    def test_translations_name_existing_records(self):
        # Odoo loads a translation of a view or a record by the XML id in the
        # .po comment and silently drops it when that id does not exist.
        known = set(self._rows_of_module().mapped("name"))
        for path in addon_files(".xml"):
            known.update(re.findall(r'\bid="([\w]+)"', path.read_text()))
        for path in addon_files(".po", ".pot"):
            named = set(
                re.findall(r"^#: .*?lead_energy\.(\w+)$", path.read_text(), re.M)
            )
            self.assertFalse(named - known, path.name)

    def _rows_of_module(self):
        return self.env["ir.model.data"].search([("module", "=", "lead_energy")])


@tagged("post_install", "-at_install")
class TestMigrationOfferSent(TransactionCase):
    """18.0.1.2.0 fills crm_lead.offer_sent with SQL before the update."""

    def test_the_migration_stores_what_the_compute_would(self):
        migration = load_migration(
            ADDON / "migrations" / "18.0.1.2.0" / "pre-migrate.py"
        )
        customer = self.env["res.partner"].create({"name": "Migration customer"})
        Lead = self.env["crm.lead"]
        leads = Lead.create(
            [
                {"name": f"Migration lead {n}", "partner_id": customer.id}
                for n in range(4)
            ]
        )
        states = ["draft", "sent", "sale", "cancel"]
        for lead, state in zip(leads, states, strict=True):
            order = self.env["sale.order"].create(
                {"partner_id": customer.id, "opportunity_id": lead.id}
            )
            order.state = state
        self.env.flush_all()
        self.assertEqual(leads.mapped("offer_sent"), [False, True, True, False])
        # As before the update: the column is there but empty.
        self.env.cr.execute("UPDATE crm_lead SET offer_sent = NULL")
        migration.migrate(self.env.cr, "18.0.1.1.0")
        self.env.cr.execute(
            "SELECT id, offer_sent FROM crm_lead WHERE id IN %s", [tuple(leads.ids)]
        )
        stored = dict(self.env.cr.fetchall())
        self.assertEqual(
            [stored[lead.id] for lead in leads], [False, True, True, False]
        )
        self.env.cr.execute("SELECT count(*) FROM crm_lead WHERE offer_sent IS NULL")
        self.assertEqual(self.env.cr.fetchone()[0], 0)
