"""Text after extraction: one clean paragraph per line."""

import re

from . import chrome
from .text import collapse, fold

_TABLE_EDGE = re.compile(r"^\|\s*|\s*\|\s*$")


def lines_of(text: str) -> list[str]:
    out = []
    for raw in (text or "").splitlines():
        line = collapse(raw)
        if line:
            out.append(line)
    return out


def drop_clutter(lines, *, title=None, captions=()) -> list[str]:
    t = fold(title) if title else None
    caps = {fold(c) for c in captions}
    out = []
    for i, line in enumerate(lines):
        f = fold(line)
        if t and f == t and i <= 2:
            continue
        if f in caps:
            continue
        if chrome.is_clutter_line(line):
            continue
        out.append(line)
    return out


def end_marks(lines) -> list[str]:
    lines = list(lines)
    while lines:
        cut = chrome.strip_end_mark(lines[-1])
        if cut:
            lines[-1] = cut
            break
        lines.pop()
    return lines
