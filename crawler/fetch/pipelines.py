"""The archive pipeline: keep every page raw, then derive its article off the reactor."""

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor

from ..archive import Archive, ArchiveError
from ..archive.clusters import update_clusters
from ..article.template import TemplateLearner
from ..processing import Outcome, WorkerFailed, Workers, process_page
from .items import PageItem
from .signals import crawl_interrupted

logger = logging.getLogger(__name__)


def _blocks(template) -> frozenset:
    return template.fingerprints if template else frozenset()


class ArchivePipeline:
    """Stores each fetched page in `pages` at once (so nothing fetched is lost if
    processing fails), then extracts the article in a worker process and
    stores it in `articles`.

    A page stays `is_article is null` until its extraction is stored, so a
    page whose extraction was cut short (the crawl killed, a worker failing)
    is extracted again later: when it is fetched again unchanged, or at the
    end of the next crawl, which extracts every page still waiting. An
    extraction error is recorded and changes no article.

    Each source's page template is learnt as its pages arrive (see
    article.template) and applied to the pages after them; when the crawl
    closes, the pages processed before their source's template settled are
    extracted again with it, and the template is saved for later crawls.

    Every database write runs on one writer thread with its own connection,
    never on the reactor thread. On `crawl_interrupted` (Ctrl-C, SIGTERM)
    the workers are stopped, extractions in flight are dropped (their pages
    wait for the next run) and nothing more is written.

    Settings: ARCHIVE_DB (path), ARCHIVE_RUN_ID (the crawl_runs row this crawl
    writes under), PROCESS_WORKERS, PROCESS_MEMORY_MB, EXTRACT_TIMEOUT,
    EXTRACT_MAX_HTML. Counts go to the crawler's stats under `archive/…`.
    """

    def __init__(self, crawler):
        self.crawler = crawler
        settings = crawler.settings
        self.db_path = settings.get("ARCHIVE_DB")
        self.run_id = settings.getint("ARCHIVE_RUN_ID") or None
        self.max_html = settings.getint("EXTRACT_MAX_HTML") or None
        self.workers = Workers(settings.getint("PROCESS_WORKERS") or None,
                               memory_mb=settings.getint("PROCESS_MEMORY_MB") or None,
                               timeout=settings.getfloat("EXTRACT_TIMEOUT") or None)
        self.writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="archive-writer")
        self.archive = None
        self.stopping = False
        self.closed = False
        self.sources = {}
        self.learner = TemplateLearner()
        self.template_used = {}  # page id → (source, the template it was extracted with)
        self.failed = set()  # page ids whose extraction failed in this run
        crawler.signals.connect(self.interrupt, signal=crawl_interrupted)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    # -- the writer thread ---------------------------------------------------------
    async def write(self, method, *args, **kwargs):
        """Run archive.<method> on the writer thread; None once stopping."""
        if self.stopping:
            return None
        future = self.writer.submit(lambda: getattr(self.archive, method)(*args, **kwargs))
        return await asyncio.wrap_future(future)

    def _open(self):
        self.archive = Archive.create(self.db_path)
        self.archive.load_learner(self.learner)

    # -- spider lifecycle ------------------------------------------------------------
    def open_spider(self):
        self.writer.submit(self._open).result()
        self.sources = {s.id: s for s in getattr(self.crawler.spider, "sources", [])}

    async def close_spider(self):
        if not self.stopping:
            await self.refresh_early_pages()
            await self.extract_pending_pages()
        if not self.stopping:
            # Clustering compares every article's fingerprint: CPU work, on the writer thread.
            await asyncio.wrap_future(self.writer.submit(self.finish_archive))
        self.close()

    def interrupt(self):
        """Stop now: kill the workers, let the write under way finish, close."""
        if self.stopping:
            return
        self.stopping = True
        self.workers.kill()
        self.close()

    def close(self):
        self.stopping = True
        if self.closed:
            return
        self.closed = True
        self.workers.shutdown()
        if self.archive is not None:
            self.writer.submit(self.archive.close)
        self.writer.shutdown(wait=True)

    def finish_archive(self):
        """Save what was learnt of each source's template and update the
        duplicate clusters, in one transaction."""
        with self.archive.transaction():
            self.archive.save_learner(self.learner)
            update_clusters(self.archive)

    # -- pages ---------------------------------------------------------------------------
    async def process_item(self, item):
        if not isinstance(item, PageItem):
            return item
        stats = self.crawler.stats
        if item.error:
            stats.inc_value("archive/errors")
            await self.write("record_error", self.run_id, item.source, item.url, item.error,
                             stage=item.stage, status=item.status)
            return item
        stats.inc_value("archive/pages_fetched")
        stats.inc_value(f"archive/source_ok/{item.source}")
        added = await self.write(
            "add_page", source=item.source, url=item.url, final_url=item.final_url, status=item.status,
            content_type=item.content_type, etag=item.etag, last_modified=item.last_modified,
            body=item.body, fetched_at=item.fetched_at, run_id=self.run_id,
        )
        if added is None:
            return item
        page_id, is_new, extracted = added
        if not is_new and extracted:
            stats.inc_value("archive/pages_unchanged")
            return item
        template = self.learner.current(item.source)
        outcome = await self.extract(page_id, item.source, item.body, item.final_url, item.content_type,
                                     item.fetched_at, template)
        if outcome is None:
            return item
        self.learner.add(item.source, outcome.fingerprints)
        self.template_used[page_id] = (item.source, template)
        if await self.store(page_id, outcome):
            stats.inc_value("archive/new_articles")
        return item

    async def extract(self, page_id, source, body, url, content_type, fetched_at, template) -> Outcome | None:
        """Process one page in a worker; None when the crawl is stopping."""
        if self.stopping:
            return None
        try:
            task = self.workers.submit(process_page, body, url, self.sources.get(source), content_type,
                                       fetched_at, template, self.max_html)
            return await self.workers.wait(task)
        except WorkerFailed as exc:
            if self.stopping:  # the workers were stopped under this page: it waits for the next run
                return None
            return Outcome(error=f"extraction failed: {exc}", stage="extract")

    async def store(self, page_id, outcome: Outcome) -> bool:
        """Save the page's article (or that it has none); True for a new
        article. An error is recorded instead and changes nothing, except
        that a page that is not HTML at all is marked as no article."""
        if outcome.error:
            self.failed.add(page_id)
            self.crawler.stats.inc_value("archive/errors")
            page = await self.write("page_summary", page_id)
            if page is None:
                return False
            if outcome.traceback:
                logger.error("%s: %s\n%s", page["final_url"], outcome.error, outcome.traceback)
            else:
                logger.warning("%s: %s", page["final_url"], outcome.error)
            await self.write("record_error", self.run_id, page["source"], page["final_url"], outcome.error,
                             stage=outcome.stage, status=page["status"])
            if outcome.stage != "decode":
                return False
        return bool(await self.write("store_article", page_id, outcome.record))

    async def refresh_early_pages(self):
        """Extract again the pages whose source's template changed after them."""
        final = {source: self.learner.template(source) for source in self.learner.sources()}
        # Only the blocks matter: a template learnt from more pages that prunes
        # the same blocks gives the same article.
        stale = [(page_id, final[source]) for page_id, (source, used) in self.template_used.items()
                 if _blocks(final[source]) != _blocks(used) and page_id not in self.failed]
        await self._extract_again(stale)
        if stale:
            logger.info("re-extracted %d pages with their source's final template", len(stale))

    async def extract_pending_pages(self):
        """Extract the pages an earlier crawl stored but never extracted."""
        pending = await self.write("pending_pages") or []
        waiting = [(page_id, self.learner.template(source)) for page_id, source in pending
                   if page_id not in self.failed and page_id not in self.template_used]
        await self._extract_again(waiting)
        if waiting:
            logger.info("extracted %d pages an earlier crawl left waiting", len(waiting))
            self.crawler.stats.inc_value("archive/pending_extracted", len(waiting))

    async def _extract_again(self, pages):
        async def one(page_id, template):
            try:
                page = await self.write("page", page_id)
            except ArchiveError as exc:  # its stored bytes are corrupt: say so, go on
                self.crawler.stats.inc_value("archive/errors")
                await self.write("record_error", self.run_id, None, None, str(exc), stage="store")
                return
            if page is None:
                return
            outcome = await self.extract(page_id, page["source"], page["body"], page["final_url"],
                                         page["content_type"], page["fetched_at"], template)
            if outcome is not None:
                await self.store(page_id, outcome)

        # A few at a time: the bodies are read from the archive, not held all at once.
        batch = self.workers.size * 2
        for start in range(0, len(pages), batch):
            await asyncio.gather(*(one(page_id, template) for page_id, template in pages[start:start + batch]))
