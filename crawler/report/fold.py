"""Diacritic-insensitive folding that keeps offsets.

`fold(text)` returns a string of the SAME length as `nfc(text)`: every character is
lower-cased and stripped of its combining marks (đ → d, dashes → "-", odd spaces → " "),
so a match found in the folded text at [i, j) is the phrase nfc(text)[i:j].
Both tone placements (Hoà/Hòa, Thuỷ/Thủy) and unaccented text fold to the same form.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

_SPECIAL = {"đ": "d", "Đ": "d", "–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-",
            "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\t": " ", "’": "'", "“": '"', "”": '"'}


def nfc(text: str | None) -> str:
    return unicodedata.normalize("NFC", text or "")


@lru_cache(maxsize=4096)
def _fold_char(c: str) -> str:
    if c in _SPECIAL:
        return _SPECIAL[c]
    low = c.lower()
    if len(low) != 1:
        low = c
    base = unicodedata.normalize("NFD", low)[0]
    return base if base else low


def fold(text: str | None) -> str:
    """Lower-case, mark-free, same length as nfc(text)."""
    return "".join(_fold_char(c) for c in nfc(text))


def fold_phrase(text: str) -> str:
    """fold() plus whitespace collapsed: for lexicon phrases and lookups."""
    return " ".join(fold(text).split())
