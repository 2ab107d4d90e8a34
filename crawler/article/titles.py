"""The article's headline, never the portal's name.

Sources, best first: a headline element (h1/h2 or a title-classed element),
og:title / JSON-LD headline, the first h1, a bold/large cell just before the
date line (table layouts), then <title>. Portal-name parts (" - Cổng thông
tin …") are cut using the registry name, og:site_name and lexicon/titles.toml.
"""

import re
from functools import lru_cache

from . import lexicon
from .dom import text as dom_text
from .dom import is_element, meta_first, tokens
from .text import collapse, fold, phrase_regex


@lru_cache(maxsize=1)
def _lex():
    data = lexicon.load("titles")
    return {
        "tokens": frozenset(t.lower() for t in data["headline"]["tokens"]),
        "meta": data["headline"]["meta"],
        "seps": data["headline"]["separators"],
        "prefix": phrase_regex(lexicon.folded(data["portal"]["prefixes"]), anchored_start=True),
        "sections": frozenset(lexicon.folded(data["portal"]["sections"])),
    }


def site_names(info, source=None) -> list[str]:
    names = []
    if source is not None and getattr(source, "name", None):
        names.append(source.name)
    for key in ("og:site_name", "application-name", "twitter:site", "dc.publisher", "publisher"):
        for v in info["meta"].get(key, []):
            names.append(v)
    for obj in info["jsonld"]:
        pub = obj.get("publisher")
        if isinstance(pub, dict) and isinstance(pub.get("name"), str):
            names.append(pub["name"])
    if source is not None and getattr(source, "host", None):
        names.append(source.host.removeprefix("www."))
    return [fold(n) for n in names if n and fold(n)]


def _sitey(part: str, names) -> bool:
    f = fold(part)
    if not f:
        return True
    lx = _lex()
    if lx["prefix"].match(f) and len(f.split()) <= 12:
        return True
    if re.fullmatch(r"[\w.\-]+\.(vn|com|net|org|gov\.vn|edu\.vn)", f):
        return True
    for n in names:
        if f == n or (len(f) >= 4 and (f in n or n in f)):
            return True
    return False


def is_site_name(text: str, names) -> bool:
    f = fold(text)
    return any(f == n or (f in n and len(f) > 0.6 * len(n)) for n in names) or (
        bool(_lex()["prefix"].match(f)) and len(f.split()) <= 12 and any(n and (n in f or f in n) for n in names))


def strip_site(title: str, names) -> str:
    title = collapse(title)
    for sep in _lex()["seps"]:
        if sep not in title:
            continue
        parts = [p.strip() for p in title.split(sep)]
        while len(parts) > 1 and _sitey(parts[-1], names):
            parts.pop()
        while len(parts) > 1 and _sitey(parts[0], names):
            parts.pop(0)
        title = sep.join(parts)
    return title.strip(" -|–—:»«")


def _similar(a: str, b: str) -> bool:
    fa, fb = set(fold(a).split()), set(fold(b).split())
    if not fa or not fb:
        return False
    return len(fa & fb) / min(len(fa), len(fb)) >= 0.7


def _ok(text: str, names) -> bool:
    f = fold(text)
    return len(f) >= 10 and len(f.split()) >= 3 and f not in _lex()["sections"] and not is_site_name(text, names)


def pick(root, info, source=None, *, chrome_set=frozenset(), stats=None):
    """→ (title or None, the headline element or None)."""
    lx = _lex()
    names = site_names(info, source)
    meta_title = None
    for obj in info["jsonld"]:
        h = obj.get("headline")
        if isinstance(h, str) and h.strip():
            meta_title = strip_site(h, names)
            break
    og = meta_first(info, *lx["meta"][:3])
    if og and not meta_title:
        meta_title = strip_site(og, names)
    if meta_title and not _ok(meta_title, names):
        meta_title = None

    # What the page says its headline is: meta/JSON-LD, else the <title> minus the
    # portal's name. Headline-classed elements that disagree with it are
    # portlet or section captions ("Tin chi tiết"), not the headline.
    reference = meta_title or from_title_tag(info, source)
    classed, first_h = [], None
    for el in root.iter("h1", "h2", "h3", "div", "p", "span", "td", "a", "strong", "b"):
        if el in chrome_set or _in(el, chrome_set):
            continue
        if stats is not None and stats.text.get(el, 0) > 400:
            continue
        toks = tokens(el)
        is_head = (toks & lx["tokens"]) or el.get("itemprop", "").lower() == "headline"
        if not is_head and el.tag != "h1":
            continue
        text = collapse(dom_text(el))
        if not _ok(text, names) or len(text) > 400:
            continue
        if is_head and len(classed) < 8 and (el.tag in ("h1", "h2", "h3") or next(el.iterdescendants("h1", "h2", "h3"), None) is None):
            classed.append(el)
        if el.tag == "h1" and first_h is None:
            first_h = el
    candidates = [*classed, first_h] if first_h is not None else classed
    for el in candidates:
        text = strip_site(dom_text(el), names)
        if reference and not _similar(text, reference):
            continue
        if _ok(text, names):
            return text, el
    if meta_title:
        return meta_title, find_element(root, meta_title, chrome_set, stats)
    if candidates and not reference:
        text = strip_site(dom_text(candidates[0]), names)
        if _ok(text, names):
            return text, candidates[0]
    return None, None


def _in(el, chrome_set) -> bool:
    if not chrome_set:
        return False
    return any(a in chrome_set for a in el.iterancestors())


def find_element(root, title, chrome_set=frozenset(), stats=None):
    target = fold(title)
    limit = len(title) * 1.5 + 20
    best = None
    for el in root.iter():
        if not is_element(el) or el.tag in ("title", "meta", "head", "script", "a", "option"):
            continue
        if stats is not None and stats.text.get(el, 0) > limit:
            continue
        if el in chrome_set or _in(el, chrome_set):
            continue
        if fold(dom_text(el)) == target:
            best = el  # keep climbing down: the deepest element with that text
            if el.tag in ("h1", "h2", "h3"):
                return el
    return best


_BIG = re.compile(r"font-size\s*:\s*(\d+(?:\.\d+)?)\s*(px|pt|em|rem)?|font-weight\s*:\s*(bold|[6-9]00)", re.I)


def _looks_big(el) -> bool:
    for e in (el, *el.iterdescendants()):
        if not is_element(e):
            continue
        if e.tag in ("b", "strong", "h1", "h2", "h3", "h4"):
            return True
        if e.tag == "font" and (e.get("size") or "").strip().lstrip("+").isdigit() and int(e.get("size").strip().lstrip("+")) >= 3:
            return True
        style = e.get("style") or ""
        for m in _BIG.finditer(style):
            if m.group(3):
                return True
            size, unit = float(m.group(1)), (m.group(2) or "px").lower()
            px = size * (4 / 3 if unit == "pt" else 16 if unit in ("em", "rem") else 1)
            if px >= 17:
                return True
        if tokens(e) & _lex()["tokens"]:
            return True
    return False


def before_date(date_el, info, source=None, *, chrome_set=frozenset()):
    """Table layouts: the headline is a bold/large block just before the date line."""
    if date_el is None:
        return None, None
    names = site_names(info, source)
    el = date_el
    for _ in range(4):  # climb to the block holding the date line
        prev = _prev_text_block(el)
        if prev is not None:
            text = collapse(dom_text(prev))
            if _ok(text, names) and len(text.split()) <= 45 and _looks_big(prev) and prev not in chrome_set \
                    and next(prev.iter("a"), None) is None:
                return strip_site(text, names), prev
            return None, None
        el = el.getparent()
        if el is None:
            break
    return None, None


def _prev_text_block(el):
    prev = el.getprevious()
    while prev is not None and (not is_element(prev) or not collapse(dom_text(prev))):
        prev = prev.getprevious()
    return prev


def from_title_tag(info, source=None):
    names = site_names(info, source)
    t = strip_site(info["title"], names) if info["title"] else ""
    return t if t and _ok(t, names) else None
