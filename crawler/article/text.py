"""Small text helpers shared by the extraction modules."""

import re
import unicodedata
from functools import lru_cache

_WS = re.compile(r"[\s\u00a0\u200b\u200c\u200d\ufeff]+")
_FOLD_EXTRA = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"})


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def collapse(text: str) -> str:
    """NFC, every whitespace run (incl. nbsp and zero-width) → one space, stripped."""
    return _WS.sub(" ", nfc(text or "")).strip()


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower case, no diacritics, whitespace collapsed: the form cues are matched in."""
    text = unicodedata.normalize("NFD", (text or "").translate(_FOLD_EXTRA))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _WS.sub(" ", text.lower().translate(_FOLD_EXTRA)).strip()


def words(text: str) -> list[str]:
    return text.split()


def phrase_regex(phrases, *, anchored_start=False, whole=False) -> re.Pattern | None:
    """One regex matching any of `phrases` (already folded), longest first, on word boundaries."""
    items = sorted({p for p in phrases if p}, key=len, reverse=True)
    if not items:
        return None
    body = "|".join(re.escape(p) for p in items)
    if whole:
        return re.compile(rf"^(?:{body})$")
    prefix = "^" if anchored_start else r"(?<!\w)"
    return re.compile(rf"{prefix}(?:{body})(?!\w)")
