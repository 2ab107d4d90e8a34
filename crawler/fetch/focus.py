"""Focused crawling: rank links by report cues, recognise pagination, and tell
when a listing has paged past the `--since` date. Cues are data, in
link_cues.toml beside this file."""

import re
import tomllib
from datetime import date
from functools import lru_cache
from pathlib import Path

from ..text import fold

CUES_FILE = Path(__file__).with_name("link_cues.toml")
_LISTING_DATE = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b|\b(\d{4})-(\d{2})-(\d{2})\b")


@lru_cache(maxsize=1)
def cues() -> dict:
    data = tomllib.loads(CUES_FILE.read_text(encoding="utf-8"))
    pagination = data["pagination"]
    return {
        "anchor": data["anchor"],
        "url": {**data["url"], **data["avoid"]},
        "page_url": [re.compile(p, re.I) for p in pagination["url_patterns"]],
        "page_anchor": {fold(t) for t in pagination["anchor_texts"]},
        "search_queries": data["search"]["queries"],
    }


def link_priority(url: str, anchor: str) -> int:
    """Higher for links whose anchor text or URL carries report cues."""
    c = cues()
    text, address = fold(anchor), url.lower()
    score = sum(w for cue, w in c["anchor"].items() if cue in text)
    score += sum(w for cue, w in c["url"].items() if cue in address)
    return score


def is_pagination(url: str, anchor: str) -> bool:
    c = cues()
    text = fold(anchor).strip()
    return text.isdigit() or text in c["page_anchor"] or any(p.search(url) for p in c["page_url"])


def listing_dates(text: str) -> list[date]:
    """The dates shown on a listing page (teaser dates), as far as they parse."""
    found = []
    for m in _LISTING_DATE.finditer(text):
        d, mo, y = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(6), m.group(5), m.group(4))
        try:
            found.append(date(int(y), int(mo), int(d)))
        except ValueError:
            continue
    return found


def paged_past(text: str, since: date | None) -> bool:
    """True when every dated teaser on this listing page is older than `since`:
    the next pages, older still, need not be fetched."""
    if since is None:
        return False
    dates = listing_dates(text)
    return bool(dates) and max(dates) < since


def search_queries() -> list[str]:
    return cues()["search_queries"]
