"""The archive pipeline: keep every page raw, then derive its article off the reactor."""

import asyncio
import logging

from ..archive import Archive
from ..processing import make_pool, process_page
from ..registry import Source
from .items import PageItem

logger = logging.getLogger(__name__)


class ArchivePipeline:
    """Stores each fetched page in `pages` at once (so nothing fetched is lost if
    processing fails), then extracts the article in a worker process and
    stores it in `articles`.

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

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self):
        self.archive = Archive.create(self.db_path)
        self.pool = make_pool(self.workers)
        spider = self.crawler.spider
        self.sources = {s.id: s for s in getattr(spider, "sources", [])}

    def close_spider(self):
        if self.pool:
            self.pool.shutdown(wait=True, cancel_futures=True)
        if self.archive:
            self.archive.close()

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
        source: Source | None = self.sources.get(item.source)
        future = self.pool.submit(process_page, item.body, item.final_url, source,
                                  item.content_type, item.fetched_at)
        record, error = await asyncio.wrap_future(future)
        if error:
            stats.inc_value("archive/errors")
            self.archive.record_error(self.run_id, item.source, item.final_url, error, item.status)
        with self.archive.transaction():
            self.archive.mark_page(page_id, record is not None)
            is_new_article = record is not None and self.archive.save_article(record, page_id)
        if is_new_article:
            stats.inc_value("archive/new_articles")
        return item
