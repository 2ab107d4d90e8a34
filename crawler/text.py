"""Vietnamese text folding, shared by every module that matches cues, names or
queries: what a user typing without diacritics means.

    fold_chars("Đảng ủy Thuỷ")  → "dang uy thuy"   same length as the NFC text
    fold_phrase("  Đảng  ủy ")  → "dang uy"        whitespace collapsed as well

Both tone placements (Thuỷ/Thủy, hoà/hòa) and unaccented text fold alike; đ
is not a diacritic to Unicode, so it is mapped by hand. Folding is one
str.translate over a table built once, not a per-character Python loop: it
runs on every block of every page.
"""

import re
import unicodedata
from functools import lru_cache

_SPECIAL = {"đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-",
            "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\t": " ", "’": "'", "“": '"', "”": '"'}
_WS = re.compile(r"[\s\u00a0\u200b\u200c\u200d\ufeff]+")


def _fold_table() -> dict:
    table = {}
    for cp in range(0x41, 0x2500):
        ch = chr(cp)
        base = unicodedata.normalize("NFD", ch)[0]
        base = base.lower() if len(base.lower()) == 1 else base
        if base != ch and not unicodedata.combining(ch):
            table[cp] = base
    table.update({ord(k): v for k, v in _SPECIAL.items()})
    return table


_TABLE = _fold_table()
# The phrase form also drops combining marks left standing (text that was not
# composable to NFC) and zero-width characters.
_PHRASE_TABLE = {**_TABLE, **{cp: None for cp in range(0x300, 0x370)}, 0x200B: None, 0xFEFF: None}


def nfc(text: str | None) -> str:
    return unicodedata.normalize("NFC", text or "")


def fold_chars(text: str | None) -> str:
    """Lowercase, marks removed, đ → d; one character per character of nfc(text),
    so an offset in the folded text is an offset in the NFC text."""
    return nfc(text).translate(_TABLE)


def fold_phrase(text: str | None) -> str:
    """fold_chars, then every whitespace run → one space, stripped: for cues,
    names and search terms. Short strings (the same block texts and cue words
    recur on every page) are cached; whole articles are not, so the cache stays
    small however many articles pass through."""
    if text is not None and len(text) <= _CACHED_UP_TO:
        return _fold_phrase_cached(text)
    return _fold_phrase(text)


_CACHED_UP_TO = 300


def _fold_phrase(text: str | None) -> str:
    return _WS.sub(" ", nfc(text).translate(_PHRASE_TABLE)).strip()


_fold_phrase_cached = lru_cache(maxsize=65536)(_fold_phrase)


fold = fold_phrase
