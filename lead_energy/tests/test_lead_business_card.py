import base64
import io
from unittest.mock import patch

from PIL import Image

from odoo.tests import Form, tagged

from ..tools import card_reader
from .card_factory import make_cards
from .common import LeadEnergyCase

INSTALL = (
    "Reading business cards needs Tesseract: apt-get install tesseract-ocr "
    "tesseract-ocr-deu tesseract-ocr-eng, and pip install pytesseract"
)


@tagged("post_install", "-at_install")
class TestLeadBusinessCard(LeadEnergyCase):
    """Reading rendered business cards on the server, as the capture screen
    and the lead form ask for it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cards = make_cards(8)

    def read_card(self, card, values=None):
        picture = base64.b64encode(card.image).decode()
        Lead = self.env["crm.lead"].with_user(self.salesman)
        return Lead.lead_energy_read_card(picture, values or {})

    def proposed(self, answer):
        return {s["field"]: s["value"] for s in answer["suggestions"]}

    def test_this_server_reads_cards(self):
        self.assertIsNone(card_reader.ocr_unavailable(), INSTALL)

    def test_cards_read_upright_on_their_side_and_upside_down(self):
        # 0: left layout, 1: centred, 3: lying on its side (EXIF), 7: upside down.
        for index in (0, 1, 3, 7):
            card = self.cards[index]
            with self.subTest(card=index, layout=card.layout, turned=card.orientation):
                answer = self.read_card(card)
                self.assertEqual(answer["status"], "ok", answer["message"])
                proposed = self.proposed(answer)
                truth = card.truth
                self.assertEqual(proposed["email_from"], truth["email"])
                self.assertEqual(proposed["phone"], truth["phone"])
                self.assertEqual(proposed["partner_name"], truth["company"])
                self.assertEqual(proposed["contact_name"], truth["name"])
                self.assertEqual(
                    (proposed["zip"], proposed["city"]), (truth["zip"], truth["city"])
                )
                country = self.env["res.country"].browse(proposed["country_id"][0])
                self.assertEqual(country.code, truth["country_code"])
                self.assertEqual(sorted(answer["take_all"]), sorted(proposed))

    def test_typed_values_are_never_taken_over_by_take_all(self):
        card = self.cards[0]
        answer = self.read_card(
            card,
            {
                "partner_name": "Typed Company GmbH",
                "email_from": card.truth["email"],
                "country_id": False,
            },
        )
        by_field = {s["field"]: s for s in answer["suggestions"]}
        self.assertTrue(by_field["partner_name"]["conflict"])
        self.assertNotIn("partner_name", answer["take_all"])
        self.assertNotIn("email_from", by_field)  # the lead says so already
        self.assertIn("contact_name", answer["take_all"])

    def test_a_picture_without_text_says_so(self):
        blank = io.BytesIO()
        Image.new("RGB", (1200, 800), "white").save(blank, "PNG")
        Lead = self.env["crm.lead"].with_user(self.salesman)
        for picture in (base64.b64encode(blank.getvalue()).decode(), "not base64!"):
            answer = Lead.lead_energy_read_card(picture, {})
            self.assertEqual(answer["status"], "unreadable")
            self.assertIn("Photograph the card again", answer["message"])
            self.assertFalse(answer["suggestions"])

    def test_without_tesseract_the_module_says_why(self):
        Settings = self.env["res.config.settings"]
        with patch.object(card_reader, "pytesseract", None):
            answer = self.read_card(self.cards[0])
            status = Settings.new({}).lead_energy_card_reading
        self.assertEqual(answer["status"], "unavailable")
        self.assertIn("pytesseract", answer["message"])
        self.assertIn("pytesseract", status)
        with patch.object(card_reader.shutil, "which", return_value=None):
            answer = self.read_card(self.cards[0])
        self.assertIn("apt-get install tesseract-ocr", answer["message"])
        self.assertIn("Available", Settings.new({}).lead_energy_card_reading)

    # -- Capture Lead ----------------------------------------------------------

    def capture_form(self, user=None):
        action = self.env.ref("lead_energy.crm_lead_action_capture")
        context = {"default_type": "lead", "lead_energy_capture": True}
        Lead = self.env["crm.lead"].with_user(user or self.salesman)
        return Form(Lead.with_context(**context), view=action.view_id)

    def test_capture_presets_the_source_and_the_last_campaign(self):
        trade_fair = self.env.ref("lead_energy.utm_source_trade_fair")
        fair = self.env["utm.campaign"].create({"name": "Intersolar 2027"})
        form = self.capture_form()
        self.assertEqual(form.source_id, trade_fair)
        self.assertFalse(form.campaign_id)
        form.name = "Carport PV"
        form.campaign_id = fair
        form.influence_option_id = self.env.ref(
            "lead_energy.crm_lead_scoring_option_influence_decision_maker"
        )
        lead = form.save()
        self.assertTrue(lead.lead_number)
        self.assertGreater(lead.lead_score, 0)
        self.assertEqual(lead.type, "lead")
        self.assertEqual(self.capture_form().campaign_id, fair)
        # Another sales person's captures are theirs.
        self.assertFalse(self.capture_form(self.salesman_all).campaign_id)
        # Outside the capture screen nothing is preset.
        self.assertFalse(self.lead_form().source_id)

    def test_capture_next_opens_a_new_capture(self):
        lead = self.create_lead()
        action = lead.with_user(self.salesman).action_capture_next()
        self.assertEqual(action["res_model"], "crm.lead")
        self.assertEqual(action["path"], "capture-lead")
        self.assertFalse(action.get("res_id"))
        self.assertIn("lead_energy_capture", action["context"])
