"""Reading a business card's picture on the server with Tesseract.

Optional: without ``pytesseract`` or the ``tesseract`` program the module
works, and ``ocr_unavailable()`` says why there are no suggestions.
"""

import io
import shutil

from PIL import Image, ImageOps, UnidentifiedImageError

try:
    import pytesseract
except ImportError:  # the module works without OCR
    pytesseract = None

LANGUAGES = ("deu", "eng")
# Below this mean word confidence the picture is probably on its side or
# upside down: the other orientations are read too, the best one wins.
UPRIGHT_CONFIDENCE = 60
# A card photographed by a phone fills half to most of the picture: at this
# width its small print is large enough for Tesseract (measured with the
# rendered cards of tests/card_factory.py: fewer errors than at 2000 or 2600).
WORKING_WIDTH = 3000


class CardReadError(Exception):
    """The picture cannot be read: not an image, or no text on it."""


def ocr_unavailable():
    """Why cards cannot be read here, or None when they can."""
    if pytesseract is None:
        return "pytesseract"
    if not shutil.which("tesseract"):
        return "tesseract"
    try:
        installed = set(pytesseract.get_languages(config=""))
    except pytesseract.TesseractError:
        return "tesseract"
    if not set(LANGUAGES) <= installed:
        return "languages"
    return None


def read_card_text(image_bytes, timeout=10):
    """The card's text, line by line, read from the picture upright."""
    image = _upright_candidate(image_bytes)
    text, confidence = _read(image, timeout)
    if confidence < UPRIGHT_CONFIDENCE:
        for turned in _turned(image):
            turned_text, turned_confidence = _read(turned, timeout)
            if turned_confidence > confidence:
                text, confidence = turned_text, turned_confidence
            if confidence >= UPRIGHT_CONFIDENCE:
                break
    if not text.strip():
        raise CardReadError("no text")
    return text


def _upright_candidate(image_bytes):
    try:
        image = Image.open(io.BytesIO(image_bytes))
        image.load()
    except (UnidentifiedImageError, OSError) as error:
        raise CardReadError("not an image") from error
    image = ImageOps.exif_transpose(image).convert("L")
    if image.width != WORKING_WIDTH:
        height = round(image.height * WORKING_WIDTH / image.width)
        image = image.resize((WORKING_WIDTH, height), Image.LANCZOS)
    return image


def _turned(image):
    """The picture turned by half, then by a quarter either way: a card
    upside down is far more common than one on its side without EXIF.
    (Tesseract's own orientation detection needs more text than a card has.)"""
    for angle in (180, 90, 270):
        yield image.rotate(angle, expand=True)


def _read(image, timeout):
    """(text, mean word confidence) of one reading, lines as Tesseract found
    them in its blocks."""
    try:
        data = pytesseract.image_to_data(
            image,
            lang="+".join(LANGUAGES),
            config="--psm 3",
            output_type=pytesseract.Output.DICT,
            timeout=timeout,
        )
    except pytesseract.TesseractError as error:
        raise CardReadError(str(error)) from error
    lines = {}
    confidences = []
    for index, word in enumerate(data["text"]):
        word = word.strip()
        confidence = float(data["conf"][index])
        if not word or confidence < 0:
            continue
        key = (
            data["block_num"][index],
            data["par_num"][index],
            data["line_num"][index],
        )
        box = (data["left"][index], data["width"][index], data["height"][index])
        lines.setdefault(key, []).append((box, word))
        confidences.append(confidence)
    text_lines = []
    for _key, words in sorted(lines.items()):
        text_lines += _split_columns(words)
    text = "\n".join(text_lines)
    mean = sum(confidences) / len(confidences) if confidences else 0.0
    return text, mean


def _split_columns(words):
    """A line Tesseract joined across two columns of the card, split again
    where the gap between two words is wider than three letters' height."""
    words = sorted(words, key=lambda item: item[0][0])
    height = sorted(box[2] for box, _word in words)[len(words) // 2]
    parts = [[words[0][1]]]
    for (previous, _word), (box, word) in zip(words, words[1:], strict=False):
        if box[0] - (previous[0] + previous[1]) > 3 * height:
            parts.append([])
        parts[-1].append(word)
    return [" ".join(part) for part in parts]
