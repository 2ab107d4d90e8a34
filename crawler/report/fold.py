"""Diacritic-insensitive folding that keeps offsets: the project's own, in crawler/text.py.

`fold(text)` has the same length as `nfc(text)`, so a match found in the folded
text at [i, j) is the phrase nfc(text)[i:j].
"""

from ..text import fold_chars as fold, fold_phrase, nfc

__all__ = ["fold", "fold_phrase", "nfc"]
