"""Business card reading: how many fields come out right, and how fast.

Renders N business cards (default 60) with the test data generator of the
addon (lead_energy/tests/card_factory.py: German, Austrian, Swiss and British
cards in four layouts, as phone photos, some on their side or upside down),
reads each one as the capture screen does (``crm.lead.lead_energy_read_card``:
EXIF and orientation, Tesseract, the module's parser) and compares every
proposal with what the card says. Prints the share of exact fields per field
(e-mail, phone, mobile, website, person, company, function, the address as
street + zip + city) against the targets, and the time per card next to the
baseline measured on the same pictures in the same run: one plain Tesseract
reading of the picture as it comes (``image_to_string``, no orientation, no
parsing). Usage: ./dev bench cards [--cards N]
"""

import base64
import io
import statistics
import time

from common import odoo_env, parse_args, seconds_text

FIELDS = {
    "email": ("email_from", 95),
    "phone": ("phone", 95),
    "mobile": ("mobile", 95),
    "website": ("website", 95),
    "name": ("contact_name", 90),
    "company": ("partner_name", 90),
    "function": ("function", None),
    "address": (("street", "zip", "city"), 85),
}


def main():
    args = parse_args(__doc__, cards=(int, 60, "number of cards (at least 60)"))
    with odoo_env(args) as env:
        # Importable once Odoo knows the addons path.
        from odoo.addons.lead_energy.tests.card_factory import make_cards
        from odoo.addons.lead_energy.tools import card_reader

        if card_reader.ocr_unavailable():
            raise SystemExit(f"Tesseract is unusable: {card_reader.ocr_unavailable()}")
        cards = make_cards(args.cards)
        Lead = env["crm.lead"]
        right = dict.fromkeys(FIELDS, 0)
        counted = dict.fromkeys(FIELDS, 0)
        module_times, plain_times = [], []
        for index, card in enumerate(cards):
            plain_times.append(plain_reading(card_reader, card.image))
            started = time.perf_counter()
            answer = Lead.lead_energy_read_card(base64.b64encode(card.image), {})
            module_times.append(time.perf_counter() - started)
            proposed = {s["field"]: s["value"] for s in answer["suggestions"]}
            for key, (fname, _target) in FIELDS.items():
                expected, found = compare(card.truth, proposed, key, fname)
                if key == "mobile" and not card.truth["mobile"]:
                    continue
                counted[key] += 1
                if expected == found:
                    right[key] += 1
                else:
                    print(
                        f"  card {index} ({card.layout}, {card.orientation}) "
                        f"{key}: {expected!r} read as {found!r}"
                    )
    print(f"\n{len(cards)} cards, field by field (exact):")
    failed = False
    for key, (_fname, target) in FIELDS.items():
        share = 100.0 * right[key] / counted[key]
        verdict = ""
        if target:
            verdict = f"  target {target} %: {'met' if share >= target else 'MISSED'}"
            failed |= share < target
        print(f"  {key:9} {right[key]:3}/{counted[key]:<3} {share:5.1f} %{verdict}")
    module, plain = statistics.median(module_times), statistics.median(plain_times)
    upright = [
        seconds
        for seconds, card in zip(module_times, cards, strict=True)
        if card.orientation != "upside_down"
    ]
    print(
        f"\ntime per card: module {seconds_text(module)} median, "
        f"{seconds_text(statistics.quantiles(module_times, n=10)[-1])} 90th "
        f"percentile, {seconds_text(max(upright))} slowest upright, "
        f"{seconds_text(max(module_times))} slowest (upside down: read twice); "
        f"plain Tesseract reading {seconds_text(plain)} median; ratio "
        f"{module / plain:.2f}x"
    )
    return 1 if failed else 0


def compare(truth, proposed, key, fname):
    if key == "address":
        expected = tuple(truth[k] for k in ("street", "zip", "city"))
        return expected, tuple(proposed.get(f, "") for f in fname)
    return truth[key], proposed.get(fname, "")


def plain_reading(card_reader, image):
    """The baseline: Tesseract on the picture as stored, nothing else."""
    from PIL import Image

    started = time.perf_counter()
    card_reader.pytesseract.image_to_string(
        Image.open(io.BytesIO(image)), lang="+".join(card_reader.LANGUAGES)
    )
    return time.perf_counter() - started


if __name__ == "__main__":
    raise SystemExit(main())
