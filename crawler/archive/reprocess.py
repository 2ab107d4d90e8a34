"""Rebuild every derived table from the raw pages, without the network."""

from collections import deque

from ..processing import make_pool, process_page


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
    """Re-derive articles from the newest copy of every archived page.

    One transaction: readers see the old tables until the new ones are
    complete, and an interrupted run changes nothing.
    """
    counts = {"pages": 0, "articles": 0, "errors": 0}
    page_ids = archive.latest_page_ids()

    def tasks():
        for page_id in page_ids:
            page = archive.page(page_id)
            yield (page["body"], page["final_url"], sources_by_id.get(page["source"]),
                   page["content_type"], page["fetched_at"])

    with make_pool(workers) as pool, archive.transaction():
        archive.clear_derived()
        for page_id, (record, error) in zip(page_ids, bounded_map(pool, process_page, tasks(), 32)):
            counts["pages"] += 1
            counts["errors"] += bool(error)
            archive.mark_page(page_id, record is not None)
            if record is not None:
                archive.save_article(record, page_id)
                counts["articles"] += 1
    return counts
