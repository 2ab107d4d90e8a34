"""Small text helpers shared by the extraction modules."""

import re
import unicodedata
from functools import lru_cache

_WS = re.compile(r"[\s\u00a0\u200b\u200c\u200d\ufeff]+")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# Cues are matched in the folded form (lowercase, no diacritics, đ → d, spaces collapsed).
from ..text import fold_phrase as fold  # noqa: E402


def collapse(text: str) -> str:
    """NFC, every whitespace run (incl. nbsp and zero-width) → one space, stripped."""
    return _WS.sub(" ", nfc(text or "")).strip()


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
