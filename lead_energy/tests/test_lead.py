import base64
import io

from PIL import Image

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import LeadEnergyCase


def png_b64(width=40, height=20):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "orange").save(buffer, format="PNG")
    return base64.b64encode(buffer.getvalue()).decode()


@tagged("post_install", "-at_install")
class TestLeadValidation(LeadEnergyCase):
    def test_email_syntax(self):
        with self.assertRaisesRegex(ValidationError, "not a valid e-mail address"):
            self.create_lead(email_from="hansen at buergerwind")
        with self.assertRaisesRegex(ValidationError, "not a valid e-mail address"):
            self.create_lead(email_from="info at wind.example, sales at wind.example")
        lead = self.create_lead(email_from='"Jens Hansen" <hansen@wind.example>')
        self.assertEqual(lead.email_normalized, "hansen@wind.example")
        with self.assertRaisesRegex(ValidationError, "not a valid e-mail address"):
            lead.write({"email_from": "hansen at buergerwind"})

    def test_several_addresses_as_odoo_sends_to_them(self):
        lead = self.create_lead(email_from="a@wind.example, b@wind.example")
        self.assertEqual(lead.email_from, "a@wind.example, b@wind.example")
        lead.write({"email_from": "a@wind.example; Jens <jens@wind.example>"})

    def test_contacts_with_two_addresses_stay_editable(self):
        contact = self.env["res.partner"].create(
            {"name": "Jens Hansen", "email": "jens@wind.example"}
        )
        lead = self.create_lead(partner_id=contact.id)
        self.assertEqual(lead.email_from, "jens@wind.example")
        # Edited in the Contacts app, whatever Odoo accepts there: the lead
        # follows and nothing blocks the contact.
        contact.write({"email": "jens@wind.example, office@wind.example"})
        self.assertEqual(lead.email_from, "jens@wind.example, office@wind.example")
        contact.write({"email": "jens at the office"})
        self.env.flush_all()
        self.assertEqual(lead.email_from, "jens at the office")
        # A new lead for that contact can be created too.
        another = self.create_lead(name="Second project", partner_id=contact.id)
        self.assertEqual(another.email_from, "jens at the office")

    def test_website_syntax(self):
        for bad in ("not a website", "http://localhost", "https://exa mple.com"):
            with (
                self.subTest(website=bad),
                self.assertRaisesRegex(ValidationError, "not a valid website"),
            ):
                self.create_lead(website=bad)
        lead = self.create_lead(website="www.stadtwerke-rheinau.example")
        self.assertEqual(lead.website, "http://www.stadtwerke-rheinau.example")

    def test_phone_formatted_for_the_country(self):
        form = self.lead_form()
        form.name = "Battery for a farm"
        form.country_id = self.env.ref("base.de")
        form.phone = "0721 555210"
        self.assertEqual(form.phone, "+49 721 555210")
        lead = form.save()
        self.assertEqual(lead.phone_sanitized, "+49721555210")

    def test_business_card_accepts_an_image(self):
        lead = self.create_lead(business_card=png_b64())
        self.assertTrue(lead.business_card)

    def test_business_card_refuses_other_files(self):
        pdf = base64.b64encode(b"%PDF-1.4 not an image").decode()
        with self.assertRaisesRegex(ValidationError, "must be a picture"):
            self.create_lead(business_card=pdf)
        lead = self.create_lead()
        with self.assertRaisesRegex(ValidationError, "must be a picture"):
            lead.with_user(self.salesman).write({"business_card": pdf})
        self.assertFalse(lead.business_card)

    def test_business_card_accepts_mime_base64(self):
        """Base64 with line breaks, as base64.encodebytes and mail clients
        write it, is an image Odoo accepts."""
        raw = base64.b64decode(png_b64(300, 200))
        wrapped = base64.encodebytes(raw).decode()
        self.assertIn("\n", wrapped.rstrip("\n"))
        lead = self.create_lead(business_card=wrapped)
        image = Image.open(io.BytesIO(base64.b64decode(lead.business_card)))
        self.assertEqual(image.size, (300, 200))
        lead.with_user(self.salesman).write(
            {"business_card": base64.encodebytes(raw).replace(b"\n", b"\r\n")}
        )
        self.assertTrue(lead.business_card)

    def test_business_card_refuses_garbage_and_wrapped_non_images(self):
        with self.assertRaisesRegex(ValidationError, "could not be read"):
            self.create_lead(business_card="not base64 at all!\n")
        wrapped_pdf = base64.encodebytes(b"%PDF-1.4 " + b"x" * 200).decode()
        with self.assertRaisesRegex(ValidationError, "must be a picture"):
            self.create_lead(business_card=wrapped_pdf)

    def test_business_card_size_limit(self):
        too_big = base64.b64encode(b"\0" * (10 * 1024 * 1024 + 1)).decode()
        with self.assertRaisesRegex(ValidationError, "at most 10 MB"):
            self.create_lead(business_card=too_big)

    def test_business_card_is_downscaled(self):
        lead = self.create_lead(business_card=png_b64(4000, 2000))
        image = Image.open(io.BytesIO(base64.b64decode(lead.business_card)))
        self.assertEqual(image.size, (1920, 960))
