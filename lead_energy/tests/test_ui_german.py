"""A German sales person sees no untranslated term: the lead form and its tabs,
the module's wizards and the lead board, in the browser.

Every installed module's German translations are loaded. A term of a screen
(a line, or a part of a line between commas and colons) counts as
untranslated when it is the English source of a German translation (of any
installed module) that differs from it, and is no German text itself
(``Status``, ``Name``, ``Lead`` stay as they are in German); headings shown in
capitals count too. A line with two English function words ("the", "for",
...) counts as an English sentence.
"""

import re
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged
from odoo.tools.translate import get_po_paths

from .common import ALL_LEADS, LeadEnergyHttpCase
from .test_i18n import I18N, SAME_IN_GERMAN, po_entries

LEADS_URL = "/odoo/action-lead_energy.crm_lead_action_energy_leads"
# The screens of the tour, each with a German term it must show (so that an
# empty or English screen cannot pass).
SCREENS = {
    "lead_form": "ALLGEMEINE INFORMATIONEN",
    "lead_form_tab_further_contacts": "Weitere Ansprechpartner",
    "lead_form_tab_marketing": "Kampagne",
    "lead_form_tab_status_history": "Kontaktiert am",
    "lead_form_tab_notes": "Notizen",
    "wizard_convert_contact": "Geschäftspartner",
    "wizard_convert_contact_person": "Ansprechpartner",
    "wizard_info_material": "Vorlage",
    "wizard_appointment_confirmation": "Vorlage",
    "wizard_opt_in": "Vorlage",
    "wizard_appointment_employees": "Mitarbeiter",
    "wizard_lost": "Verlustgrund",
    "board": "Vertriebstrichter",
    "board_charts": "Messe",
}


def german_translations(env, modules):
    """(English sources translated differently, every German text) of the
    German .po files of ``modules``."""
    english, german = set(), set()
    for module in modules:
        for path in get_po_paths(module, "de_DE", env=env):
            for source, value in po_entries(path):
                source, value = source.strip(), value.strip()
                if value:
                    german.add(value)
                    if value != source:
                        english.add(source)
    return english - german, german


ENGLISH_WORDS = {"the", "and", "for", "with", "of", "to", "is", "are", "your", "this"}


def terms(text):
    """The terms of a screen's text: lines, cells, and their parts between
    commas and colons, without a label's "?" or a sentence's full stop."""
    for part in re.split(r"[\n\t]|, |: ", text):
        term = part.strip().rstrip("?:.").strip()
        if term:
            yield term


def untranslated(text, english, english_in_capitals):
    found = [
        term
        for term in terms(text)
        if term in english or (term.isupper() and term in english_in_capitals)
    ]
    found += [
        line
        for line in text.splitlines()
        if len(ENGLISH_WORDS & set(line.split())) >= 2
    ]
    return sorted(set(found))


@tagged("post_install", "-at_install")
class TestUiGerman(LeadEnergyHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("de_DE")
        modules = cls.env["ir.module.module"].search([("state", "=", "installed")])
        modules._load_module_terms(modules.mapped("name"), ["de_DE"], overwrite=True)
        english, german = german_translations(cls.env, modules.mapped("name"))
        # Every term of this module, also one de.po lacks (not only those that
        # are translated somewhere), unless it is the same in German.
        module_terms = {
            source.strip() for source, _value in po_entries(I18N / "lead_energy.pot")
        }
        english |= module_terms - SAME_IN_GERMAN - german
        # Names of records Odoo does not translate (utm.source's name is no
        # translated field): they read as the administrator wrote them.
        english -= set(cls.env["utm.source"].search([]).mapped("name"))
        cls.english = english
        # Headings shown in capitals (by CSS), once for every screen.
        cls.english_in_capitals = {term.upper() for term in english} - {
            term.upper() for term in german
        }
        cls.greta = cls.tour_user(
            "le_greta",
            ALL_LEADS,
            name="Greta Deutsch",
            lang="de_DE",
            tz="Europe/Berlin",
        )

    def german_lead(self):
        """A lead with something in every section, made by the German user."""
        ref = self.env.ref
        start = fields.Datetime.now().replace(microsecond=0) + timedelta(days=3)
        return (
            self.env["crm.lead"]
            .with_user(self.greta)
            .create(
                {
                    "type": "lead",
                    "name": "Photovoltaik für das Autohaus Berger",
                    "partner_name": "Autohaus Berger GmbH",
                    "contact_name": "Jana Berger",
                    "email_from": "jana.berger@autohaus-berger.example",
                    "city": "Karlsruhe",
                    "user_id": self.greta.id,
                    "meeting_user_id": self.greta.id,
                    "appointment_start": start,
                    "appointment_stop": start + timedelta(hours=1),
                    "followup_user_id": self.greta.id,
                    "followup_deadline": fields.Date.today() + timedelta(days=7),
                    "interest_ids": [
                        (4, ref("lead_energy.crm_energy_interest_photovoltaics").id)
                    ],
                    "influence_option_id": ref(
                        "lead_energy.crm_lead_scoring_option_influence_decision_maker"
                    ).id,
                    "source_id": ref("lead_energy.utm_source_trade_fair").id,
                    "description": "<p>Dach 400 m², Süd.</p>",
                }
            )
        )

    def test_a_german_user_sees_no_untranslated_term(self):
        # The check finds English terms, in capitals and in sentences too.
        self.assertEqual(
            untranslated(
                "GENERAL INFORMATION\nName\nLost\nMissing for the estimate: x",
                self.english,
                self.english_in_capitals,
            ),
            ["GENERAL INFORMATION", "Lost", "Missing for the estimate: x"],
        )
        lead = self.german_lead()
        self.start_tour(
            f"{LEADS_URL}/{lead.id}",
            "lead_energy_german_screens",
            login=self.greta.login,
        )
        self.assertEqual(set(self.tour_texts), set(SCREENS))
        found = {
            screen: untranslated(text, self.english, self.english_in_capitals)
            for screen, text in self.tour_texts.items()
        }
        self.assertEqual(
            {screen: terms for screen, terms in found.items() if terms}, {}
        )
        not_german = [
            screen
            for screen, term in SCREENS.items()
            if term not in self.tour_texts[screen]
        ]
        self.assertEqual(not_german, [])
