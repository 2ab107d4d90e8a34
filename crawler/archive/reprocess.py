"""Rebuild every derived table from the raw pages, without the network."""

import logging
from collections import deque

from ..article.template import TemplateLearner
from ..processing import Outcome, WorkerFailed, Workers, fingerprint_page, process_page
from .clusters import update_clusters
from .db import ArchiveError

logger = logging.getLogger(__name__)

# Tasks handed to the workers ahead of the one awaited: enough to keep every
# worker busy, few enough that a large archive streams through in bounded memory.
IN_FLIGHT = 32


def in_order(workers: Workers, fn, calls, in_flight: int = IN_FLIGHT):
    """(key, result) for each (key, args) of `calls`, in order, with at most
    `in_flight` tasks submitted at once; a task its workers could not finish
    gives its WorkerFailed as the result."""
    queue = deque()

    def settle():
        key, task = queue.popleft()
        try:
            return key, workers.result(task)
        except WorkerFailed as exc:
            return key, exc

    for key, args in calls:
        queue.append((key, workers.submit(fn, *args)))
        if len(queue) >= in_flight:
            yield settle()
    while queue:
        yield settle()


def reprocess(archive, sources_by_id: dict, *, run_id=None, workers=None, memory_mb=None, timeout=None) -> dict:
    """Re-derive site templates and articles from the newest copy of every page.

    Two passes: the first learns each source's template from all its pages,
    the second extracts every page with it, so the result does not depend on
    the order pages were crawled in. One transaction: readers see the old
    tables until the new ones are complete, and an interrupted run changes
    nothing. A page that cannot be read or extracted is recorded in
    crawl_errors (stage 'reprocess', under `run_id`) and keeps the article it
    had; the rest is rebuilt.
    """
    counts = {"pages": 0, "articles": 0, "errors": 0}
    latest = archive.latest_pages()

    def pages(record_errors):
        for page_id, source in latest:
            try:
                yield archive.page(page_id)
            except ArchiveError as exc:
                if record_errors:
                    fail(page_id, source, archive.page_summary(page_id)["final_url"], str(exc))

    def fail(page_id, source, url, message, trace=None):
        counts["errors"] += 1
        kept.add(page_id)
        failed.add(page_id)
        logger.error("%s: %s%s", url or f"page {page_id}", message, f"\n{trace}" if trace else "")
        archive.record_error(run_id, source, url, message, stage="reprocess")

    learner = TemplateLearner()
    kept = set()  # pages whose article is (still) in the archive
    failed = set()  # of those, the pages that failed and keep the article they had
    with Workers(workers, memory_mb=memory_mb, timeout=timeout) as pool, archive.transaction():
        calls = ((page, (page["body"], page["content_type"])) for page in pages(record_errors=False))
        for page, found in in_order(pool, fingerprint_page, calls):
            if not isinstance(found, WorkerFailed):
                learner.add(page["source"], found)
        templates = {source: learner.template(source) for source in learner.sources()}
        archive.clear_templates()
        archive.save_learner(learner)
        # The index is rebuilt whole, so it matches `articles` whatever it held before.
        archive.clear_search_index()

        calls = ((page, (page["body"], page["final_url"], sources_by_id.get(page["source"]),
                         page["content_type"], page["fetched_at"], templates.get(page["source"])))
                 for page in pages(record_errors=True))
        for page, outcome in in_order(pool, process_page, calls):
            counts["pages"] += 1
            if isinstance(outcome, WorkerFailed):
                outcome = Outcome(error=f"extraction failed: {outcome}", stage="extract")
            if outcome.error and outcome.stage != "decode":
                fail(page["id"], page["source"], page["final_url"], outcome.error, outcome.traceback)
                continue
            if outcome.error:  # not HTML at all: recorded, and no article
                counts["errors"] += 1
                archive.record_error(run_id, page["source"], page["final_url"], outcome.error, stage="reprocess")
            # An article this page gave before and gives no more goes with keep_only_articles_of.
            archive.flag_page(page["id"], outcome.record is not None)
            if outcome.record is not None:
                archive.save_article(outcome.record, page["id"], unindex=False)
                kept.add(page["id"])
                counts["articles"] += 1
        archive.keep_only_articles_of(kept, unindex=False)
        archive.index_articles_of(failed)
        counts["clusters"] = update_clusters(archive)["duplicated"]
    return counts
