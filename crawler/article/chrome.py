"""Portal chrome: find the article's container, then mark what around (and
inside) it is chrome, by structure, by text cues, or by a learnt template.

Rules come from lexicon/clutter.toml. The article container and its
ancestors are never chrome; a block is only chrome by its words when it is
short next to the article or headed by a cue.

Template hook: `template` is a template.SiteTemplate learnt from a source's
other pages, or a plain set of block fingerprints (`fingerprint`). Blocks
whose fingerprint is in it are pruned like any other chrome.
"""

import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache

from lxml import etree

from . import lexicon
from .dom import loose_text
from .dom import BLOCK_TAGS, INLINE_TAGS, is_element, remove, tokens
from .text import collapse, fold, phrase_regex

_DATEISH = re.compile(r"\d{1,4}\s*[/.\-]\s*\d{1,2}(?:\s*[/.\-]\s*\d{2,4})?|\d{1,2}\s*[:h]\s*\d{2}(?:\s*[:]\s*\d{2})?|\b(?:am|pm|gmt|utc)\b")
_NOISE = re.compile(r"[\W\d_]+", re.UNICODE)
_PARA_TAGS = ("p", "div", "td", "li", "blockquote", "pre", "section", "article", "font", "span", "dd", "center", "th")
_HEADED_GROUPS = ("related", "tags", "comments", "footer")


@dataclass
class Rules:
    tags: frozenset
    tokens: frozenset
    inside_exempt: frozenset
    article_tokens: frozenset
    not_main_tokens: frozenset
    layout_tokens: frozenset
    stop_tokens: frozenset
    page_tokens: frozenset
    cue_all: re.Pattern
    cue_head: re.Pattern
    cue_related_whole: re.Pattern
    banner: re.Pattern
    line_drop: frozenset
    line_prefix: re.Pattern
    line_max_words: int
    end_marks: tuple = field(default_factory=tuple)
    footer_cue: re.Pattern | None = None


@lru_cache(maxsize=1)
def rules() -> Rules:
    data = lexicon.load("clutter")
    st, cues = data["structure"], data["cues"]
    every = [p for group in cues.values() for p in group]
    headed = [p for g in _HEADED_GROUPS for p in cues[g]]
    return Rules(
        tags=frozenset(st["tags"]),
        tokens=frozenset(t.lower() for t in st["tokens"]),
        inside_exempt=frozenset(t.lower() for t in st.get("inside_exempt", [])),
        article_tokens=frozenset(t.lower() for t in st.get("article_tokens", [])),
        not_main_tokens=frozenset(t.lower() for t in st["not_main_tokens"]),
        layout_tokens=frozenset(t.lower() for t in st["layout_tokens"]),
        stop_tokens=frozenset(t.lower() for t in st["stop_tokens"]),
        page_tokens=frozenset(t.lower() for t in st["page_tokens"]),
        cue_all=phrase_regex(lexicon.folded(every)),
        cue_head=phrase_regex(lexicon.folded(headed), anchored_start=True),
        cue_related_whole=phrase_regex(lexicon.folded(headed), whole=True),
        banner=phrase_regex(lexicon.folded(data["banner"]["weekdays"])),
        line_drop=frozenset(lexicon.folded(data["lines"]["drop"])),
        line_prefix=phrase_regex(lexicon.folded(data["lines"]["prefixes"]), anchored_start=True),
        line_max_words=int(data["lines"]["max_words"]),
        end_marks=tuple(re.compile(p) for p in data["end_marks"]["patterns"]),
        footer_cue=phrase_regex(lexicon.folded(cues["footer"] + cues["counters"])),
    )


# --- measuring -----------------------------------------------------------------------------------

class _FoldTable(dict):
    """str.translate table doing `fold` one character at a time (whitespace → a space), so
    the folded text of a block is built from its text nodes once, in C, bottom-up."""

    def __missing__(self, code):
        ch = chr(code)
        value = fold(ch) if collapse(ch) else " "
        self[code] = value
        return value


_FOLD_TABLE = _FoldTable()
_SPACES = re.compile(r" {2,}")
# Blocks up to this much text get their folded text kept (matching, fingerprints).
FOLD_LIMIT = 2000


class Stats:
    """Text and link-text lengths of every element, and the folded text of every block of at
    most FOLD_LIMIT characters, computed in one bottom-up pass over the tree."""

    def __init__(self, root, fold_limit: int = FOLD_LIMIT):
        self.template: list = []  # blocks pruned only because the site template has them
        self.elements = list(root.iter(etree.Element))  # document order, elements only
        self.text: dict = {}
        self.link: dict = {}
        self.own: dict = {}
        self._folded: dict = {}  # element → folded loose text (spaces not collapsed)
        text, link, own_d, folded = self.text, self.link, self.own, self._folded
        table = _FOLD_TABLE
        inline = INLINE_TAGS
        # reversed document order visits every element after all its descendants
        for el in reversed(self.elements):
            s = el.text
            if s:
                own = len(s.strip())
                parts = [s.translate(table)]
            else:
                own = 0
                parts = []
            t = own
            ln = 0
            small = True
            for c in el:
                ctag = c.tag
                if isinstance(ctag, str):
                    ct = text[c]
                    t += ct
                    cl = link[c]
                    ln += cl
                    if ctag in inline and ctag != "a":
                        own += ct - cl
                    if small:
                        f = folded.get(c)
                        if f is None:
                            small = False  # a child too big to keep: so is this block
                        else:
                            parts.append(f)
                tail = c.tail
                if tail:
                    n = len(tail.strip())
                    t += n
                    own += n
                    if small:
                        parts.append(tail.translate(table))
            if el.tag == "a":
                ln = t
            text[el], link[el], own_d[el] = t, ln, own
            if small and t <= fold_limit:
                folded[el] = " ".join(parts)

    @property
    def page_text(self) -> int:
        """Text length of the page body (of the whole tree when it has no body)."""
        root = self.elements[0] if self.elements else None
        body = root.find("body") if root is not None and root.tag == "html" else None
        return self.text.get(body if body is not None else root, 0)

    def density(self, el) -> float:
        t = self.text.get(el, 0)
        return self.link.get(el, 0) / t if t else 0.0

    def folded(self, el) -> str:
        """fold(loose text of el): lower case, no diacritics, one space between words."""
        raw = self._folded.get(el)
        if raw is None:
            return fold(collapse(loose_text(el)))
        return _SPACES.sub(" ", raw).strip()

    def head(self, el, n: int = 80) -> str:
        """The folded start of el's text (about n characters), without reading all of a big block."""
        raw = self._folded.get(el)
        if raw is not None:
            return _SPACES.sub(" ", raw).strip()[:n]
        parts, size = [], 0
        for piece in el.itertext():
            parts.append(piece)
            size += len(piece)
            if size >= 4 * n:
                break
        return fold(collapse(" ".join(parts))[:n])

    def key(self, el) -> str | None:
        """The fingerprint of el's text (see `fingerprint`), when el is small enough to have one."""
        raw = self._folded.get(el)
        if raw is None:
            return None
        key = raw.replace(" ", "")
        return _digest(key) if key else None


def _known_chrome(el, stats) -> bool:
    """A block any reader would call chrome by its class or its heading ('Tin liên quan')."""
    r = rules()
    if tokens(el) & r.tokens:
        return True
    return bool(r.cue_head.match(stats.head(el)))


_NOT_MAIN_TAGS = frozenset({"footer", "nav", "aside", "menu"})
# A layout wrapper may say "sidebar" or "nav" ("l-sidebar-fixed", "has-section-nav") and still hold
# the article: such a token only counts on a block that is not most of the page's running text.
_DOMINANT_SHARE = 0.35


def _chromey(el, memo, stats) -> bool:
    """Inside a footer, nav, sidebar…: its text does not vote for the article container."""
    r = rules()
    chain = []
    e = el
    result = False
    while e is not None:
        if e in memo:
            result = memo[e]
            break
        if e.tag in ("body", "html"):
            break  # the page's own classes ("no-sidebar", "footer-widgets-0") describe the layout
        chain.append(e)
        if e.tag in _NOT_MAIN_TAGS:
            result = True
            break
        toks = tokens(e)
        if toks and (toks & r.not_main_tokens or (toks & r.layout_tokens and not _dominant(e, stats, toks & r.article_tokens))):
            result = True
            break
        e = e.getparent()
    for c in chain:
        memo[c] = result
    return result


def _dominant(el, stats, articled=False) -> bool:
    """A block holding a large share of the page's text, mostly not links: a layout wrapper
    (a smaller share will do when its class also calls it the article: "box article modal-enabled")."""
    share = _DOMINANT_SHARE / 2 if articled else _DOMINANT_SHARE
    return stats.text.get(el, 0) >= share * stats.page_text and stats.density(el) < 0.5


def find_main(root, stats: Stats):
    """The element holding most paragraph text (readability-style scoring), widened to
    the block that holds the whole article."""
    scores: dict = {}
    prose: dict = {}  # element → running text of the paragraphs voting below it
    memo: dict = {}
    for el, own in stats.own.items():
        if own < 25 or el.tag not in _PARA_TAGS:
            continue
        if stats.density(el) > 0.5 or _chromey(el, memo, stats):
            continue
        parent = el.getparent()
        if el.tag in ("p", "font", "span", "li", "center") or own >= 0.6 * stats.text.get(el, 1):
            target = parent if parent is not None else el
        else:
            target = el
        if _teaser(el, stats) or (target is not el and _teaser(target, stats)):
            continue  # a teaser of another story does not vote for the container
        score = own
        scores[target] = scores.get(target, 0) + score
        gp = target.getparent()
        if gp is not None:
            scores[gp] = scores.get(gp, 0) + score * 0.3
        prose[el] = prose.get(el, 0) + own
        for a in el.iterancestors():
            prose[a] = prose.get(a, 0) + own
    if not scores:
        body = root.find(".//body")
        return body if body is not None else root
    return widen(max(scores, key=scores.get), stats, prose)


def _count_links(el, enough: int) -> int:
    n = 0
    for _ in el.iter("a"):
        n += 1
        if n >= enough:
            break
    return n


_TEASER_WRAPPERS = frozenset({"h2", "h3", "h4", "h5", "h6", "strong", "b", "div", "span"})


_TEASER_MAX = 500


def _teaser(el, stats) -> bool:
    """A teaser of a link list: a short block opening with a headline link ('<li><a>Headline
    of another story</a> <span>Excerpt…</span></li>'). Its text does not make an article."""
    if stats.text.get(el, 0) > _TEASER_MAX or (el.text or "").strip():
        return False
    first = next((c for c in el if is_element(c)), None)
    while first is not None and first.tag in _TEASER_WRAPPERS and not (first.text or "").strip():
        first = next((c for c in first if is_element(c)), None)
    return first is not None and first.tag == "a" and len(first.text_content().split()) >= 4


def widen(main, stats: Stats, prose=None, levels: int = 4):
    """Climb to the block that also holds the headline, date and photos, and the rest of an
    article split over several blocks: the parent adds little text other than running
    paragraphs, and no page-level chrome (nav, footer…)."""
    r = rules()
    prose = prose or {}

    def nonlink(e):
        return stats.text.get(e, 0) - stats.link.get(e, 0)

    base = nonlink(main)
    base_other = base - prose.get(main, 0)
    climbed = 0.0
    while climbed < levels:
        parent = main.getparent()
        if parent is None or parent.tag in ("body", "html", "form"):
            break
        if stats.text.get(parent, 0) == stats.text.get(main, 0):
            main = parent  # a bare wrapper: half a level
            climbed += 0.5
            continue
        climbed += 1
        other = nonlink(parent) - prose.get(parent, 0)
        if other - base_other > 0.25 * max(base, prose.get(parent, 0)) + 400:
            break  # the parent adds text that is not running prose: sidebars, teasers, widgets
        tagged_article = parent.tag == "article" or parent.get("itemprop") == "articleBody"
        if not tagged_article and any(
                is_element(c) and c is not main and stats.text.get(c, 0) >= 40 and stats.density(c) > 0.5
                and not _known_chrome(c, stats) and _count_links(c, 3) >= 3 for c in parent):
            break  # a menu or link list sits next to it: that is page level
        # an <article>, or a block of running text, may have its own header and footer
        in_article = tagged_article or prose.get(parent, 0) >= 0.85 * nonlink(parent)
        if any(is_element(c) and c is not main and stats.text.get(c, 0) >= 20 and (
                c.tag in ("nav", "aside") or tokens(c) & r.stop_tokens
                or ((not in_article or stats.text.get(c, 0) > 0.2 * base)
                    and (c.tag in ("header", "footer") or tokens(c) & r.page_tokens)))
               for c in parent):
            break
        main = parent
    return main


# --- deciding ------------------------------------------------------------------------------------

def _dominated(folded: str, r: Rules) -> bool:
    """Text made of cue phrases, numbers, dates and separators only."""
    if not r.cue_all.search(folded):
        return False
    rest = r.cue_all.sub(" ", folded)
    rest = _DATEISH.sub(" ", rest)
    rest = _NOISE.sub("", rest)
    letters = _NOISE.sub("", folded)
    return len(rest) <= max(2, 0.25 * len(letters))


# Longer text is never made of cue phrases only (counters, share bars, login links are short).
_DOMINATED_MAX = 600
_TIME = re.compile(r"(?<![\d/.\-])\d{1,2}\s*(?::|h)\s*\d{2}(?!\d)")
_DATE = re.compile(r"\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{4}")


def _banner(folded: str, r: Rules) -> bool:
    """A "today" banner: a weekday and a date, no time, nothing else."""
    if not _DATE.search(folded) or _TIME.search(folded) or not r.banner.search(folded):
        return False
    rest = r.banner.sub(" ", _DATE.sub(" ", folded))
    rest = r.cue_all.sub(" ", rest)
    rest = re.sub(r"\b(ngay|thang|nam|hom nay|la)\b", " ", rest)
    return len(_NOISE.sub("", rest)) <= 3


def fingerprint(text: str) -> str:
    """Fingerprint of a block's text, insensitive to case, diacritics and spacing."""
    return _digest(fold(text).replace(" ", ""))


def _digest(key: str) -> str:
    return hashlib.blake2b(key.encode("utf-8"), digest_size=8).hexdigest()


def _template_set(template):
    if not template:
        return frozenset()
    return frozenset(getattr(template, "fingerprints", template))


def block_fingerprints(root, max_chars: int = FOLD_LIMIT, stats: "Stats | None" = None) -> set[str]:
    """Fingerprints of the page's text blocks, for template learning across a source's pages.
    Reuses the folded texts of `stats` (taken on the same tree) when given."""
    if stats is None:
        stats = Stats(root, fold_limit=max_chars)
    out = set()
    text = stats.text
    for el in stats.elements:
        if el.tag in BLOCK_TAGS and text[el] <= max_chars:
            k = stats.key(el)
            if k:
                out.add(k)
    return out


def mark(root, *, template=None, stats=None):
    """→ (main element, article text length, list of chrome elements, stats)."""
    r = rules()
    if stats is None:
        stats = Stats(root)
    main = find_main(root, stats)
    protected = {main, *main.iterancestors()}
    article_len = max(stats.text.get(main, 0) - stats.link.get(main, 0), 200)
    inside = set(main.iter())
    fps = _template_set(template)
    chrome = []

    def visit(el):
        for c in el:
            if not is_element(c):
                continue
            if c in protected:
                visit(c)
                continue
            verdict = judge(c)
            if verdict == "template":
                stats.template.append(c)
            if verdict:
                chrome.append(c)
                if verdict in ("heading", "headed"):
                    _follow_links(c, stats, chrome)
            else:
                visit(c)

    def judge(el):
        tlen = stats.text.get(el, 0)
        in_main = el in inside
        short = tlen < 0.35 * article_len
        if el.tag in r.tags and not in_main and not (el.tag in ("header", "footer") and _in_article(el)):
            return "tag"
        if el.tag in ("nav", "menu", "select", "button", "iframe", "form") and short:
            return "tag"
        toks = tokens(el)
        if toks:
            hit = toks & r.tokens
            if in_main:
                hit -= r.inside_exempt
            if hit and (short or stats.density(el) > 0.5) and not (toks & r.article_tokens and tlen > 0.5 * article_len):
                return "class"
        if tlen == 0 or tlen > 1500:
            return None
        folded = stats.folded(el)
        if short and len(folded) <= _DOMINATED_MAX and _dominated(folded, r):
            return "cue"
        if not in_main and tlen < 100 and _banner(folded, r):
            return "banner"
        if fps and stats.key(el) in fps and (short or not in_main):
            return "template"
        if tlen < 1000 and len(set(r.footer_cue.findall(folded))) >= 3 and not (in_main and _sentences(folded)):
            return "footer"  # 'Cơ quan chủ quản … Giấy phép … Địa chỉ … Điện thoại …'
        if r.cue_related_whole.match(folded.rstrip(" :")):
            return "heading"
        if r.cue_head.match(folded) and short and (stats.density(el) > 0.3 or tlen < 400 or not in_main):
            return "headed"
        return None

    visit(root)
    return main, article_len, chrome, stats


class Inside:
    """Membership test for the subtree of `root` without building a set of all its elements."""

    def __init__(self, root):
        self.root = root

    def __call__(self, el) -> bool:
        root = self.root
        if el is root:
            return True
        for a in el.iterancestors():
            if a is root:
                return True
        return False


def _sentences(folded: str) -> bool:
    """Running prose, not 'Label: value' lines: an article paragraph that happens to name an
    address, a phone or a managing unit ('Đơn vị quản lý cam kết …')."""
    return len(folded.split()) >= 15 and folded.count(":") < 2 and folded.rstrip()[-1:] in ".!?…"


def _in_article(el) -> bool:
    return any(a.tag == "article" for a in el.iterancestors())


def _follow_links(heading, stats, chrome):
    """After a 'Tin liên quan' heading (bare, or holding the first items), the link lists
    and link items that follow it are chrome too."""
    sib = heading.getnext()
    while sib is not None:
        if is_element(sib):
            if sib.tag in ("ul", "ol") or stats.density(sib) > 0.5:
                chrome.append(sib)
            elif stats.text.get(sib, 0) > 0:
                break
        sib = sib.getnext()


def prune(elements) -> None:
    for el in elements:
        remove(el)


# --- after extraction ----------------------------------------------------------------------------

def is_clutter_line(line: str) -> bool:
    r = rules()
    folded = fold(line).strip(" .:|-–»>•*·")
    if not folded:
        return True
    if folded in r.line_drop:
        return True
    if r.line_prefix.match(folded) and len(folded.split()) <= r.line_max_words:
        return True
    return _dominated(folded, r) and len(folded.split()) <= r.line_max_words


def strip_end_mark(text: str) -> str:
    for pattern in rules().end_marks:
        text = pattern.sub("", text)
    return text.rstrip()
