"""Business cards rendered with PIL, with the values printed on them: the
test data of the card reader (tests and ``./dev bench cards``).

Made at run time, never committed: German, Austrian, Swiss and British cards
in German and English, in four layouts (left, centred, two columns, logo on
the right), logos as blocks, on a table photographed by a phone: light
noise, a small tilt, a JPEG of 2000 × 1500 pixels. Some are upside down, some
lie on their side with the EXIF orientation saying so, as phones store them.
"""

import io
import random
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import phonenumbers
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/truetype/liberation"),
)
FONTS = (
    ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
    ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf"),
    ("LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf"),
)
LAYOUTS = ("left", "centred", "two_columns", "logo_right")
PHOTO_SIZE = (2000, 1500)
CARD_SIZE = (1400, 850)

FIRST_NAMES = (
    "Anna",
    "Jürgen",
    "Sabine",
    "Thomas",
    "Katrin",
    "Lukas",
    "Elif",
    "Markus",
    "Claudia",
    "Stefan",
    "Jörg",
    "Miriam",
    "Florian",
    "Hannah",
    "Özlem",
    "Niklas",
    "Petra",
    "Tobias",
    "Ursula",
    "Bernd",
    "Sophie",
    "Dominik",
    "Karin",
    "Felix",
)
LAST_NAMES = (
    "Korn",
    "Müller",
    "Schäfer",
    "Weber",
    "Köhler",
    "Brandt",
    "Huber",
    "Yilmaz",
    "Hofmann",
    "Richter",
    "Lindner",
    "Bauer",
    "Keller",
    "Vogt",
    "Krüger",
    "Weiß",
    "Fischer",
    "Neumann",
    "Schulz",
    "Hartmann",
    "Wagner",
    "Becker",
    "Lehmann",
)
ENGLISH_FIRST = ("John", "Emma", "Oliver", "Charlotte", "James", "Amelia", "Harry")
ENGLISH_LAST = ("Miller", "Clarke", "Hughes", "Turner", "Walsh", "Bennett", "Price")
TITLES = ("", "", "", "", "Dr. ", "Dipl.-Ing. ")
FUNCTIONS_DE = (
    "Geschäftsführer",
    "Vertriebsleiterin",
    "Projektleiter Photovoltaik",
    "Leiterin Einkauf",
    "Energieberater",
    "Technischer Leiter",
    "Key Account Manager",
    "Inhaber",
)
FUNCTIONS_EN = (
    "Managing Director",
    "Head of Sales",
    "Project Manager Solar",
    "Purchasing Manager",
    "Energy Consultant",
    "Sales Engineer",
)
COMPANY_STEMS = (
    "Sonnenkraft",
    "Rheinau Solar",
    "Nordwind Energie",
    "Elbtal Speicher",
    "Voltwerk",
    "Alpenstrom",
    "Gebäudetechnik Brunner",
    "Helios Dach",
    "Windkraft Hohe Heide",
    "Stadtwerke Talbach",
    "Kühlhaus Frisch",
    "Druckerei Lindner",
    "Autohaus Berger",
    "Agrar Elbaue",
)
LEGAL_FORMS = {
    "DE": (
        "GmbH",
        "GmbH & Co. KG",
        "AG",
        "e.K.",
        "UG (haftungsbeschränkt)",
        "SE",
        "KG",
    ),
    "AT": ("GmbH", "AG", "KG", "e.U."),
    "CH": ("AG", "GmbH", "SA"),
    "GB": ("Ltd", "Limited", "PLC"),
}
STREET_NAMES = (
    "Hafen",
    "Linden",
    "Bahnhof",
    "Industrie",
    "Sonnen",
    "Mühlen",
    "Garten",
    "Schiller",
    "Goethe",
    "Wiesen",
    "Kirch",
    "Berg",
)
STREET_SUFFIXES = ("straße", "weg", "gasse", "allee", "ring", "platz")
UK_STREETS = ("Baker Street", "King's Road", "Mill Lane", "Station Road", "High Street")
PLACES = {
    "DE": (
        ("77866", "Rheinau", "7844"),
        ("10115", "Berlin", "30"),
        ("20095", "Hamburg", "40"),
        ("80331", "München", "89"),
        ("50667", "Köln", "221"),
        ("70173", "Stuttgart", "711"),
        ("39104", "Magdeburg", "391"),
        ("01067", "Dresden", "351"),
        ("28195", "Bremen", "421"),
        ("04109", "Leipzig", "341"),
        ("79098", "Freiburg im Breisgau", "761"),
        ("49074", "Osnabrück", "541"),
    ),
    "AT": (
        ("1010", "Wien", "1"),
        ("6020", "Innsbruck", "512"),
        ("8010", "Graz", "316"),
        ("4020", "Linz", "732"),
        ("5020", "Salzburg", "662"),
    ),
    "CH": (
        ("8001", "Zürich", "44"),
        ("3011", "Bern", "31"),
        ("4051", "Basel", "61"),
        ("6003", "Luzern", "41"),
    ),
    "GB": (
        ("W1U 3BW", "London", "20"),
        ("M1 1AE", "Manchester", "161"),
        ("B1 1BB", "Birmingham", "121"),
        ("LS1 4AP", "Leeds", "113"),
    ),
}
MOBILE_PREFIXES = {
    "DE": ("151", "160", "170", "171", "172", "176"),
    "AT": ("664", "676", "699"),
    "CH": ("79", "78", "76"),
    "GB": ("79", "74", "75"),
}
# Countries whose numbers have one length (without the leading 0).
NATIONAL_LENGTH = {"GB": 10, "CH": 9}
TLDS = {"DE": "de", "AT": "at", "CH": "ch", "GB": "co.uk"}
COUNTRY_PREFIX = {"DE": "D-", "AT": "A-", "CH": "CH-"}
LABELS = {
    "de": {
        "phone": ("Tel.", "Telefon", "T"),
        "mobile": ("Mobil", "Mobil:", "M"),
        "fax": "Fax",
    },
    "en": {"phone": ("Phone:", "Tel.", "T"), "mobile": ("Mobile:", "M"), "fax": "Fax:"},
}


@dataclass
class Card:
    """A rendered card: the JPEG as a phone stores it, and what it says."""

    image: bytes
    truth: dict
    layout: str
    orientation: str = "upright"
    lines: list = field(default_factory=list)


def make_cards(count=60, seed=2026):
    """``count`` cards, the same for the same seed."""
    rng = random.Random(seed)
    return [_make_card(rng, index) for index in range(count)]


def _make_card(rng, index):
    country = ("DE", "DE", "DE", "AT", "CH", "GB")[index % 6]
    language = "en" if country == "GB" or index % 5 == 4 else "de"
    truth = _person(rng, country, language)
    layout = LAYOUTS[index % len(LAYOUTS)]
    fonts = FONTS[(index // len(LAYOUTS)) % len(FONTS)]
    card, lines = _render(rng, truth, layout, fonts, language, country)
    orientation = "upright"
    if index % 10 == 7:
        orientation = "upside_down"
    elif index % 10 == 3:
        orientation = "exif_rotated"
    image = _photograph(rng, card, orientation)
    return Card(image, truth, layout, orientation, lines)


def _person(rng, country, language):
    if country == "GB":
        first, last = rng.choice(ENGLISH_FIRST), rng.choice(ENGLISH_LAST)
        title = ""
    else:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        title = rng.choice(TITLES)
    stem = rng.choice(COMPANY_STEMS)
    company = f"{stem} {rng.choice(LEGAL_FORMS[country])}"
    domain = f"{_ascii(stem).lower().replace(' ', '-')}.{TLDS[country]}"
    local = rng.choice(
        (
            f"{_ascii(first)}.{_ascii(last)}",
            f"{_ascii(first)[0]}.{_ascii(last)}",
            f"{_ascii(last)}",
        )
    ).lower()
    zip_code, city, area = rng.choice(PLACES[country])
    if country == "GB":
        street = f"{rng.randint(1, 120)} {rng.choice(UK_STREETS)}"
    else:
        street = (
            f"{rng.choice(STREET_NAMES)}{rng.choice(STREET_SUFFIXES)} "
            f"{rng.randint(1, 140)}{rng.choice(('', '', '', 'a', 'b'))}"
        )
    functions = FUNCTIONS_EN if language == "en" else FUNCTIONS_DE
    return {
        "name": f"{title}{first} {last}",
        "company": company,
        "function": rng.choice(functions),
        "email": f"{local}@{domain}",
        "phone": _number(rng, country, area, 6 if len(area) > 2 else 7),
        "mobile": _number(rng, country, rng.choice(MOBILE_PREFIXES[country]), 7)
        if rng.random() < 0.7
        else "",
        "website": f"www.{domain}",
        "street": street,
        "zip": zip_code,
        "city": city,
        "country_code": country,
    }


def _number(rng, country, prefix, digits):
    """A valid number of ``country``, in international format."""
    code = phonenumbers.country_code_for_region(country)
    if country in NATIONAL_LENGTH:
        digits = NATIONAL_LENGTH[country] - len(prefix)
    for attempt in range(50):
        length = digits + (attempt % 2 if country not in NATIONAL_LENGTH else 0)
        subscriber = str(rng.randint(2, 9)) + "".join(
            str(rng.randint(0, 9)) for _digit in range(length - 1)
        )
        number = phonenumbers.parse(f"+{code}{prefix}{subscriber}")
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(
                number, phonenumbers.PhoneNumberFormat.INTERNATIONAL
            )
    raise ValueError(f"no valid number for {country} {prefix}")


def _printed_number(rng, international, country):
    """The number as people print it: national, +49 (0)…, with slashes."""
    number = phonenumbers.parse(international)
    style = rng.randint(0, 3)
    if style == 0 or country == "GB":
        return international
    national = phonenumbers.format_number(
        number, phonenumbers.PhoneNumberFormat.NATIONAL
    )
    if style == 1:
        return national
    if style == 2:
        code = number.country_code
        rest = international.split(" ", 1)[1]
        return f"+{code} (0){rest}"
    area, _space, subscriber = national.partition(" ")
    return f"{area}/{subscriber.replace(' ', '')}" if subscriber else national


def _render(rng, truth, layout, fonts, language, country):
    width, height = CARD_SIZE
    card = Image.new("RGB", CARD_SIZE, _paper(rng))
    draw = ImageDraw.Draw(card)
    regular, bold = (_font(name) for name in fonts)
    sizes = {"name": 54, "big": 44, "text": 34, "small": 30}
    labels = LABELS[language]
    contact = [
        f"{rng.choice(labels['phone'])} {_printed_number(rng, truth['phone'], country)}"
    ]
    if truth["mobile"]:
        contact.append(
            f"{rng.choice(labels['mobile'])} "
            f"{_printed_number(rng, truth['mobile'], country)}"
        )
    if rng.random() < 0.3:
        contact.append(
            f"{labels['fax']} {_printed_number(rng, truth['phone'], country)[:-2]}99"
        )
    contact += [truth["email"], truth["website"]]
    zip_line = f"{truth['zip']} {truth['city']}"
    if country == "GB":
        zip_line = f"{truth['city']} {truth['zip']}"
    elif rng.random() < 0.3 and country in COUNTRY_PREFIX:
        zip_line = f"{COUNTRY_PREFIX[country]}{zip_line}"
    address = [truth["street"], zip_line]
    person = [
        (truth["name"], bold, sizes["name"]),
        (truth["function"], regular, sizes["text"]),
    ]
    company = [(truth["company"], bold, sizes["big"])]
    rest = [(line, regular, sizes["small"]) for line in address + contact]
    ink = _ink(rng)
    logo_box = None
    if layout == "two_columns":
        left = company + [("", regular, 20)] + person
        _column(draw, left, (70, 90, width // 2 - 20, height - 60), ink)
        _column(draw, rest, (width // 2 + 40, 90, width - 50, height - 60), ink)
    elif layout == "centred":
        logo_box = (width // 2 - 60, 30, width // 2 + 60, 120)
        box = (60, 140, width - 60, height - 30)
        _column(draw, company + person + rest, box, ink, centred=True)
    elif layout == "logo_right":
        logo_box = (width - 230, 50, width - 70, 210)
        _column(draw, person + company, (70, 50, width - 260, 330), ink)
        _column(draw, rest, (70, 330, width - 50, height - 40), ink)
    else:
        logo_box = (70, 50, 190, 130)
        _column(draw, company + person, (70, 150, width - 60, 400), ink)
        _column(draw, rest, (70, 400, width - 60, height - 40), ink)
    if logo_box:
        _logo(draw, rng, logo_box)
    lines = [line for line, _font_, _size in company + person + rest if line]
    return card, lines


def _column(draw, lines, box, ink, centred=False):
    """``lines`` in ``box`` (left, top, right, bottom), centred vertically,
    each font made smaller until its line fits the width."""
    left, top, right, bottom = box
    fitted = []
    for text, font_path, size in lines:
        font = ImageFont.truetype(str(font_path), size)
        while text and size > 18 and draw.textlength(text, font=font) > right - left:
            size -= 2
            font = ImageFont.truetype(str(font_path), size)
        fitted.append((text, font, size))
    height = sum(int(size * 1.3) for _text, _font, size in fitted)
    y = top + max(0, (bottom - top - height) // 2)
    x = (left + right) // 2 if centred else left
    for text, font, size in fitted:
        if text:
            draw.text(
                (x, y), text, fill=ink, font=font, anchor="ma" if centred else "la"
            )
        y += int(size * 1.3)


def _logo(draw, rng, box):
    colour = rng.choice(((232, 160, 32), (30, 110, 170), (60, 150, 70), (200, 60, 50)))
    if rng.random() < 0.5:
        draw.rectangle(box, fill=colour)
    else:
        draw.ellipse(box, fill=colour)


def _photograph(rng, card, orientation):
    """The card on a table, as a phone photographs it."""
    card = card.filter(ImageFilter.GaussianBlur(0.6))
    angle = rng.uniform(-2.5, 2.5)
    shadow = Image.new("RGBA", card.size, (0, 0, 0, 255))
    rotated = card.convert("RGBA").rotate(angle, expand=True, resample=Image.BICUBIC)
    shadow = shadow.rotate(angle, expand=True)
    table = Image.new("RGB", PHOTO_SIZE, _table(rng))
    left = (PHOTO_SIZE[0] - rotated.width) // 2 + rng.randint(-60, 60)
    top = (PHOTO_SIZE[1] - rotated.height) // 2 + rng.randint(-60, 60)
    table.paste((40, 40, 40), (left + 12, top + 12), shadow.getchannel("A"))
    table.paste(rotated, (left, top), rotated.getchannel("A"))
    photo = _noise(rng, table)
    exif = None
    if orientation == "upside_down":
        photo = photo.rotate(180)
    elif orientation == "exif_rotated":
        # Stored sideways; the EXIF orientation 6 says "turn 90° clockwise".
        photo = photo.transpose(Image.ROTATE_90)
        exif = Image.Exif()
        exif[0x0112] = 6
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG", quality=85, **({"exif": exif} if exif else {}))
    return buffer.getvalue()


def _noise(rng, image):
    noise = Image.effect_noise(image.size, 12).convert("RGB")
    return Image.blend(image, noise, 0.06)


def _paper(rng):
    tone = rng.randint(238, 255)
    return (tone, tone, rng.randint(tone - 12, tone))


def _ink(rng):
    return rng.choice(((20, 20, 20), (30, 40, 80), (50, 50, 50)))


def _table(rng):
    return rng.choice(((120, 90, 60), (90, 90, 95), (160, 150, 140), (60, 70, 60)))


def _font(name):
    for directory in FONT_DIRS:
        path = directory / name
        if path.exists():
            return path
    raise FileNotFoundError(
        f"Font {name} is missing: apt-get install fonts-dejavu-core fonts-liberation"
    )


def _ascii(text):
    text = text.replace("ß", "ss").replace("ä", "ae").replace("ö", "oe")
    text = text.replace("ü", "ue").replace("Ä", "Ae").replace("Ö", "Oe")
    text = text.replace("Ü", "Ue")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
