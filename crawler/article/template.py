"""Site-template learning: blocks that repeat across many pages of one source
are that portal's boilerplate, whatever words they use.

Rules (lexicon/clutter.toml) catch the chrome every portal shares: counters,
banners, share bars. A portal nobody wrote a rule for still repeats its own
slogan, hotline box or sidebar on every page; counting in how many of a
source's pages each block occurs finds those. A block is template when it is
on at least MIN_SHARE of the source's pages (and on MIN_PAGES at the least);
the article's own paragraphs occur on one page, or on a few when republished.

The learner is pure; the archive persists it (tables `templates` and
`template_blocks`) and the crawl, `extract --source` and `reprocess` use it.
"""

import math
from collections import Counter
from dataclasses import dataclass, field

from . import chrome, dom
from ..page import decode_html, nfc

MIN_PAGES = 4
MIN_SHARE = 0.5


@dataclass(frozen=True)
class SiteTemplate:
    """What is learnt about one source: the fingerprints of its boilerplate blocks."""

    source: str
    pages: int
    fingerprints: frozenset = field(default_factory=frozenset)


class TemplateLearner:
    """Counts, per source, the pages each block fingerprint occurs on."""

    def __init__(self, min_pages: int = MIN_PAGES, min_share: float = MIN_SHARE):
        self.min_pages = min_pages
        self.min_share = min_share
        self.pages: Counter = Counter()
        self.blocks: dict[str, Counter] = {}
        self._cached: dict[str, SiteTemplate | None] = {}

    def add(self, source: str, fingerprints) -> None:
        self.pages[source] += 1
        counts = self.blocks.setdefault(source, Counter())
        counts.update(set(fingerprints))
        if len(counts) > 50_000:
            self._forget_rare(source)

    def _forget_rare(self, source):
        """Keep memory bounded on big sources: a block seen on far fewer pages
        than the threshold cannot become template soon."""
        floor = max(2, self.threshold(source) // 4)
        counts = self.blocks[source]
        self.blocks[source] = Counter({fp: n for fp, n in counts.items() if n >= floor})

    def threshold(self, source: str) -> int:
        return max(self.min_pages, math.ceil(self.min_share * self.pages[source]))

    def current(self, source: str) -> SiteTemplate | None:
        """The template as the crawl applies it: recomputed while the source is
        small, then each time its page count has grown by a tenth, so asking
        for it on every page stays cheap however many blocks are counted."""
        cached = self._cached.get(source)
        pages = self.pages[source]
        if cached is None or pages < 50 or pages >= cached.pages * 1.1:
            self._cached[source] = self.template(source)
        return self._cached[source]

    def template(self, source: str) -> SiteTemplate | None:
        """The template from all the pages counted so far."""
        pages = self.pages[source]
        if pages < self.min_pages:
            return None
        need = self.threshold(source)
        fingerprints = frozenset(fp for fp, n in self.blocks.get(source, {}).items() if n >= need)
        return SiteTemplate(source, pages, fingerprints)

    def sources(self):
        return list(self.pages)


def page_fingerprints(html, content_type=None) -> frozenset:
    """The block fingerprints of one page, normalised as extraction sees it."""
    text = decode_html(html, content_type) if isinstance(html, bytes) else nfc(html)
    tree = dom.parse(text)
    if tree is None:
        return frozenset()
    dom.strip_noise(tree)
    dom.flatten_layout_tables(tree)
    dom.split_br_runs(tree)
    return frozenset(chrome.block_fingerprints(tree))
