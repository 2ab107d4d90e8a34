"""Author bylines and origin credits.

author: a byline element (class author/byline/tacgia…), else a short name-like
first or last body line ("Đoàn Hồng", "NGUYÊN ĐOAN |", "Tin, ảnh: Minh Anh",
"PV"), else a name-like meta author. origin: "Theo TTXVN", "(Theo Báo Nhân
Dân)", "Nguồn: VOV" → the outlet. Both are taken out of the body.
"""

import re
from functools import lru_cache

from . import lexicon
from .dom import text as dom_text
from .dom import is_element, meta_first, tokens
from .text import collapse, fold, phrase_regex

_SENT_PUNCT = re.compile(r"[.;!?…,:\"“”]")
_TRIM = " \t|/-–—•·*_()[]"


@lru_cache(maxsize=1)
def _lex():
    data = lexicon.load("bylines")
    b, o = data["byline"], data["origin"]
    return {
        "prefix": re.compile(r"^\s*(?:" + "|".join(re.escape(p) for p in sorted(b["prefixes"], key=len, reverse=True))
                             + r")\s*[:：\-–]\s*", re.I),
        "collective": frozenset(lexicon.folded(b["collective"])),
        "max_words": int(b["max_words"]),
        "meta": b["meta"],
        "tokens": frozenset(t.lower() for t in b["tokens"]),
        "origin": re.compile(r"^\s*[(\[]?\s*(?:" + "|".join(re.escape(p.rstrip(":")) for p in sorted(o["prefixes"], key=len, reverse=True))
                             + r")\s*[:：]?\s+(?P<o>[^()\[\]]+?)\s*[)\]]?\s*\.?\s*$", re.I),
        "origin_tail": re.compile(r"\s*[(\[]\s*(?:" + "|".join(re.escape(p.rstrip(":")) for p in sorted(o["prefixes"], key=len, reverse=True))
                                  + r")\s*[:：]?\s+(?P<o>[^()\[\]]{2,80}?)\s*[)\]]\s*\.?\s*$", re.I),
        "origin_words": int(o["max_words"]),
    }


def _nfc_upper_first(word: str) -> bool:
    c = word[0]
    return c.isupper() or c.isdigit()


def name_like(text: str) -> str | None:
    """The byline in `text` if it reads as one, else None."""
    lx = _lex()
    t = collapse(text).strip(_TRIM)
    m = lx["prefix"].match(t)
    if m:
        t = t[m.end():].strip(_TRIM)
    if not t:
        return None
    f = fold(t)
    if f in lx["collective"]:
        return t
    words = t.split()
    if not 1 <= len(words) <= lx["max_words"] or _SENT_PUNCT.search(t):
        return None
    if any(ch.isdigit() for ch in t):
        return None
    letters = [w for w in words if w[0].isalpha()]
    if len(letters) != len(words):
        return None
    if t.isupper() and len(t) >= 2:
        return t
    if all(_nfc_upper_first(w) for w in words):
        if len(words) == 1 and not m and len(t) < 3:
            return None
        return t
    # "Hồng Hà - Minh Anh" style joined by '-' or 'và'
    parts = [p for p in re.split(r"\s+(?:-|–|và|&)\s+", t) if p]
    if len(parts) > 1 and all(name_like(p) for p in parts):
        return t
    return None


def origin_of(line: str) -> str | None:
    lx = _lex()
    m = lx["origin"].match(collapse(line))
    if m and len(m["o"].split()) <= lx["origin_words"]:
        value = m["o"].strip(" .")
        if _outlet_like(value):
            return value
    return None


def _outlet_like(value: str) -> bool:
    """'TTXVN', 'Báo Nhân Dân', 'baochinhphu.vn' – not 'đó, tất cả đồng ý'."""
    if not value or re.search(r"[,;!?“”\"]", value):
        return False
    if re.fullmatch(r"[\w\-]+(\.[\w\-]+)+(/\S*)?", value):
        return True
    return value[0].isupper() or value[0].isdigit()


def origin_tail(line: str):
    """'… văn bản. (Theo TTXVN)' → ('… văn bản.', 'TTXVN')."""
    m = _lex()["origin_tail"].search(line)
    if not m or m.start() == 0 or not _outlet_like(m["o"].strip(" .")):
        return None
    return line[:m.start()].rstrip(), m["o"].strip(" .")


def from_element(root, chrome_set=frozenset()):
    """A byline element → (author, element)."""
    lx = _lex()
    for el in root.iter():
        if not is_element(el) or el.tag in ("meta", "link", "a") and not collapse(dom_text(el)):
            continue
        if not (tokens(el) & lx["tokens"]) and el.get("rel") != "author" and el.get("itemprop", "").lower() != "author":
            continue
        if el in chrome_set or any(a in chrome_set for a in el.iterancestors()):
            continue
        text = collapse(dom_text(el))
        if not text or len(text) > 120:
            continue
        name = name_like(text)
        if name:
            return name, el
    return None, None


def from_meta(info, names=()):
    lx = _lex()
    value = meta_first(info, *lx["meta"])
    if not value:
        for obj in info["jsonld"]:
            a = obj.get("author")
            if isinstance(a, list) and a:
                a = a[0]
            if isinstance(a, dict):
                a = a.get("name")
            if isinstance(a, str) and a.strip():
                value = a
                break
    if not value or value.startswith("http"):
        return None
    value = collapse(value)
    if fold(value) in names or any(n and (fold(value) in n or n in fold(value)) for n in names):
        return None
    return name_like(value)


def split_body(lines, *, author=None):
    """Take bylines/origin from the ends of the body lines.

    → (lines, author, origin). Looks at up to two lines at the end (byline
    and/or credit, in either order) and one line at the start.
    """
    origin = None
    lines = list(lines)
    for _ in range(3):
        if len(lines) < 2:
            break
        last = lines[-1]
        o = origin_of(last)
        if o and origin is None:
            origin = o
            lines.pop()
            continue
        name = name_like(last)
        if name and author is None:
            author = name
            lines.pop()
            continue
        # "Đoàn Hồng (TTXVN)" / "Minh Anh - TTXVN"
        m = re.match(r"^(?P<a>[^()]+?)\s*\((?P<o>[^()]+)\)\s*$", last) or re.match(r"^(?P<a>[^-–]+?)\s+[-–]\s+(?P<o>[A-ZĐ][\w.]*)\s*$", last)
        if m and author is None and name_like(m["a"]) and (name_like(m["o"]) or m["o"].isupper()):
            author, origin = name_like(m["a"]), origin or m["o"].strip()
            lines.pop()
            continue
        break
    if lines and origin is None:
        cut = origin_tail(lines[-1])
        if cut:
            lines[-1], origin = cut
    if len(lines) >= 2 and author is None:
        first = lines[0]
        name = name_like(first)
        if name and (first.rstrip().endswith("|") or first.isupper() or _lex()["prefix"].match(first)):
            author = name
            lines.pop(0)
    return lines, author, origin


_DATELINE = re.compile(r"^(?:[^()\-–—]{0,40}\(\s*(?P<a>[A-ZĐ][A-ZĐ0-9+/&.]{1,14})\s*\)|(?P<b>[A-ZĐ][A-ZĐ0-9+/&.]{2,14}))\s*[-–—]\s+\S")


def dateline_origin(lines, look: int = 3) -> str | None:
    """'TTXVN - Phát biểu tại…', 'Hà Nội (TTXVN) - …' opening one of the first paragraphs → 'TTXVN'.
    The paragraph is left as it is: the credit is part of the printed text."""
    for line in lines[:look]:
        m = _DATELINE.match(line)
        if m:
            return m["a"] or m["b"]
    return None


def _leaf_blocks(root):
    """Blocks holding text directly, in document order."""
    from .dom import BLOCK_TAGS
    out = []
    for el in root.iter():
        if not is_element(el):
            continue
        holder = None
        if (el.text or "").strip():
            holder = el
        if holder is None:
            continue
        while holder is not root and holder.tag not in BLOCK_TAGS:
            holder = holder.getparent()
        if not out or out[-1] is not holder:
            out.append(holder)
    for el in root.iter():
        if is_element(el) and el is not root and (el.tail or "").strip():
            holder = el.getparent()
            while holder is not root and holder.tag not in BLOCK_TAGS:
                holder = holder.getparent()
            if holder not in out:
                out.append(holder)
    return out


def from_edges(main):
    """Byline/credit blocks at the end (or a byline at the start) of the article
    container → (author, origin, [elements to remove]). Trafilatura tends to drop
    such short right-aligned blocks, so they are read before it runs."""
    blocks = [b for b in _leaf_blocks(main) if b is not main]
    if len(blocks) < 2:
        return None, None, []
    author = origin = None
    taken = []
    for block in reversed(blocks[-3:]):
        if any(d in taken for d in block.iterdescendants()) or any(a in taken for a in block.iterancestors()):
            continue
        text = collapse(dom_text(block))
        if not text:
            continue
        o = origin_of(text) if origin is None else None
        if o:
            origin = o
            taken.append(block)
            continue
        name = name_like(text) if author is None else None
        if name and len(text) <= 60:
            author = name
            taken.append(block)
            continue
        break
    first = blocks[0]
    if author is None and first not in taken:
        text = collapse(dom_text(first))
        name = name_like(text)
        if name and (text.rstrip().endswith("|") or text.isupper() or _lex()["prefix"].match(text)):
            author = name
            taken.append(first)
    return author, origin, taken
