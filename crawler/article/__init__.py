"""The pure core: HTML bytes + URL + source → article record.

No Scrapy here: the crawl, `crawler extract` and `crawler reprocess` all call
`extract_article`, so what is archived can always be re-derived offline.

The page is parsed once; the same lxml tree goes through:

    dom       harvest meta/JSON-LD, flatten layout tables, <br><br> → <p>
    chrome    one bottom-up measuring pass (text/link lengths, folded text, block
              fingerprints for template learning); find the article container,
              mark portal chrome (and learnt template blocks) around and inside
              it; chrome around the container is pruned at once
    titles    headline, never the portal name
    dates     the article's own date, never the "today" banner
    captions  photo captions out of the body
    bylines   author / origin out of the body
    (prune, then trafilatura.bare_extraction, fast mode, on the container alone)
    clean     residual clutter lines, end marks, one paragraph per line

Rules live as data in lexicon/*.toml.
"""

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import urljoin, urlsplit

import trafilatura

from ..dedup.urls import is_calendar_url
from ..page import decode_html
from ..record import PAGE_FIELDS, complete_record
from . import bylines, captions as captions_mod, chrome, clean, dates, dom, titles
from .dom import text as dom_text
from .text import collapse, fold, nfc

# A page whose main text is shorter than this is a listing, a menu page or a stub.
MIN_ARTICLE_WORDS = 80
# …unless the page says it is an article (og:type article, JSON-LD NewsArticle, a dated headline).
MIN_DECLARED_ARTICLE_WORDS = 40
# An undated page that does not say it is an article is one all the same with this much running text.
LONG_TEXT_WORDS = 150
# A run of consecutive paragraphs this long (characters) is an article, not a listing.
LISTING_MAX_RUN = 600
# Above this share of link text in the article container, the page is a listing.
MAX_LINK_DENSITY = 0.45

# Tags trafilatura accepts as an article body container.
_BODY_TAGS = ("article", "div", "main", "section")
_ARTICLE_TYPES = {"article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle", "webpage-article"}


def extract_article(html, url, source=None, *, content_type=None, fetched_at=None, template=None,
                    min_words=MIN_ARTICLE_WORDS, analyse=True):
    """The article record for one page, or None when the page is not an article.

    `html` is bytes (decoded as a browser would) or already-decoded text.
    `source` is a registry Source (or None). `template` is what the archive
    learnt about the source's page template (a template.SiteTemplate, or any
    set of block fingerprints); those blocks are pruned as chrome.
    """
    return extract_page(html, url, source, content_type=content_type, fetched_at=fetched_at,
                        template=template, min_words=min_words, analyse=analyse).record


@dataclass(frozen=True)
class PageResult:
    """What processing one page yields: the article (or None) and the
    fingerprints of the page's blocks, from which site templates are learnt."""

    record: dict | None
    fingerprints: frozenset = frozenset()


def extract_page(html, url, source=None, *, content_type=None, fetched_at=None, template=None,
                 min_words=MIN_ARTICLE_WORDS, analyse=True) -> PageResult:
    """Like extract_article, with the page's block fingerprints as well.
    With analyse=False only what is read off the page (record.PAGE_FIELDS),
    without report recognition and figures: what extraction benchmarks time."""
    record, fingerprints = _extract(html, url, source, content_type=content_type, fetched_at=fetched_at,
                                    template=template, min_words=min_words)
    if record is not None and analyse:
        record = complete_record(record, source)
    return PageResult(record, frozenset(fingerprints))


def _extract(html, url, source, *, content_type, fetched_at, template, min_words):
    fetched_at = fetched_at or datetime.now(timezone.utc).isoformat(timespec="seconds")
    text_html = decode_html(html, content_type) if isinstance(html, bytes) else nfc(html)
    tree = dom.parse(text_html)
    if tree is None:
        return None, ()
    info = dom.harvest(tree)
    dom.strip_noise(tree)
    dom.flatten_layout_tables(tree)
    dom.split_br_runs(tree)
    # One measuring pass; the fingerprints are taken on the same normalised tree the template is matched against.
    stats = chrome.Stats(tree)
    fingerprints = chrome.block_fingerprints(tree, stats=stats)
    if is_calendar_url(url):
        return None, fingerprints  # a day or month of a calendar: a listing, whatever its text

    main, article_len, chrome_els, stats = chrome.mark(tree, template=template, stats=stats)
    # Chrome around the article goes before anything else reads the tree: the later steps walk
    # a smaller tree. Chrome inside the container stays marked until the captions are taken
    # (a photo's caption box may carry a chrome-like class); template blocks stay until the
    # listing check (below).
    template_els = set(stats.template)
    inside = chrome.Inside(main)
    outer = [el for el in chrome_els if el not in template_els and not inside(el)]
    kept = [el for el in chrome_els if el in template_els or inside(el)]
    chrome.prune(outer)
    chrome_set = set()
    for c in kept:
        chrome_set.update(c.iter())
    order = {el: i for i, el in enumerate(stats.elements)}

    # Nothing changes the tree while these read it (captions only remove what they took at the end).
    with dom.frozen_text():
        title, title_el = titles.pick(tree, info, source, chrome_set=chrome_set, stats=stats)
        published, date_el = dates.pick(tree, info, url=url, fetched_at=fetched_at, chrome=kept, main=main,
                                        title_el=title_el, order=order, stats=stats)
        if title is None:
            title, title_el = titles.before_date(date_el, info, source, chrome_set=chrome_set)
        if title is None:
            title = titles.from_title_tag(info, source)
        author, author_el = bylines.from_element(tree, chrome_set)

        caps = captions_mod.take(tree, main, chrome_set)

    article_types = _declared_article(info)

    # Whether the page is a listing is judged before template blocks go: on a
    # home page the teaser lists are themselves repeated across the site.
    chrome.prune([el for el in kept if el not in template_els])
    if not article_types and _listing(main):
        return None, fingerprints
    chrome.prune(stats.template)
    for el in (title_el, author_el):
        if el is not None and el.getparent() is not None and el is not main and main not in set(el.iterdescendants()):
            dom.remove(el)
    date_el = _date_block(date_el, main)
    if date_el is not None:
        dom.remove(date_el)

    if main.getparent() is None and main is not tree:
        return None, fingerprints
    edge_author, edge_origin, edge_els = bylines.from_edges(main)
    for el in edge_els:
        dom.remove(el)
    author = author or edge_author
    dom.leaf_divs_to_p(main)
    dom.long_headings_to_p(main)
    # trafilatura must not narrow the article container by class names ("sapo", "author"…):
    # our own pruning already decided what is chrome inside it. The container is marked as
    # the article body so that trafilatura takes all of it (lists and subheadings too).
    for el in main.iter():
        if dom.is_element(el):
            for attr in ("class", "id", "itemprop", "role"):
                el.attrib.pop(attr, None)
    if main.tag in _BODY_TAGS:
        main.set("itemprop", "articleBody")
    # trafilatura reads only the container, moved into a page of its own: what is outside
    # was judged already, and a small tree costs little to copy and to clean. Fast mode: no
    # second opinion from readability/justext over the container we chose.
    doc = trafilatura.bare_extraction(_alone(main), url=url, with_metadata=False, include_comments=False,
                                      include_tables=True, include_images=False, fast=True)
    if doc is None or not getattr(doc, "text", None):
        return None, fingerprints

    lines = clean.lines_of(doc.text)
    lines = clean.drop_clutter(lines, title=title, captions=caps)
    lines = [ln for ln in lines if not (dates.is_date_line(ln) and len(ln) < 80)]
    kept = []
    for ln in lines:
        if captions_mod.is_credit_line(ln):
            caps.append(ln)
        else:
            kept.append(ln)
    lines = clean.end_marks(kept)
    lines, body_author, origin = bylines.split_body(lines, author=author)
    lines = clean.end_marks(lines)
    origin = origin or edge_origin or bylines.dateline_origin(lines)
    author = author or body_author or bylines.from_meta(info, titles.site_names(info, source))

    body = "\n".join(lines)
    words = word_count(body)
    if published is None and not article_types and not _long_text(lines):
        return None, fingerprints  # an undated page that does not call itself an article: about, contact, gallery…
    threshold = MIN_DECLARED_ARTICLE_WORDS if (article_types or (published and title)) else min_words
    if words < min(threshold, min_words):
        return None, fingerprints

    record = {
        "url": url,
        "canonical_url": _canonical(info.get("canonical"), url),
        "source": source.id if source else None,
        "title": title or None,
        "published": published,
        "author": author,
        "origin": origin,
        "text": body,
        "captions": [c for c in (collapse(x) for x in caps) if c],
        "word_count": words,
        "fetched_at": fetched_at,
    }
    return {name: record[name] for name in PAGE_FIELDS}, fingerprints


def _alone(main):
    """`main` moved into an <html><body> of its own (no copy); the page itself when it is the body."""
    if main.tag in ("html", "body") or main.getparent() is None:
        return main.getroottree().getroot()
    page = main.makeelement("html", {})
    body = main.makeelement("body", {})
    page.append(body)
    main.tail = None  # text after the container is not the article's
    body.append(main)
    return page


_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_NON_CJK_WORD = re.compile(r"[^\s\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def word_count(text: str) -> int:
    """Words of `text`; Chinese and Japanese, written without spaces, count two characters a word."""
    cjk = len(_CJK.findall(text))
    if not cjk:
        return len(text.split())
    return len(_NON_CJK_WORD.findall(text)) + (cjk + 1) // 2


def _long_text(lines) -> bool:
    """A long coherent text: an article even when it has no date and does not say so
    (several real paragraphs, not a list of short items)."""
    counts = [word_count(ln) for ln in lines]
    if sum(counts) < LONG_TEXT_WORDS:
        return False
    return max(counts, default=0) >= 80 or sum(1 for n in counts if n >= 30) >= 3 \
        or sum(1 for n in counts if n >= 15) >= 5


def _date_block(el, main):
    """The header line holding the date ('Thứ Năm, 04/01/2024 18:30 (GMT+7) Hà Nội'), if it is
    only a date line: short, no sentence. Climbs from a <span> to its line."""
    if el is None or el is main or el.getparent() is None or main in set(el.iterdescendants()):
        return None

    def line_like(e):
        t = collapse(dom_text(e))
        return 0 < len(t.split()) <= 16 and not t.endswith((".", ";", ":")) and dates.DATE_RE.search(fold(t[:40]))

    if not (dates.is_date_line(dom_text(el)) or line_like(el)):
        return None
    parent = el.getparent()
    if parent is not None and parent is not main and parent.tag not in ("body", "html") and line_like(parent) \
            and main not in set(parent.iterdescendants()):
        return parent
    return el


def _declared_article(info) -> bool:
    og = fold(dom.meta_first(info, "og:type") or "")
    if og == "article":
        return True
    for obj in info["jsonld"]:
        t = obj.get("@type")
        types = t if isinstance(t, list) else [t]
        if any(isinstance(x, str) and x.lower() in _ARTICLE_TYPES for x in types):
            return True
    return False


def _listing(main) -> bool:
    """A page of links with teasers: link-dense, or many headline links and little prose.

    Prose is measured as the longest run of link-free blocks not interrupted by a headline
    link: an article's paragraphs follow one another, a listing's teasers each follow their
    headline. So a short article sharing its container with a related-links list is not a
    listing."""
    total = len(collapse(dom_text(main)))
    if not total:
        return True
    links = [collapse(a.text_content()) for a in main.iter("a")]
    link_chars = sum(len(x) for x in links)
    run = _longest_prose_run(main)
    if run >= LISTING_MAX_RUN:
        return False  # a coherent text, whatever is listed next to it
    if link_chars / total > MAX_LINK_DENSITY:
        return True
    headlines = len({x for x in links if len(x.split()) >= 5})
    if headlines >= 2 and run < 250:
        return True
    return headlines >= 4 and link_chars / total > 0.2 and run < 400


def _longest_prose_run(main) -> int:
    """Characters of the longest run of consecutive link-free text blocks (paragraphs)."""
    best = run = 0
    prose = set(_prose_blocks(main))
    for el in main.iter():
        if el in prose:
            run += len(collapse(dom_text(el)))
            best = max(best, run)
        elif el.tag == "a" and len(el.text_content().split()) >= 5:
            run = 0  # a headline link: what follows is its teaser
    return best


def _prose_blocks(main):
    """Blocks of running text without links (teasers and paragraphs)."""
    for el in main.iter("p", "div", "td", "li", "dd", "blockquote"):
        if next(el.iter("a"), None) is not None:
            continue
        if any(dom.is_element(d) and d.tag in dom.BLOCK_TAGS for d in el.iterdescendants()):
            continue
        yield el


def _canonical(href, url):
    if not href:
        return url
    full = urljoin(url, href)
    a, b = urlsplit(full), urlsplit(url)
    if a.scheme not in ("http", "https") or a.netloc.lower().removeprefix("www.") != b.netloc.lower().removeprefix("www."):
        return url
    return full


def _unique(items):
    seen, out = set(), []
    for c in items:
        c = collapse(c)
        if c and fold(c) not in seen:
            seen.add(fold(c))
            out.append(c)
    return out
