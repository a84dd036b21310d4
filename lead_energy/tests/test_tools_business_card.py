from odoo.tests import BaseCase

from ..tools.business_card import FIELDS, parse_card


class TestBusinessCardParser(BaseCase):
    """The card's text, as Tesseract reads it, split into the lead's fields:
    no OCR and no database here."""

    def assertCard(self, text, expected, country_code="DE"):
        found = parse_card(text, country_code)
        self.assertEqual(set(found), set(FIELDS))
        self.assertEqual({key: found[key] for key in expected}, expected)
        return found

    def test_german_card(self):
        self.assertCard(
            """SOLARWERK
            Solarwerk Rheinau GmbH
            Dr. Anna Korn
            Geschäftsführerin
            Hafenstraße 12
            77866 Rheinau
            Tel. +49 7844 91234-0 | Mobil 0171 1234567
            Fax 07844 91234-99
            anna.korn@solarwerk-rheinau.de
            www.solarwerk-rheinau.de""",
            {
                "name": "Dr. Anna Korn",
                "company": "Solarwerk Rheinau GmbH",
                "function": "Geschäftsführerin",
                "street": "Hafenstraße 12",
                "zip": "77866",
                "city": "Rheinau",
                "country_code": "DE",
                "phone": "+49 7844 912340",
                "mobile": "+49 171 1234567",
                "email": "anna.korn@solarwerk-rheinau.de",
                "website": "www.solarwerk-rheinau.de",
            },
        )

    def test_english_card(self):
        self.assertCard(
            """John Miller
            Head of Sales
            Greenfield Energy Ltd
            12 Baker Street
            London W1U 3BW
            Phone: +44 20 7946 0958
            Mobile: +44 7911 123456
            john.miller@greenfield-energy.co.uk
            greenfield-energy.co.uk""",
            {
                "name": "John Miller",
                "function": "Head of Sales",
                "company": "Greenfield Energy Ltd",
                "street": "12 Baker Street",
                "zip": "W1U 3BW",
                "city": "London",
                "country_code": "GB",
                "phone": "+44 20 7946 0958",
                "mobile": "+44 7911 123456",
                "website": "greenfield-energy.co.uk",
            },
            country_code="GB",
        )

    def test_austrian_card_numbers_without_prefix_are_austrian(self):
        self.assertCard(
            """Mag. Lukas Huber
            Vertriebsleiter
            Alpen Energie e.U.
            A-6020 Innsbruck
            Museumstraße 5
            T 0512 123456
            lukas.huber@alpen-energie.at""",
            {
                "name": "Mag. Lukas Huber",
                "company": "Alpen Energie e.U.",
                "zip": "6020",
                "city": "Innsbruck",
                "street": "Museumstraße 5",
                "country_code": "AT",
                "phone": "+43 512 123456",
                "website": "",
            },
        )

    def test_swiss_card_with_a_zero_in_brackets(self):
        self.assertCard(
            """Helios Dach AG
            Katrin Neumann
            Lindenallee 41
            CH-4051 Basel
            Tel. +41 (0)61 686 62 83
            M +41 (0)79 810 55 00""",
            {
                "company": "Helios Dach AG",
                "name": "Katrin Neumann",
                "zip": "4051",
                "city": "Basel",
                "country_code": "CH",
                "phone": "+41 61 686 62 83",
                "mobile": "+41 79 810 55 00",
            },
        )

    def test_unlabelled_mobile_number_and_fax_left_out(self):
        found = self.assertCard(
            "Bernd Vogt\nTelefax 030 1234599\n0171 7654321\n030/1234567",
            {"mobile": "+49 171 7654321", "phone": "+49 30 1234567"},
        )
        self.assertNotIn("99", found["phone"][-2:])

    def test_company_without_legal_form_and_name_from_the_email(self):
        self.assertCard(
            """Stadtwerke Talbach
            Energieberater
            Sven Bauer
            Rathausplatz 1
            79874 Talbach
            s.bauer@stadtwerke-talbach.de""",
            {
                "company": "Stadtwerke Talbach",
                "function": "Energieberater",
                "name": "Sven Bauer",
                "street": "Rathausplatz 1",
            },
        )

    def test_ocr_slips_mended(self):
        # Dots of umlauts lost, ß read apart, the @ with spaces.
        self.assertCard(
            "Jurgen Muller\nHans Wei ß\njuergen.mueller @ mueller-solar.de",
            {"name": "Jürgen Müller", "email": "juergen.mueller@mueller-solar.de"},
        )
        self.assertCard("Hans Wei ß\nh.weiss@example.com", {"name": "Hans Weiß"})

    def test_text_without_card_values(self):
        found = parse_card("~~~ ||| \n\n  . , ;")
        self.assertEqual(set(found.values()), {""})
        self.assertEqual(set(parse_card("").values()), {""})
