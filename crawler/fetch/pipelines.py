"""The archive pipeline: keep every page raw, then derive its article off the reactor."""

import asyncio
import logging

from ..archive import Archive
from ..archive.clusters import update_clusters
from ..article.template import TemplateLearner
from ..processing import make_pool, process_page
from .items import PageItem

logger = logging.getLogger(__name__)


def _blocks(template) -> frozenset:
    return template.fingerprints if template else frozenset()


class ArchivePipeline:
    """Stores each fetched page in `pages` at once (so nothing fetched is lost if
    processing fails), then extracts the article in a worker process and
    stores it in `articles`.

    Each source's page template is learnt as its pages arrive (see
    article.template) and applied to the pages after them; when the crawl
    closes, the pages processed before their source's template settled are
    extracted again with it, and the template is saved for later crawls.

    Settings: ARCHIVE_DB (path), ARCHIVE_RUN_ID (the crawl_runs row this crawl
    writes under), PROCESS_WORKERS (worker processes; None for the default).
    Counts go to the crawler's stats under `archive/…` for the run summary.
    """

    def __init__(self, crawler):
        self.crawler = crawler
        settings = crawler.settings
        self.db_path = settings.get("ARCHIVE_DB")
        self.run_id = settings.getint("ARCHIVE_RUN_ID") or None
        self.workers = settings.getint("PROCESS_WORKERS") or None
        self.archive = None
        self.pool = None
        self.sources = {}
        self.learner = TemplateLearner()
        self.template_used = {}  # page id → (source, the template it was extracted with)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self):
        self.archive = Archive.create(self.db_path)
        self.archive.load_learner(self.learner)
        self.pool = make_pool(self.workers)
        self.sources = {s.id: s for s in getattr(self.crawler.spider, "sources", [])}

    async def close_spider(self):
        try:
            await self.refresh_early_pages()
            # Clustering compares every article's fingerprint: CPU work, kept off
            # the reactor in a thread with its own connection (an SQLite
            # connection belongs to the thread that opened it).
            await asyncio.to_thread(self.finish_archive)
        finally:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.archive.close()

    def finish_archive(self):
        """Save what was learnt of each source's template and update the
        duplicate clusters, in one transaction."""
        archive = Archive.open(self.db_path)
        try:
            with archive.transaction():
                archive.save_learner(self.learner)
                update_clusters(archive)
        finally:
            archive.close()

    async def process_item(self, item):
        if not isinstance(item, PageItem):
            return item
        stats = self.crawler.stats
        if item.error:
            stats.inc_value("archive/errors")
            self.archive.record_error(self.run_id, item.source, item.url, item.error, item.status)
            return item
        stats.inc_value("archive/pages_fetched")
        stats.inc_value(f"archive/source_ok/{item.source}")
        page_id, is_new = self.archive.add_page(
            source=item.source, url=item.url, final_url=item.final_url, status=item.status,
            content_type=item.content_type, etag=item.etag, last_modified=item.last_modified,
            body=item.body, fetched_at=item.fetched_at, run_id=self.run_id,
        )
        if not is_new:
            stats.inc_value("archive/pages_unchanged")
            return item
        template = self.learner.current(item.source)
        future = self.pool.submit(process_page, item.body, item.final_url, self.sources.get(item.source),
                                  item.content_type, item.fetched_at, template)
        record, error, fingerprints = await asyncio.wrap_future(future)
        self.learner.add(item.source, fingerprints)
        self.template_used[page_id] = (item.source, template)
        if error:
            stats.inc_value("archive/errors")
            self.archive.record_error(self.run_id, item.source, item.final_url, error, item.status)
        if self.store(page_id, record):
            stats.inc_value("archive/new_articles")
        return item

    def store(self, page_id, record) -> bool:
        """Flag the page and save its article together; True for a new article."""
        with self.archive.transaction():
            self.archive.mark_page(page_id, record is not None)
            return record is not None and self.archive.save_article(record, page_id)

    async def refresh_early_pages(self):
        """Extract again the pages whose source's template changed after them."""
        final = {source: self.learner.template(source) for source in self.learner.sources()}
        # Only the blocks matter: a template learnt from more pages that prunes
        # the same blocks gives the same article.
        stale = [(page_id, final[source]) for page_id, (source, used) in self.template_used.items()
                 if _blocks(final[source]) != _blocks(used)]
        futures = []
        for page_id, template in stale:
            page = self.archive.page(page_id)
            futures.append((page_id, self.pool.submit(
                process_page, page["body"], page["final_url"], self.sources.get(page["source"]),
                page["content_type"], page["fetched_at"], template)))
        for page_id, future in futures:
            record, _, _ = await asyncio.wrap_future(future)
            self.store(page_id, record)
        if stale:
            logger.info("re-extracted %d pages with their source's final template", len(stale))
