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

from . import lexicon
from .dom import loose_text, text as dom_text
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

class Stats:
    """Text and link-text lengths of every element, computed in one bottom-up pass."""

    def __init__(self, root):
        self.template: list = []  # blocks pruned only because the site template has them
        self.text: dict = {}
        self.link: dict = {}
        self.own: dict = {}
        for el in _postorder(root):
            own = len((el.text or "").strip())
            t = own
            l = 0
            for c in el:
                tail = len((c.tail or "").strip())
                t += tail
                own += tail
                if is_element(c):
                    t += self.text.get(c, 0)
                    l += self.link.get(c, 0)
                    if c.tag in INLINE_TAGS and c.tag != "a":
                        own += self.text.get(c, 0) - self.link.get(c, 0)
            if el.tag == "a":
                l = t
            self.text[el], self.link[el], self.own[el] = t, l, own

    def density(self, el) -> float:
        t = self.text.get(el, 0)
        return self.link.get(el, 0) / t if t else 0.0


def _postorder(root):
    stack = [(root, False)]
    while stack:
        el, done = stack.pop()
        if done:
            yield el
            continue
        stack.append((el, True))
        for c in reversed(list(el)):
            if is_element(c):
                stack.append((c, False))


def _known_chrome(el) -> bool:
    """A block any reader would call chrome by its class or its heading ('Tin liên quan')."""
    r = rules()
    if tokens(el) & r.tokens:
        return True
    head = fold(collapse(loose_text(el))[:80])
    return bool(r.cue_head.match(head))


_NOT_MAIN_TAGS = frozenset({"footer", "nav", "aside", "menu", "form"})
_NOT_MAIN_TOKENS = frozenset({"footer", "copyright", "sidebar", "menu", "nav", "navbar", "comment", "comments", "related",
                              "widget", "banner", "breadcrumb", "breadcrumbs", "ads", "advert", "quangcao"})


def _chromey(el, memo) -> bool:
    """Inside a footer, nav, sidebar…: its text does not vote for the article container."""
    chain = []
    e = el
    result = False
    while e is not None:
        if e in memo:
            result = memo[e]
            break
        chain.append(e)
        if (e.tag in _NOT_MAIN_TAGS and e.tag != "form") or tokens(e) & _NOT_MAIN_TOKENS:
            result = True
            break
        e = e.getparent()
    for c in chain:
        memo[c] = result
    return result


def find_main(root, stats: Stats):
    """The element holding most paragraph text (readability-style scoring)."""
    scores: dict = {}
    memo: dict = {}
    for el, own in stats.own.items():
        if own < 25 or el.tag not in _PARA_TAGS:
            continue
        if stats.density(el) > 0.5 or _chromey(el, memo):
            continue
        score = own
        parent = el.getparent()
        if el.tag in ("p", "font", "span", "li", "center") or own >= 0.6 * stats.text.get(el, 1):
            target = parent if parent is not None else el
        else:
            target = el
        scores[target] = scores.get(target, 0) + score
        gp = target.getparent()
        if gp is not None:
            scores[gp] = scores.get(gp, 0) + score * 0.3
    if not scores:
        body = root.find(".//body")
        return body if body is not None else root
    return widen(max(scores, key=scores.get), stats)


_STOP_TOKENS = frozenset({"menu", "nav", "navbar", "navigation", "sidebar", "topmenu", "mainmenu"})
_PAGE_TOKENS = frozenset({"footer", "header", "banner"})


def widen(main, stats: Stats, levels: int = 4):
    """Climb to the block that also holds the headline, date and photos: the
    parent adds little non-link text and no page-level chrome (nav, footer…)."""
    base = stats.text.get(main, 0) - stats.link.get(main, 0)
    for _ in range(levels):
        parent = main.getparent()
        if parent is None or parent.tag in ("body", "html", "form"):
            break
        own = stats.text.get(parent, 0) - stats.link.get(parent, 0)
        if own > base * 1.25 + 400:
            break
        if any(is_element(c) and c is not main and stats.text.get(c, 0) >= 40 and stats.density(c) > 0.5
               and not _known_chrome(c) for c in parent):
            break  # a menu or link list sits next to it: that is page level
        in_article = parent.tag == "article" or parent.get("itemprop") == "articleBody"
        if any(is_element(c) and c is not main and (
                c.tag in ("nav", "aside") or tokens(c) & _STOP_TOKENS
                or (not in_article and (c.tag in ("header", "footer") or tokens(c) & _PAGE_TOKENS)))
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
    key = fold(text).replace(" ", "")
    return hashlib.blake2b(key.encode("utf-8"), digest_size=8).hexdigest()


def _template_set(template):
    if not template:
        return frozenset()
    return frozenset(getattr(template, "fingerprints", template))


def block_fingerprints(root, max_chars: int = 2000) -> set[str]:
    """Fingerprints of the page's text blocks, for template learning across a source's pages."""
    out = set()
    for el in root.iter():
        if not is_element(el) or el.tag not in BLOCK_TAGS:
            continue
        text = collapse(loose_text(el))
        if 0 < len(text) <= max_chars:
            out.add(fingerprint(text))
    return out


def mark(root, *, template=None):
    """→ (main element, article text length, list of chrome elements, stats)."""
    r = rules()
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
                if verdict == "heading":
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
        text = collapse(loose_text(el))
        folded = fold(text)
        if short and _dominated(folded, r):
            return "cue"
        if not in_main and tlen < 100 and _banner(folded, r):
            return "banner"
        if fps and fingerprint(text) in fps and (short or not in_main):
            return "template"
        if tlen < 1000 and len(set(r.footer_cue.findall(folded))) >= 3:
            return "footer"  # 'Cơ quan chủ quản … Giấy phép … Địa chỉ … Điện thoại …'
        if r.cue_related_whole.match(folded.rstrip(" :")):
            return "heading"
        if r.cue_head.match(folded) and short and (stats.density(el) > 0.3 or tlen < 400 or not in_main):
            return "headed"
        return None

    visit(root)
    return main, article_len, chrome, stats


def _in_article(el) -> bool:
    return any(a.tag == "article" for a in el.iterancestors())


def _follow_links(heading, stats, chrome):
    """After a bare 'Tin liên quan' heading, its link lists are chrome too."""
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
