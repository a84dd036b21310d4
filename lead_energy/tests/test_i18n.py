from pathlib import Path

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import PoFileReader

I18N = Path(__file__).resolve().parent.parent / "i18n"


@tagged("post_install", "-at_install")
class TestGermanTranslation(TransactionCase):
    def test_german_terms_load(self):
        self.env["res.lang"]._activate_lang("de_DE")
        self.env["ir.module.module"]._load_module_terms(
            ["lead_energy"], ["de_DE"], overwrite=True
        )
        menu = self.env.ref("lead_energy.crm_lead_menu_energy_leads")
        self.assertEqual(menu.with_context(lang="de_DE").name, "Energie-Leads")
        self.assertEqual(menu.with_context(lang="en_US").name, "Energy Leads")


# The module's terms that are the same in German (names, loanwords, formulas):
# de.po leaves them untranslated. Every other term has its German translation.
SAME_IN_GERMAN = frozenset(
    {
        " + %(kwh)s kWh × %(storage_price)s EUR",
        "%(kva)s kVA × %(share)s",
        "%(kwp)s kWp × %(price)s EUR",
        "%(kwp)s kWp × %(specific)s kWh/kWp",
        "Code",
        "Empfehlung",
        "ID",
        "Kaltakquise",
        "Lead",
        "Leads",
        "LinkedIn",
        "Marketing",
        "Meeting",
        "Messe E-world",
        "Messe Intersolar",
        "Name",
        "Newsletter",
        "Opt-in",
        "Region",
        "Status",
        "Website-Anfrage",
    }
)


def po_entries(path):
    """(source, translation) of each entry of a .po or .pot file."""
    with open(path, "rb") as po:
        return {(entry["src"], entry["value"]) for entry in PoFileReader(po)}


@tagged("post_install", "-at_install")
class TestGermanTranslationComplete(TransactionCase):
    def test_every_term_is_translated_or_the_same_in_german(self):
        terms = {source for source, _value in po_entries(I18N / "lead_energy.pot")}
        translated = {source for source, value in po_entries(I18N / "de.po") if value}
        self.assertEqual(sorted(terms - translated - SAME_IN_GERMAN), [])
        self.assertEqual(sorted(SAME_IN_GERMAN - terms), [])
        self.assertEqual(sorted(SAME_IN_GERMAN & translated), [])
