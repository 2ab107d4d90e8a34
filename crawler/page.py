"""Raw page bytes → text, decoded the way a browser would, unless the bytes say otherwise.

The order follows the HTML standard's encoding sniffing: a byte-order mark,
then the HTTP Content-Type charset, then a `<meta charset>` in the first bytes,
then UTF-8. w3lib reads each of these (it is what Scrapy itself uses). Old
Vietnamese portals mislabel their encoding often, so where the label
contradicts the bytes, the bytes win:

1. Bytes that read as UTF-8 are UTF-8, whatever the label says. A legacy page
   read as UTF-8 fails on nearly every accented letter; a UTF-8 page fails at
   most on a pasted stray byte or a character cut off at the end.
2. Bytes labelled UTF-8, or not labelled, that are not UTF-8 are read with each
   candidate code page of page.toml, and the most Vietnamese reading is kept;
   charset-normalizer is asked only when none reads as Vietnamese.
3. Otherwise the label holds (windows-1258, latin-1, UTF-16 by HTTP header).

Stray NUL and control characters are dropped from the text; only a body with a
file's magic number or a high share of control bytes is refused. The raw bytes
are never changed here: the archive keeps them as fetched.
Every text leaving here is NFC: windows-1258 decodes to decomposed tone marks,
and some portals publish NFD outright.
"""

import re
import tomllib
import unicodedata
import zlib
from collections import Counter
from functools import lru_cache
from pathlib import Path

import charset_normalizer
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom, to_unicode

_RULES = tomllib.loads(Path(__file__).with_name("page.toml").read_text(encoding="utf-8"))
CANDIDATES = tuple(_RULES["candidates"])
MAGIC_NUMBERS = tuple(bytes.fromhex(magic) for magic in _RULES["binary"].values())

# A UTF-8 reading is kept while at most this share of its non-ASCII characters
# are decoding errors: whichever reading most of the letters support. Every
# fixture re-encoded as windows-1258 measured 99.9-100% errors read as UTF-8;
# a UTF-8 page with a pasted windows-1252 quote or a cut-off last character, a few.
UTF8_ERROR_SHARE = 0.5
# Above this share of control characters a body is binary. HTML has none but
# the odd stray byte (well under 1%); structured binaries (images, fonts,
# executables, Office files) measure 28-90%; compressed or encrypted data
# sits at 28/256 ≈ 11%, which is why the magic numbers come first.
MAX_CONTROL_SHARE = 0.10
# Bytes enough to tell UTF-8 from a legacy code page and the candidates apart;
# the reading chosen decodes the whole body.
SAMPLE = 65536

# C0 controls but tab, LF, FF and CR: never text, yet lxml keeps them in the
# article's text (and turns a NUL into U+FFFD).
CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f]")
CONTROL_BYTES = bytes(range(0x00, 0x09)) + b"\x0b" + bytes(range(0x0e, 0x20))
NON_ASCII = re.compile("[^\x00-\x7f]")
MOJIBAKE_RUN = re.compile(r"[^\W\x00-\x7f]{3,}")
HTML_TAGS = ("<html", "<body", "<p", "<div", "<table", "<br", "<head", "<title", "<article")


def _vietnamese_letters() -> frozenset:
    tones = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
    letters = {unicodedata.normalize("NFC", vowel + tone) for vowel in "aăâeêioôơuưy" for tone in tones} | {"đ"}
    return frozenset(letters | {letter.upper() for letter in letters})


VIETNAMESE = _vietnamese_letters()


class NotHTMLError(ValueError):
    """The bytes are not an HTML document."""


def decode_html(body: bytes, content_type: str | None = None) -> str:
    if not body or not body.strip():
        raise NotHTMLError("empty document")
    if body.startswith(MAGIC_NUMBERS):
        raise NotHTMLError("binary data, not HTML")
    text = _strip_controls(body, _decode(body, content_type))
    head = text[:2048].lower()
    if "<" not in head or not any(tag in text[:65536].lower() for tag in HTML_TAGS):
        raise NotHTMLError("no HTML markup found")
    return nfc(text)


def _decode(body: bytes, content_type: str | None) -> str:
    encoding, bom = read_bom(body)
    if encoding is not None:
        return to_unicode(body[len(bom):], encoding)
    declared = http_content_type_encoding(content_type) or _meta_encoding(body)
    if declared in ("utf-16", "utf-32"):  # no byte order given: the network's, as w3lib reads it
        declared += "-be"
    if body.isascii() or (declared is not None and not _ascii_compatible(declared)):
        return to_unicode(body, declared or "utf-8")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        # Judged around the first byte that is not UTF-8: where a label is
        # wrong, that is where the letters are (the page may open with 64 KiB of script).
        start = max(0, error.start - SAMPLE // 2)
        sample = body[start:start + SAMPLE]
    if _mostly_utf8(sample):
        return body.decode("utf-8", "replace")
    if declared is not None and declared != "utf-8":
        return to_unicode(body, declared)
    return _detect(body, sample)


def _strip_controls(body: bytes, text: str) -> str:
    # A control character in the text needs a control byte in the body (in
    # UTF-16 and UTF-32 too); the body is scanned first because bytes.translate
    # is several times faster than a regex over the text, and most pages have none.
    if len(body.translate(None, CONTROL_BYTES)) == len(body):
        return text
    stripped, controls = CONTROLS.subn("", text)
    if controls > len(text) * MAX_CONTROL_SHARE:
        raise NotHTMLError("binary data, not HTML")
    return stripped


def _meta_encoding(body: bytes) -> str | None:
    """The `<meta charset>` (or XML declaration) label. A tag readable as ASCII
    cannot be in UTF-16 or UTF-32, so such a label means UTF-8, as in the HTML standard."""
    declared = html_body_declared_encoding(body)
    return declared if declared is None or _ascii_compatible(declared) else "utf-8"


@lru_cache(maxsize=64)
def _ascii_compatible(encoding: str) -> bool:
    return "<html>".encode(encoding, "replace") == b"<html>"


def _mostly_utf8(sample: bytes) -> bool:
    text = sample.decode("utf-8", "replace")
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    return text.count("\ufffd") <= non_ascii * UTF8_ERROR_SHARE


def _detect(body: bytes, sample: bytes) -> str:
    """The reading of a mislabelled, non-UTF-8 body: the candidate code page
    that reads the sample as the most Vietnamese, or charset-normalizer's best
    guess when no candidate reads it as Vietnamese without oddities."""
    scores = [_score(nfc(to_unicode(sample, encoding))) for encoding in CANDIDATES]
    best = max(range(len(CANDIDATES)), key=lambda i: scores[i][0] - scores[i][1])
    vietnamese, odd = scores[best]
    if odd == 0 or vietnamese > odd:
        return to_unicode(body, CANDIDATES[best])
    guess = charset_normalizer.from_bytes(body).best()
    return str(guess) if guess is not None else to_unicode(body, CANDIDATES[best])


def _score(text: str) -> tuple[int, int]:
    """(Vietnamese letters outside Latin-1, oddities) of a candidate reading.
    Only letters outside Latin-1 are evidence: a windows-1252 reading of
    windows-1258 bytes is full of Latin-1 letters that are Vietnamese too (à ã ì Ò).
    Oddities are what no real text holds: decoding errors, C1 controls, tone
    marks left uncombined after NFC, letters outside Latin-1 no Vietnamese word
    has (ś ƒ), and runs of three or more non-ASCII letters, which a Vietnamese
    syllable never has (ườ is the most) and a Western word rarely, but a Latin
    reading of Cyrillic or Chinese bytes always does."""
    odd = sum(len(run) for run in MOJIBAKE_RUN.findall(text))
    vietnamese = 0
    for char, count in Counter(NON_ASCII.findall(text)).items():
        if char in VIETNAMESE:
            vietnamese += count * (ord(char) > 0xFF)
        elif char == "\ufffd" or "\x80" <= char <= "\x9f" or unicodedata.combining(char) \
                or (ord(char) > 0xFF and unicodedata.category(char).startswith("L")):
            odd += count
    return vietnamese, odd


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def compress(body: bytes) -> bytes:
    return zlib.compress(body, 6)


def decompress(blob: bytes) -> bytes:
    return zlib.decompress(blob)
