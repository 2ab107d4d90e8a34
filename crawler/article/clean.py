"""Text after extraction: one clean paragraph per line."""

from functools import lru_cache
import re

from . import bylines, chrome
from .text import collapse, fold

_TABLE_EDGE = re.compile(r"^\|\s*|\s*\|\s*$")
# A teaser line of a related list: "- Headline (25/12/2021)", "- Headline Được đăng ngày 07/11/2024" (folded).
_TEASER = re.compile(r"(?:\(\s*\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}(?:\s+\d{1,2}:\d{2})?\s*\)"
                     r"|(?:dang|ngay|luc)\s*:?\s*\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}(?:\s+\d{1,2}:\d{2})?)\s*$")
_TEASER_MAX_WORDS = 40


def lines_of(text: str) -> list[str]:
    out = []
    for raw in (text or "").splitlines():
        line = collapse(raw)
        if line:
            out.append(line)
    return out


@lru_cache(maxsize=1)
def _section_names() -> frozenset:
    from .titles import _lex as title_lexicon
    return frozenset(title_lexicon()["sections"])


def drop_clutter(lines, *, title=None, captions=()) -> list[str]:
    t = fold(title) if title else None
    caps = {fold(c) for c in captions}
    out = []
    for i, line in enumerate(lines):
        f = fold(line)
        if t and f == t and i <= 2:
            continue
        if i <= 2 and f.rstrip(" :") in _section_names():
            continue  # a section or portlet label above the article ("Tin chi tiết", "Xây dựng Đảng")
        if f in caps:
            continue
        if chrome.is_clutter_line(line):
            continue
        out.append(line)
    return out


def related_tail(lines) -> list[str]:
    """Drop a run of two or more dated teaser lines ending the text: a related-articles
    list printed after the article ("- Headline (25/12/2021)")."""
    i = len(lines)
    while i > 0 and len(lines[i - 1].split()) <= _TEASER_MAX_WORDS and _TEASER.search(fold(lines[i - 1])):
        i -= 1
    if len(lines) - i >= 2 and i > 0:
        return list(lines[:i])
    return list(lines)


def end_marks(lines) -> list[str]:
    """Strip the end mark ("/.") that closes a Vietnamese official text.

    The mark ends the article wherever it is among the last lines: what follows
    it (a byline, a credit, related links, a rating) is tail, not body. Byline and
    credit lines of the tail are kept right after the body for bylines.split_body;
    the rest of the tail is dropped. Only short lines may follow the mark."""
    lines = related_tail([ln for ln in lines if ln and ln.strip()])
    n = len(lines)
    lowest = max(0, n - 1 - bylines.tail_lines())
    for i in range(n - 1, lowest - 1, -1):
        line = lines[i].rstrip()
        cut = chrome.strip_end_mark(line)
        if cut != line:
            tail = lines[i + 1:]
            if not all(bylines.short_line(t) or bylines.credit(t) for t in tail):
                break
            credits = []
            for t in tail:
                if not bylines.credit(t) or len(credits) >= 3:
                    break
                credits.append(t)
            return lines[:i] + ([cut] if cut else []) + credits
        if not (bylines.short_line(line) or bylines.credit(line)):
            break
    return lines
