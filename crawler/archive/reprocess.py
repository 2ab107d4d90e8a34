"""Rebuild every derived table from the raw pages, without the network."""

from collections import deque

from ..article.template import TemplateLearner
from .clusters import update_clusters
from ..processing import fingerprint_page, make_pool, process_page


def bounded_map(pool, fn, argument_tuples, in_flight: int):
    """Like pool.map, results in order, but with at most `in_flight` tasks
    submitted at once, so a large archive streams through the pool instead of
    being read into memory whole."""
    queue = deque()
    for args in argument_tuples:
        queue.append(pool.submit(fn, *args))
        if len(queue) >= in_flight:
            yield queue.popleft().result()
    while queue:
        yield queue.popleft().result()


def reprocess(archive, sources_by_id: dict, *, workers=None) -> dict:
    """Re-derive site templates and articles from the newest copy of every page.

    Two passes: the first learns each source's template from all its pages,
    the second extracts every page with it, so the result does not depend on
    the order pages were crawled in. One transaction: readers see the old
    tables until the new ones are complete, and an interrupted run changes
    nothing.
    """
    counts = {"pages": 0, "articles": 0, "errors": 0}
    latest = archive.latest_pages()
    page_ids = [page_id for page_id, _ in latest]

    def pages():
        for page_id in page_ids:
            yield archive.page(page_id)

    learner = TemplateLearner()
    with make_pool(workers) as pool, archive.transaction():
        fingerprints = bounded_map(pool, fingerprint_page,
                                   ((p["body"], p["content_type"]) for p in pages()), 32)
        for (_, source), found in zip(latest, fingerprints):
            learner.add(source, found)
        templates = {source: learner.template(source) for source in learner.sources()}

        archive.clear_derived()
        archive.save_learner(learner)
        tasks = ((p["body"], p["final_url"], sources_by_id.get(p["source"]), p["content_type"],
                  p["fetched_at"], templates.get(p["source"])) for p in pages())
        for page_id, (record, error, _) in zip(page_ids, bounded_map(pool, process_page, tasks, 32)):
            counts["pages"] += 1
            counts["errors"] += bool(error)
            archive.mark_page(page_id, record is not None)
            if record is not None:
                archive.save_article(record, page_id)
                counts["articles"] += 1
        counts["clusters"] = update_clusters(archive)["duplicated"]
    return counts
