from odoo.tests import BaseCase

from ..tools.company_matching import (
    company_email_domain,
    core_name,
    match_points,
    match_reasons,
    web_domain,
)


def partner(name, domains=(), phone=False):
    return {"name": name, "domains": set(domains), "phone": phone}


class TestCompanyMatching(BaseCase):
    """Matching a lead's company against existing ones, without a database."""

    def test_core_name_drops_legal_forms_case_and_commas(self):
        self.assertEqual(core_name("Stadtwerke Rheinau GmbH"), "stadtwerke rheinau")
        self.assertEqual(core_name("Solarpark Elbaue eG"), "solarpark elbaue")
        self.assertEqual(core_name("Windpark Nord KG"), "windpark nord")
        self.assertEqual(core_name("Sonnwerk Montage, e.V."), "sonnwerk montage")
        self.assertEqual(core_name("Agentur Ltd"), "agentur")
        self.assertEqual(core_name("Müller GmbH & Co. KG"), "müller")
        self.assertEqual(core_name("Meier&Co KG"), "meier")
        self.assertEqual(core_name(False), "")

    def test_core_name_keeps_words_that_contain_a_legal_form(self):
        self.assertEqual(core_name("Agrar Kgaa Augsburg"), "agrar kgaa augsburg")
        self.assertEqual(core_name("Müller & Söhne GmbH"), "müller & söhne")

    def test_web_domain(self):
        self.assertEqual(web_domain("https://www.stadtwerke-rheinau.de/kontakt"),
                         "stadtwerke-rheinau.de")  # fmt: skip
        self.assertEqual(web_domain("www.example.com"), "example.com")
        self.assertEqual(web_domain("example.org"), "example.org")
        self.assertFalse(web_domain(""))
        self.assertFalse(web_domain(False))

    def test_freemail_domains_say_nothing_about_the_company(self):
        self.assertFalse(company_email_domain("gmx.de"))
        self.assertFalse(company_email_domain("gmail.com"))
        self.assertEqual(company_email_domain("sonnwerk.de"), "sonnwerk.de")

    def test_reasons_for_name_domain_website_and_phone(self):
        found = partner(
            "Stadtwerke Rheinau GmbH",
            domains={"stadtwerke-rheinau.de"},
            phone="+4972211234",
        )
        reasons = match_reasons(
            "stadtwerke rheinau",
            "stadtwerke-rheinau.de",
            "stadtwerke-rheinau.de",
            "+4972211234",
            found,
        )
        # The same domain by e-mail and website counts once.
        self.assertEqual(reasons, ["name", "domain", "phone"])
        self.assertEqual(match_points(reasons), 40 + 30 + 35)

    def test_similar_name_and_website_only(self):
        found = partner("Stadtwerke Rheinau Netz GmbH", domains={"rheinau.example"})
        reasons = match_reasons(
            "stadtwerke rheinau", False, "rheinau.example", False, found
        )
        self.assertEqual(reasons, ["similar_name", "website"])
        self.assertEqual(match_points(reasons), 25 + 30)

    def test_nothing_in_common(self):
        found = partner("Bäckerei Brunner", domains={"brunner.example"}, phone="+49")
        self.assertEqual(
            match_reasons("stadtwerke rheinau", "other.example", False, False, found),
            [],
        )
        # Empty lead keys never match empty partner keys.
        self.assertEqual(match_reasons("", False, False, False, partner(False)), [])
