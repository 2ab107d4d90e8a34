"""Photo captions, taken out of the body before extraction.

Only text structurally tied to an image counts: <figcaption>, caption-classed
elements, the short block right under (or, if italic, right above) an image
block, short text sharing a block with an image. A short line that is only a
photo credit ("(Ảnh: TTXVN)") is a caption wherever it stands.
"""

import re
from functools import lru_cache

from . import lexicon
from .dom import text as dom_text
from .dom import is_element, remove, tokens
from .text import collapse, fold, phrase_regex

_ITALIC_TAGS = ("i", "em", "small", "figcaption", "cite")
_ITALIC_STYLE = re.compile(r"font-style\s*:\s*italic|text-align\s*:\s*center", re.I)


@lru_cache(maxsize=1)
def _lex():
    data = lexicon.load("bylines")["caption"]
    credit = lexicon.folded(data["credit"])
    return {
        "tokens": frozenset(t.lower() for t in data["tokens"]),
        "max_words": int(data["max_words"]),
        "credit_line": phrase_regex(credit, anchored_start=True),
        "credit_tail": re.compile(r"\(\s*(?:" + "|".join(re.escape(c) for c in sorted(credit, key=len, reverse=True)) + r")\b[^()]{0,80}\)\s*\.?$"),
    }


def is_credit_line(line: str) -> bool:
    """'(Ảnh: TTXVN)', 'Ảnh: Minh Anh', '… hội nghị. (Ảnh: TTXVN phát)' (short)."""
    f = fold(line).strip()
    lx = _lex()
    if len(f.split()) > lx["max_words"]:
        return False
    g = f.lstrip("( ")
    if lx["credit_line"].match(g) and re.match(r"^[^\w]*\w+(?:\s+\w+){0,2}\s*[:\-–]", g):
        return True
    return bool(lx["credit_tail"].search(f))


def _short(text: str) -> bool:
    return 0 < len(text.split()) <= _lex()["max_words"] and len(text) <= 400


def _italic(el) -> bool:
    for e in (el, *el.iterdescendants()):
        if not is_element(e):
            continue
        if e.tag in _ITALIC_TAGS or _ITALIC_STYLE.search(e.get("style") or "") or (e.get("align") or "").lower() == "center":
            if len(collapse(dom_text(e))) >= 0.6 * len(collapse(dom_text(el))):
                return True
    return False


def _image_block(img):
    """Climb from <img> while the ancestor holds nothing but this image."""
    block = img
    parent = img.getparent()
    while parent is not None and parent.tag not in ("body", "html"):
        if collapse(dom_text(parent)) or sum(1 for _ in parent.iter("img")) > 1:
            break
        block = parent
        parent = parent.getparent()
    return block


def _next_block(el):
    sib = el.getnext()
    if (el.tail or "").strip():
        return None  # text follows inline: handled as the same block
    while sib is not None and (not is_element(sib) or sib.tag == "br" or (not collapse(dom_text(sib)) and next(sib.iter("img"), None) is None)):
        if not is_element(sib) or (sib.tail or "").strip():
            return None if (sib.tail or "").strip() else None
        sib = sib.getnext()
    return sib


def _prev_block(el):
    sib = el.getprevious()
    while sib is not None and (sib.tag == "br" or (is_element(sib) and not collapse(dom_text(sib)) and next(sib.iter("img"), None) is None)):
        sib = sib.getprevious()
    return sib


def take(root, main=None, chrome_set=frozenset()) -> list[str]:
    """Find captions inside the article container `main` (outside chrome),
    remove them from the tree, return their texts in page order."""
    lx = _lex()
    scope = main if main is not None else root
    found = []  # (element, text)
    seen = set()

    def add(el, text=None):
        if el is None or el in seen or el in chrome_set or any(a in seen or a in chrome_set for a in el.iterancestors()):
            return
        if any(d in seen for d in el.iterdescendants()):
            return
        text = collapse(text if text is not None else dom_text(el))
        if not text:
            return
        seen.add(el)
        found.append((el, text))

    for el in scope.iter("figcaption"):
        add(el)
    for el in scope.iter():
        if is_element(el) and el is not main and el.tag not in ("body", "html") and tokens(el) & lx["tokens"]:
            text = collapse(dom_text(el))
            if _short(text):
                add(el)
    for img in list(scope.iter("img")):
        if any(a in seen or a in chrome_set for a in img.iterancestors()):
            continue
        block = _image_block(img)
        parent = block.getparent()
        # text sharing a block with the image: <p><img><br><em>caption</em></p>
        if parent is not None and parent.tag not in ("body", "html") and sum(1 for _ in parent.iter("img")) == 1:
            text = collapse(dom_text(parent))
            if text and _short(text) and (len(text.split()) <= 40 or _italic(parent)) and parent is not main:
                if len(parent) <= 6:
                    _take_text(parent, add)
                    continue
        nxt = _next_block(block)
        if nxt is not None and next(nxt.iter("img"), None) is None:
            text = collapse(dom_text(nxt))
            if _short(text) and (len(text.split()) <= 30 or _italic(nxt) or is_credit_line(text)) and not _ends_like_lead(text):
                add(nxt)
                continue
        prv = _prev_block(block)
        if prv is not None and is_element(prv) and next(prv.iter("img"), None) is None:
            text = collapse(dom_text(prv))
            if _short(text) and _italic(prv) and len(text.split()) <= 30:
                add(prv)
    for el in scope.iter("p", "div", "span", "em", "i", "td"):
        if el in seen or any(a in seen for a in el.iterancestors()):
            continue
        text = collapse(dom_text(el))
        if text and len(text) <= 200 and is_credit_line(text) and not el.findall(".//p"):
            add(el)
    for el, _ in found:
        remove(el)
    return [t for _, t in found]


def _ends_like_lead(text: str) -> bool:
    """A short block ending in ':' introduces what follows; it is body text."""
    return text.rstrip().endswith(":")


def _take_text(parent, add):
    """The image's own block holds the caption: take all its text."""
    add(parent)
