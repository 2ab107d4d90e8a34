"""Vietnamese text helpers shared by search, filters and matching."""

import unicodedata


def fold(text: str | None) -> str:
    """Lowercase, tone marks and diacritics removed, đ → d: what a user typing
    without diacritics means. "Đảng ủy Thủy" and "dang uy thuy" fold alike."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d").replace("Đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
