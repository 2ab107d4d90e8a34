"""One parse per page, plus the tree surgery every later step relies on.

* `parse` builds the lxml tree exactly as trafilatura would (same parser), so
  the tree can be handed to `bare_extraction` without serialising it again.
* `harvest` reads what must be read before anything is removed: meta tags,
  JSON-LD, <title>, canonical link.
* `flatten_layout_tables` turns layout tables (nested tables, one-column
  stacks, cells holding whole articles) into divs; data tables stay tables.
* `split_br_runs` turns text separated by <br><br> (legacy CMSs) into <p>s.
"""

import json
import re
import threading
from contextlib import contextmanager
from functools import lru_cache

from lxml import etree
from lxml.html import HtmlElement
from trafilatura.utils import load_html

from .text import collapse, fold

BLOCK_TAGS = frozenset("address article aside blockquote center dd details dialog div dl dt fieldset figcaption figure "
                       "footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table tbody thead tfoot tr td th ul "
                       "video audio iframe object".split())
INLINE_TAGS = frozenset("a abbr b bdi bdo big cite code data del dfn em font i ins kbd label mark q s samp small span "
                        "strike strong sub sup time tt u var wbr nobr".split())
_DROP_TAGS = ("script", "style", "noscript", "template", "link", "svg", "canvas", "map", "object", "embed")
_SENTENCE_END = re.compile(r"[.!?…:;\"”’»)]\s*$")


def parse(html: str) -> HtmlElement | None:
    try:
        return load_html(html)
    except Exception:  # lxml on hopeless markup
        return None


def remove(el) -> None:
    """Remove `el` but keep its tail text in the document."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail and tail.strip():
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def is_element(el) -> bool:
    return isinstance(el.tag, str)


def tokens(el) -> frozenset[str]:
    """class/id split into tokens: 'boxTinLienQuan news-related' → {box, tin, lien, quan, boxtinlienquan, news, related, …}."""
    cls, ident = el.get("class"), el.get("id")
    if not cls and not ident:
        return _NO_TOKENS
    return _tokens_of(f"{cls or ''} {ident or ''}")


_NO_TOKENS = frozenset()
_TOKEN_SPLIT = re.compile(r"[^A-Za-z0-9]+|(?<=[a-z])(?=[A-Z])")


@lru_cache(maxsize=8192)
def _tokens_of(raw: str) -> frozenset[str]:
    out = set()
    for word in raw.split():
        out.add(word.lower())
        parts = [p.lower() for p in _TOKEN_SPLIT.split(word) if p]
        out.update(parts)
        out.add("".join(parts))
    return frozenset(out)


# --- harvest -------------------------------------------------------------------------------------

def _jsonld_objects(data):
    if isinstance(data, list):
        for item in data:
            yield from _jsonld_objects(item)
    elif isinstance(data, dict):
        yield data
        for key in ("@graph", "mainEntity", "mainEntityOfPage"):
            if key in data:
                yield from _jsonld_objects(data[key])


_DATED = etree.XPath("//time | //*[translate(@itemprop, 'DP', 'dp') = 'datepublished']")
_FULL_DATE_YEAR = re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-]((?:19|20)\d{2})\b")


def harvest(tree) -> dict:
    """meta: folded name → [contents]; jsonld: list of dicts; title; canonical."""
    meta: dict[str, list[str]] = {}
    for m in tree.iter("meta"):
        content = m.get("content")
        if content is None or not content.strip():
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = m.get(attr)
            if key:
                meta.setdefault(fold(key), []).append(collapse(content))
    jsonld = []
    for s in tree.iter("script"):
        if (s.get("type") or "").lower().strip() != "application/ld+json" or not s.text:
            continue
        try:
            data = json.loads(s.text.strip().rstrip(";"))
        except (ValueError, RecursionError):
            continue
        jsonld.extend(_jsonld_objects(data))
    title_el = tree.find(".//title")
    canonical = None
    for link in tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            canonical = link.get("href").strip()
            break
    # Read before any chrome is pruned: a <time> in a meta bar pruned for the body
    # still dates the page, and the full dates of related lists still tell which
    # year a date printed without one ("Chiều 16/5") belongs to.
    time_values = []
    for el in _DATED(tree):
        if not any(a.tag in ("li", "aside", "nav", "footer") for a in el.iterancestors()):
            time_values.append(collapse(el.get("datetime") or el.get("content") or el.text_content()))
    body = tree.find(".//body")
    page_years = [int(y) for y in _FULL_DATE_YEAR.findall(body.text_content() if body is not None else "")]
    return {
        "meta": meta,
        "jsonld": jsonld,
        "title": collapse(title_el.text_content()) if title_el is not None else "",
        "canonical": canonical,
        "time_values": [v for v in time_values if v],
        "page_years": page_years,
    }


def meta_first(info: dict, *names) -> str | None:
    for name in names:
        values = info["meta"].get(fold(name))
        if values:
            return values[0]
    return None


def strip_noise(tree) -> None:
    etree.strip_elements(tree, *_DROP_TAGS, with_tail=False)


# --- legacy layouts ------------------------------------------------------------------------------

def _own_rows(table):
    for child in table:
        if child.tag == "tr":
            yield child
        elif child.tag in ("tbody", "thead", "tfoot"):
            for row in child:
                if row.tag == "tr":
                    yield row


def _is_layout_table(table) -> bool:
    rows = list(_own_rows(table))
    if len(rows) < 2:
        return True
    widths = [sum(1 for c in r if c.tag in ("td", "th")) for r in rows]
    if max(widths, default=0) <= 1:
        return True
    for row in rows:
        for cell in row:
            if cell.tag not in ("td", "th"):
                continue
            for d in cell.iter("table", "img", "h1", "h2", "h3", "h4", "ul", "ol", "form", "iframe", "nav", "input"):
                return True
            text = cell.text_content()
            if len(text) > 300:
                return True
            brs = sum(1 for _ in cell.iter("br"))
            if brs >= 2 and len(text) > 150:
                return True
    return False


def flatten_layout_tables(tree) -> None:
    tables = list(tree.iter("table"))
    for table in tables:
        if not _is_layout_table(table):
            continue
        rows = list(_own_rows(table))
        for section in list(table):
            if section.tag in ("tbody", "thead", "tfoot"):
                section.drop_tag()
        for row in rows:
            for cell in row:
                if cell.tag in ("td", "th"):
                    cell.tag = "div"
            row.tag = "div"
        for cap in table.findall("caption"):
            cap.tag = "div"
        table.tag = "div"


def _segment_text(text, nodes) -> str:
    parts = [text or ""]
    for n in nodes:
        if is_element(n):
            parts.append(n.text_content())
        parts.append(n.tail or "")
    return "".join(parts)


def _split_one(el) -> bool:
    kids = list(el)
    groups = []  # ("inline", text, [nodes]) or ("block", node)
    cur_text, cur_nodes = el.text, []
    i, did_split = 0, False
    while i < len(kids):
        k = kids[i]
        if k.tag == "br":
            j = i
            while j + 1 < len(kids) and kids[j + 1].tag == "br" and not (kids[j].tail or "").strip():
                j += 1
            seg = _segment_text(cur_text, cur_nodes)
            if j > i or (_SENTENCE_END.search(seg) and len(seg.strip()) >= 20):
                groups.append(("inline", cur_text, cur_nodes))
                cur_text, cur_nodes = kids[j].tail, []
                did_split = True
                i = j + 1
                continue
        elif is_element(k) and k.tag in BLOCK_TAGS:
            groups.append(("inline", cur_text, cur_nodes))
            groups.append(("block", k))
            cur_text, cur_nodes = k.tail, []
            i += 1
            continue
        cur_nodes.append(k)
        i += 1
    groups.append(("inline", cur_text, cur_nodes))
    if not did_split:
        return False
    for k in kids:
        if k.tag == "br" and not any(k is n for g in groups if g[0] == "inline" for n in g[2]):
            el.remove(k)
    el.text = None
    for g in groups:
        if g[0] == "block":
            node = g[1]
            node.tail = None
            el.append(node)
            continue
        _, text, nodes = g
        if not (text or "").strip() and not any(is_element(n) and n.tag != "br" for n in nodes) \
                and not any((n.tail or "").strip() for n in nodes):
            continue
        p = el.makeelement("p", {})
        p.text = text
        for n in nodes:
            p.append(n)  # moves n (with its tail)
        el.append(p)
    if el.tag in INLINE_TAGS or el.tag == "p":
        el.tag = "div"
    return True


def split_br_runs(tree) -> None:
    """<td>para one<br><br>para two</td> → <td><p>para one</p><p>para two</p></td>."""
    parents = []
    seen = set()
    for br in tree.iter("br"):
        parent = br.getparent()
        if parent is not None and id(parent) not in seen:
            seen.add(id(parent))
            parents.append(parent)
    for parent in parents:
        if parent.tag in ("pre", "textarea", "code"):
            continue
        _split_one(parent)


def text(el) -> str:
    """Text of `el` with a space for every <br> and block boundary (text_content() glues them)."""
    cache = getattr(_local, "text", None)
    if cache is not None:
        return _cached_text(el, cache)
    parts = []

    def walk(e):
        block = e.tag in BLOCK_TAGS or e.tag == "br"
        if block:
            parts.append(" ")
        if e.text and isinstance(e.tag, str):
            parts.append(e.text)
        for c in e:
            if isinstance(c.tag, str):
                walk(c)
            if c.tail:
                parts.append(c.tail)
        if block:
            parts.append(" ")

    walk(el)
    return "".join(parts)


def _cached_text(el, cache) -> str:
    value = cache.get(el)
    if value is not None:
        return value
    block = el.tag in BLOCK_TAGS or el.tag == "br"
    parts = [" "] if block else []
    if el.text and isinstance(el.tag, str):
        parts.append(el.text)
    for c in el:
        if isinstance(c.tag, str):
            parts.append(_cached_text(c, cache))
        if c.tail:
            parts.append(c.tail)
    if block:
        parts.append(" ")
    value = cache[el] = "".join(parts)
    return value


_local = threading.local()


@contextmanager
def frozen_text():
    """While the tree is only read (not changed), `text` remembers what it computed:
    the text of a block is then built once from its children's."""
    previous = getattr(_local, "text", None)
    _local.text = {}
    try:
        yield
    finally:
        _local.text = previous


def long_headings_to_p(root) -> None:
    """A sapo set as <h2 class="sapo"> is a paragraph: a heading of a dozen words or
    ending like a sentence (trafilatura drops headings standing before the body)."""
    for el in list(root.iter("h2", "h3", "h4", "h5", "h6")):
        t = collapse(text(el))
        if len(t.split()) >= 12 or (len(t.split()) >= 6 and t[-1:] in ".!?…"):
            el.tag = "p"


def leaf_divs_to_p(root) -> None:
    """A div (or layout cell) holding only inline text is a paragraph; trafilatura
    skips some bare-text divs (sapo boxes, table-layout cells) otherwise."""
    for el in list(root.iter("div", "td", "th", "center", "section", "article", "font", "span")):
        if el.tag in ("font", "span") and (el.getparent() is None or el.getparent().tag not in ("div", "td", "body", "section", "article", "center")):
            continue
        if any(isinstance(d.tag, str) and d.tag in BLOCK_TAGS for d in el.iterdescendants()):
            continue
        if el.tag in ("font", "span"):
            # only when it is the sole content of a block
            continue
        if (el.text or "").strip() or any(isinstance(c.tag, str) and c.tag in INLINE_TAGS for c in el):
            if text(el).strip():
                el.tag = "p"


def loose_text(el) -> str:
    """Fast text for matching (not for output): every text node joined with a space."""
    return " ".join(el.itertext())
