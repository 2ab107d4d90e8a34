"""Page processing in a process pool, shared by the crawl and `reprocess`.

Extraction is CPU-bound (lxml, trafilatura, dateparser), so it never runs on
the crawl's reactor thread: the pipeline hands raw bytes to worker processes
and awaits the result. Workers are spawned, not forked, so they never inherit
a running reactor or open database connections.
"""

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

from .article import extract_page
from .article.template import page_fingerprints
from .page import NotHTMLError
from .registry import Source


def default_workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


def make_pool(workers: int | None = None) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(
        max_workers=workers or default_workers(),
        mp_context=multiprocessing.get_context("spawn"),
    )


def process_page(body: bytes, url: str, source: Source | None, content_type: str | None,
                 fetched_at: str | None, template=None):
    """→ (article record or None, error message or None, block fingerprints).
    Never raises, so one bad page cannot take a worker or the crawl down."""
    try:
        result = extract_page(body, url, source, content_type=content_type,
                              fetched_at=fetched_at, template=template)
        return result.record, None, result.fingerprints
    except NotHTMLError as exc:
        return None, f"not HTML: {exc}", frozenset()
    except Exception as exc:  # an extraction bug must not stop the archive
        return None, f"extraction failed: {type(exc).__name__}: {exc}", frozenset()


def fingerprint_page(body: bytes, content_type: str | None) -> frozenset:
    """The page's block fingerprints alone (for learning templates before extracting)."""
    try:
        return page_fingerprints(body, content_type)
    except Exception:
        return frozenset()
