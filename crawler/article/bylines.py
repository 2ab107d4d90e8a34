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
        "max_names": int(b["max_names"]),
        "max_name_word": int(b["max_name_word"]),
        "tail_lines": int(b["tail_lines"]),
        "tail_max_words": int(b["tail_max_words"]),
        "places": frozenset(lexicon.folded(b["dateline_places"])),
        "meta": b["meta"],
        "tokens": frozenset(t.lower() for t in b["tokens"]),
        "origin": re.compile(r"^\s*[(\[]?\s*(?:" + "|".join(re.escape(p.rstrip(":")) for p in sorted(o["prefixes"], key=len, reverse=True))
                             + r")\s*[:：]?\s+(?P<o>[^()\[\]]+?)\s*[)\]]?\s*\.?\s*$", re.I),
        "origin_tail": re.compile(r"\s*[(\[]\s*(?:" + "|".join(re.escape(p.rstrip(":")) for p in sorted(o["prefixes"], key=len, reverse=True))
                                  + r")\s*[:：]?\s+(?P<o>[^()\[\]]{2,80}?)\s*[)\]]\s*\.?\s*$", re.I),
        "origin_words": int(o["max_words"]),
    }


# The shape of a syllable of a name: up to 3 initial consonants, vowels, up to 2 final consonants (folded).
_SYLLABLE = re.compile(r"^[^aeiouy]{0,3}[aeiouy]+[^aeiouy]{0,2}$")
_NAME_SEP = re.compile(r"\s*,\s*|\s+(?:-|–|—|và|&)\s+")
_NAME_PUNCT = re.compile(r"[.;!?…:\"“”()\[\]/|]")


def _person(part: str, *, prefixed: bool) -> bool:
    """One personal name: 1–max_words words, each capitalised (or all caps), letters only."""
    lx = _lex()
    words = part.split()
    if not 1 <= len(words) <= lx["max_words"]:
        return False
    for w in words:
        core = w.replace("'", "").replace("’", "").replace("-", "")
        if not core.isalpha() or not w[0].isupper():
            return False
        if len(core) > lx["max_name_word"] and not w.isupper():
            return False
        if not _SYLLABLE.match(fold(core)):
            return False  # 'UBND', 'TTXVN', 'HĐND': an acronym, not a name
    if len(words) == 1 and not prefixed and len(words[0]) < 3:
        return False
    return True


def name_like(text: str) -> str | None:
    """The byline in `text` if it reads as one, else None.

    'Đoàn Hồng', 'NGUYÊN ĐOAN |', 'Tin, ảnh: Minh Anh', 'Văn Thành - Hồng Nhung',
    'Minh Anh, Thu Hà', 'PV'. Not a sentence, not a caption, no digits.
    """
    lx = _lex()
    t = collapse(text).strip(_TRIM)
    m = lx["prefix"].match(t)
    if m:
        t = t[m.end():].strip(_TRIM)
    if not t:
        return None
    if fold(t) in lx["collective"]:
        return t
    if _NAME_PUNCT.search(t) or any(ch.isdigit() for ch in t):
        return None
    parts = [p for p in _NAME_SEP.split(t) if p]
    if not 1 <= len(parts) <= lx["max_names"]:
        return None
    for part in parts:
        if fold(part) not in lx["collective"] and not _person(part, prefixed=bool(m) or len(parts) > 1):
            return None
    return t


def _firm_name(text: str) -> str | None:
    """A byline sure enough to end the article: two words or more, all caps, prefixed or collective."""
    name = name_like(text)
    if not name:
        return None
    t = collapse(text).strip(_TRIM)
    if len(name.split()) >= 2 or name.isupper() or fold(name) in _lex()["collective"] or t != name:
        return name
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


_SENT_END = re.compile(r"[.!?…;:]\s*[\"”’»)]?\s*$")
_AUTHOR_OUTLET = (re.compile(r"^(?P<a>[^()]+?)\s*\((?P<o>[^()]+)\)\s*$"),
                  re.compile(r"^(?P<a>[^-–]+?)\s+[-–]\s+(?P<o>[A-ZĐ][A-ZĐ0-9.]{1,14})\s*$"))
# "HÀ AN | Ngày 20/1, …", "NGỌC LAN - Những ngày này, …": an upper-case byline opening the lead.
_LEAD_BYLINE = re.compile(r"^(?P<n>[^\W\d_][^|\-–—:.,;()]{1,60}?)\s*(?P<sep>\||[-–—])\s*(?P<rest>\S.*)?$")


def credit(line: str):
    """A closing credit line → (author, origin) (either may be None), or None."""
    o = origin_of(line)
    if o:
        return None, o
    for rx in _AUTHOR_OUTLET:  # "Đoàn Hồng (TTXVN)", "Minh Anh - TTXVN"
        m = rx.match(line)
        if m and name_like(m["a"]) and (name_like(m["o"]) or m["o"].isupper()):
            return name_like(m["a"]), collapse(m["o"])
    name = _firm_name(line)
    if name:
        return name, None
    return None


def tail_lines() -> int:
    """How many lines from the end a closing byline/credit/end mark is looked for."""
    return _lex()["tail_lines"]


def short_line(line: str) -> bool:
    return len(line.split()) <= _lex()["tail_max_words"]


def _tail_like(line: str) -> bool:
    """Short and not a sentence: a related link, a rating, a credit — not a paragraph."""
    return len(line.split()) <= _lex()["tail_max_words"] and not _SENT_END.search(line)


def lead_byline(line: str):
    """'HÀ AN | Ngày 20/1, …' → ('HÀ AN', 'Ngày 20/1, …'); None when the line does not open so.
    A whole-line byline ('NGUYÊN ĐOAN |') gives rest ''."""
    m = _LEAD_BYLINE.match(line)
    if not m:
        return None
    n = m["n"].strip()
    if not n.isupper() or not name_like(n):
        return None
    if m["sep"] != "|":
        # "HÀ NỘI - Sáng 27/12, …" is a dateline; a one-word acronym ("TTXVN - …") is an outlet
        if fold(n) in _lex()["places"] or len(n.split()) < 2:
            return None
    return name_like(n), (m["rest"] or "").strip()


def split_body(lines, *, author=None):
    """Take bylines/origin from the ends of the body lines.

    → (lines, author, origin). At the end: the first credit line (byline,
    "Nguồn: …", "Đoàn Hồng (TTXVN)") after which only short non-sentence lines
    follow ends the article; those credits are read and what follows them
    (related links, ratings) is dropped as tail. At the start: an upper-case
    byline opening the lead ("HÀ AN | …") or a byline line of its own.
    """
    lx = _lex()
    origin = None
    lines = list(lines)
    n = len(lines)
    start = max(1, n - lx["tail_lines"])
    j = n
    while j > start and (_tail_like(lines[j - 1]) or credit(lines[j - 1])):
        j -= 1
    for k in range(j, n):
        c = credit(lines[k])
        if c is None:
            continue
        end = k
        while end < n and end - k < 3:
            c = credit(lines[end])
            if c is None:
                break
            a, o = c
            if a and author is None:
                author = a
            if o and origin is None:
                origin = o
            end += 1
        lines = lines[:k]
        break
    if lines and origin is None:
        cut = origin_tail(lines[-1])
        if cut:
            lines[-1], origin = cut
    if len(lines) >= 2:
        first = lines[0]
        lead = lead_byline(first)
        if lead:
            name, rest = lead
            author = author or name
            if rest:
                lines[0] = rest
            else:
                lines.pop(0)
        elif author is None:
            name = name_like(first)
            if name and (first.isupper() or lx["prefix"].match(first)):
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
