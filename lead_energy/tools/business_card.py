"""Reading a business card's text: which line is the person, the company,
the function, the address, and the e-mail, phone, mobile and website.

Pure Python on the text Tesseract (or anything else) read, so it is tested on
text samples without OCR. German, Austrian and Swiss cards first, English
ones too. Every value is a proposal; the user decides what to take.
"""

import re

import phonenumbers

LEGAL_FORMS = (
    r"GmbH\s*&\s*Co\.?\s*KG(?:aA)?",
    r"gGmbH",
    r"GmbH",
    r"mbH",
    r"AG",
    r"KGaA",
    r"KG",
    r"OHG",
    r"GbR",
    r"PartG(?:\s*mbB)?",
    r"e\.\s?K\.",
    r"e\.\s?Kfm\.",
    r"e\.\s?V\.",
    r"eG",
    r"UG(?:\s*\(haftungsbeschränkt\))?",
    r"SE",
    r"Ltd\.?",
    r"Limited",
    r"PLC",
    r"LLP",
    r"LLC",
    r"Inc\.?",
    r"Corp\.?",
    r"S\.A\.",
    r"SA",
    r"e\.\s?U\.",
    r"S\.à\s?r\.l\.",
    r"B\.V\.",
    r"Sàrl",
)
LEGAL_FORM = re.compile(
    r"(?<![\w&])(?:" + "|".join(LEGAL_FORMS) + r")(?![\w])", re.IGNORECASE
)
# Words that make a line a company even without a legal form.
COMPANY_WORDS = re.compile(
    r"\b(Stadtwerke|Energie\w*|Solar\w*|Gemeinde|Landkreis|Verwaltung|Holding|"
    r"Gruppe|Group|Werke|Technik|Systeme|Systems|Services|Ingenieurbüro|"
    r"Genossenschaft|Verband|Institut|Klinikum|Hotel|Gasthof)\b",
    re.IGNORECASE,
)
FUNCTION_WORDS = re.compile(
    r"\b(Geschäftsführ\w*|Gesellschafter\w*|Inhaber\w*|Prokurist\w*|Vorstand\w*|"
    r"Leiter\w*|Leitung|Bereichsleit\w*|Abteilungsleit\w*|Projektleit\w*|"
    r"Vertrieb\w*|Verkauf\w*|Einkauf\w*|Berater\w*|Beraterin|Referent\w*|"
    r"Ingenieur\w*|Techniker\w*|Meister\w*|Sachbearbeit\w*|Assistenz|Assistent\w*|"
    r"Manager\w*|Management|Director|Direktor\w*|Head|Officer|CEO|CTO|CFO|COO|"
    r"Founder|Owner|Partner\w*|Engineer\w*|Consultant|Sales|Purchasing|"
    r"Procurement|Account|Executive|Specialist|Spezialist\w*|Coordinator|"
    r"Koordinator\w*|Bürgermeister\w*|Architekt\w*|Planer\w*|Energieberater\w*)\b",
    re.IGNORECASE,
)
TITLES = re.compile(
    r"^(?:(?:Dr|Prof|Dipl|Ing|Mag|B\.?\s?Sc|M\.?\s?Sc|MBA)[.\-\w]*\.?\s+)+"
)
EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)*\.[A-Za-z]{2,}")
WEBSITE = re.compile(
    r"(?<![@\w.])((?:https?://)?(?:www\.)?[a-z0-9][a-z0-9\-]*(?:\.[a-z0-9\-]+)*"
    r"\.(?:de|at|ch|com|net|org|eu|info|energy|solar|co\.uk|uk|io|biz|gmbh))"
    r"(?:/[^\s]*)?(?![\w@])",
    re.IGNORECASE,
)
PHONE_LABEL = re.compile(
    r"^\s*(?P<label>Tel(?:efon)?|Phone|Fon|Office|Festnetz|T|P|"
    r"Mobil(?:telefon)?|Mobile|Handy|Cell|M|"
    r"Fax|Telefax|F)\s*[.:]?\s*(?=[+(0-9])",
    re.IGNORECASE,
)
MOBILE_LABELS = {"mobil", "mobiltelefon", "mobile", "handy", "cell", "m"}
FAX_LABELS = {"fax", "telefax", "f"}
PHONE_CHARS = re.compile(r"[+(]?\d[\d\s()/.\-–]{5,}\d")
ZIP_CITY = re.compile(
    r"^(?:(?P<prefix>D|A|CH)\s?[-–]\s?)?(?P<zip>\d{4,5})\s+"
    r"(?P<city>[A-ZÄÖÜ][\w.'\-]*(?:\s+(?:[a-zäöü]{1,3}\.?\s+)?[A-ZÄÖÜ(][\w.'()\-]*)*)$"
)
UK_POSTCODE = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2})\b")
STREET = re.compile(
    r"^(?P<street>[A-ZÄÖÜ][\w.'\- ]*?"
    r"(?:stra(?:ß|ss)e|str\.|weg|gasse|platz|allee|ring|damm|ufer|chaussee|"
    r"markt|steig|pfad|hof|berg|park|Street|St\.|Road|Rd\.|Lane|Avenue|Ave\.)"
    r"\s*\d+\s?[a-zA-Z]?(?:\s*[-–/]\s*\d+\s?[a-zA-Z]?)?)$",
    re.IGNORECASE,
)
STREET_NUMBER_FIRST = re.compile(
    r"^(?P<street>\d+[a-zA-Z]?\s+[A-Z][\w.' ]+(?:Street|St\.|Road|Rd\.|Lane|"
    r"Avenue|Ave\.|Way|Place|Square|Court|Drive))$"
)
POSTBOX = re.compile(r"^(Postfach|P\.?O\.? Box)\b", re.IGNORECASE)
COUNTRY_OF_PREFIX = {"D": "DE", "A": "AT", "CH": "CH"}
COUNTRY_OF_TLD = {"de": "DE", "at": "AT", "ch": "CH", "uk": "GB"}
FIELDS = (
    "name",
    "company",
    "function",
    "email",
    "phone",
    "mobile",
    "website",
    "street",
    "zip",
    "city",
    "country_code",
)


def parse_card(text, country_code="DE"):
    """The fields read from ``text`` (a card's lines): a dict with the keys
    of FIELDS, "" where nothing was found. ``country_code`` is the country
    numbers without +prefix belong to, unless the card says otherwise."""
    lines = _clean_lines(text)
    result = dict.fromkeys(FIELDS, "")
    used = set()
    _read_email_and_website(lines, result, used)
    _read_address(lines, result, used, country_code)
    country = result["country_code"] or country_code
    _read_phones(lines, result, used, country)
    _read_company(lines, result, used)
    _read_function(lines, result, used)
    _read_name(lines, result, used)
    return result


def _clean_lines(text):
    lines = []
    for raw in (text or "").splitlines():
        line = raw.strip(" \t|·•_—~*:;,")
        line = re.sub(r"\s{2,}", " ", line)
        # OCR often reads an e-mail's @ with spaces around it, and a ß as a
        # word of its own.
        line = re.sub(r"\s*@\s*", "@", line)
        line = re.sub(r"(?<=\w) ß\b", "ß", line)
        if len(re.sub(r"\W", "", line)) >= 2:
            lines.append(line)
    return lines


def _read_email_and_website(lines, result, used):
    for index, line in enumerate(lines):
        email = EMAIL.search(line)
        if email and not result["email"]:
            result["email"] = email.group(0).lower().rstrip(".")
            used.add(index)
            continue
        website = WEBSITE.search(line.replace(" ", "") if "www" in line else line)
        if website and not result["website"] and not PHONE_CHARS.search(line):
            result["website"] = website.group(1).lower()
            used.add(index)
    if not result["website"] and result["email"]:
        domain = result["email"].split("@", 1)[1]
        if not _is_free_mail(domain):
            result["website"] = ""


def _is_free_mail(domain):
    return domain.split(".")[0] in {
        "gmail",
        "googlemail",
        "web",
        "gmx",
        "t-online",
        "yahoo",
        "hotmail",
        "outlook",
        "icloud",
        "freenet",
        "aol",
        "posteo",
        "mail",
    }


def _read_address(lines, result, used, default_country):
    for index, line in enumerate(lines):
        match = ZIP_CITY.match(line)
        if match and index not in used:
            country = _address_country(match, result, default_country)
            _take_address(
                lines, result, used, index, match["zip"], match["city"], country
            )
            return
    for index, line in enumerate(lines):
        postcode = UK_POSTCODE.search(line)
        if postcode and index not in used:
            city = line[: postcode.start()].strip(" ,")
            _take_address(lines, result, used, index, postcode.group(1), city, "GB")
            return


def _take_address(lines, result, used, index, zip_code, city, country):
    """The zip and city of line ``index``, and the street that goes with them."""
    result.update(zip=zip_code, city=city.strip(), country_code=country)
    used.add(index)
    street_index = _street_line(lines, index, used)
    if street_index is not None:
        result["street"] = lines[street_index]
        used.add(street_index)


def _address_country(match, result, default_country):
    if match["prefix"]:
        return COUNTRY_OF_PREFIX[match["prefix"]]
    if len(match["zip"]) == 5:
        return "DE"
    for value in (result["email"], result["website"]):
        tld = value.rsplit(".", 1)[-1] if value else ""
        if tld in ("at", "ch"):
            return COUNTRY_OF_TLD[tld]
    return default_country if default_country in ("AT", "CH") else "AT"


def _street_line(lines, zip_index, used):
    """The street: the line before the zip and city, or any street-like line."""
    candidates = [zip_index - 1, zip_index + 1] + list(range(len(lines)))
    for index in candidates:
        if 0 <= index < len(lines) and index not in used and index != zip_index:
            line = lines[index]
            if STREET.match(line) or STREET_NUMBER_FIRST.match(line):
                return index
    before = zip_index - 1
    if before >= 0 and before not in used and re.search(r"\d", lines[before]):
        if not PHONE_CHARS.search(lines[before]) or POSTBOX.match(lines[before]):
            return before
    return None


def _read_phones(lines, result, used, country):
    for index, line in enumerate(lines):
        if index in used:
            continue
        for label, number in _numbers_in(line):
            label = (label or "").lower()
            if label in FAX_LABELS:
                used.add(index)
                continue
            parsed = _parse_number(number, country)
            if not parsed:
                continue
            formatted = phonenumbers.format_number(
                parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL
            )
            is_mobile = label in MOBILE_LABELS or (
                not label
                and phonenumbers.number_type(parsed)
                == phonenumbers.PhoneNumberType.MOBILE
            )
            key = "mobile" if is_mobile else "phone"
            if not result[key]:
                result[key] = formatted
            used.add(index)


def _numbers_in(line):
    """(label, number) of each phone number on the line: "Tel. 030 123 |
    Mobil 0171 456" has two."""
    parts = re.split(r"\s*[|·•]\s*|\s{3,}", line)
    found = []
    for part in parts:
        labelled = PHONE_LABEL.match(part)
        label = labelled["label"] if labelled else None
        rest = part[labelled.end() :] if labelled else part
        number = PHONE_CHARS.search(rest)
        if number:
            found.append((label, number.group(0)))
    return found


def _parse_number(number, country):
    digits = re.sub(r"[^\d+]", "", number.replace("(0)", ""))
    if len(re.sub(r"\D", "", digits)) < 6:
        return None
    try:
        parsed = phonenumbers.parse(digits, country)
    except phonenumbers.NumberParseException:
        return None
    return parsed if phonenumbers.is_possible_number(parsed) else None


def _read_company(lines, result, used):
    for index, line in enumerate(lines):
        if index not in used and LEGAL_FORM.search(line):
            result["company"] = line
            used.add(index)
            return
    for index, line in enumerate(lines):
        if (
            index not in used
            and COMPANY_WORDS.search(line)
            and not FUNCTION_WORDS.search(line)
            and not re.search(r"\d", line)
        ):
            result["company"] = line
            used.add(index)
            return


def _read_function(lines, result, used):
    for index, line in enumerate(lines):
        if index in used or re.search(r"\d", line):
            continue
        if FUNCTION_WORDS.search(line) and not _looks_like_name(line, result):
            result["function"] = line
            used.add(index)
            return


def _read_name(lines, result, used):
    candidates = [
        (index, line)
        for index, line in enumerate(lines)
        if index not in used and _could_be_name(line)
    ]
    if not candidates:
        return
    local_part = result["email"].split("@")[0] if result["email"] else ""
    best = max(
        candidates,
        key=lambda candidate: (
            _email_match(candidate[1], local_part),
            -candidate[0],
        ),
    )
    result["name"] = _with_umlauts(best[1], local_part)
    used.add(best[0])


def _could_be_name(line):
    bare = TITLES.sub("", line)
    words = bare.split()
    if not 2 <= len(words) <= 4 or re.search(r"[\d@/]", line):
        return False
    if LEGAL_FORM.search(line) or COMPANY_WORDS.search(line):
        return False
    if FUNCTION_WORDS.search(line):
        return False
    return all(
        word[0].isupper() or word in ("von", "van", "de", "zu", "der", "den")
        for word in words
    )


def _looks_like_name(line, result):
    local_part = result["email"].split("@")[0] if result["email"] else ""
    return _email_match(line, local_part) >= 2


def _email_match(line, local_part):
    """How many words of ``line`` the e-mail's local part names."""
    if not local_part:
        return 0
    local = _ascii(local_part.lower())
    words = [_ascii(word.lower()) for word in TITLES.sub("", line).split()]
    score = sum(1 for word in words if len(word) > 1 and word in local)
    if words and len(local) > 1 and local[0] == words[0][:1] and words[-1] in local:
        score = max(score, 2)
    return score


def _with_umlauts(line, local_part):
    """OCR drops the dots of ä, ö, ü now and then; the e-mail address often
    spells them out (joerg.mueller@): "Jorg Muller" becomes "Jörg Müller"."""
    if not local_part:
        return line
    words = []
    for word in line.split():
        for plain, umlaut in (("a", "ä"), ("o", "ö"), ("u", "ü")):
            if plain in word and _ascii(word.lower()) not in local_part:
                candidate = word.replace(plain, umlaut, 1)
                if len(word) > 2 and _ascii(candidate.lower()) in local_part:
                    word = candidate
        words.append(word)
    return " ".join(words)


def _ascii(text):
    return (
        text.replace("ä", "ae")
        .replace("ö", "oe")
        .replace("ü", "ue")
        .replace("ß", "ss")
        .replace("é", "e")
    )
