"""Raw page bytes → text, decoded the way a browser would.

The order follows the HTML standard's encoding sniffing: a byte-order mark,
then the HTTP Content-Type charset, then a `<meta charset>` in the first bytes,
then detection. w3lib does exactly this (it is what Scrapy itself uses).
Every text leaving here is NFC: windows-1258 decodes to decomposed tone marks,
and some portals publish NFD outright.
"""

import unicodedata
import zlib

from w3lib.encoding import html_to_unicode


class NotHTMLError(ValueError):
    """The bytes are not an HTML document."""


def decode_html(body: bytes, content_type: str | None = None) -> str:
    if not body or not body.strip():
        raise NotHTMLError("empty document")
    _, text = html_to_unicode(content_type, body)
    sample = text[:4096]
    if "\x00" in sample or sample.count("\ufffd") > len(sample) // 20:
        raise NotHTMLError("binary data, not HTML")
    head = text[:2048].lower()
    if "<" not in head or not any(tag in text[:65536].lower() for tag in ("<html", "<body", "<p", "<div", "<table", "<br", "<head", "<title", "<article")):
        raise NotHTMLError("no HTML markup found")
    return nfc(text)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def compress(body: bytes) -> bytes:
    return zlib.compress(body, 6)


def decompress(blob: bytes) -> bytes:
    return zlib.decompress(blob)
