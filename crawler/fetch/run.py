"""Running one crawl of a set of sources into an archive."""

import logging
import signal
from dataclasses import dataclass, field

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from ..archive import Archive
from ..logs import ErrorCollector, writable_log
from . import settings as default_settings
from .signals import crawl_interrupted


@dataclass
class CrawlSummary:
    run_id: int
    pages_fetched: int
    new_articles: int
    errors: int
    failed_sources: list = field(default_factory=list)
    interrupted_by: int | None = None  # the signal that stopped the crawl

    @property
    def status(self) -> str:
        return "interrupted" if self.interrupted_by else "failed" if self.failed_sources else "ok"

    @property
    def exit_code(self) -> int:
        """0, 1 when a source failed entirely, 128 + the signal when interrupted (the shell's way)."""
        return 128 + self.interrupted_by if self.interrupted_by else 1 if self.failed_sources else 0

    def line(self) -> str:
        text = (f"crawl {self.run_id}: {self.pages_fetched} pages fetched, "
                f"{self.new_articles} new articles, {self.errors} errors")
        if self.interrupted_by:
            text += f"; interrupted by {signal.Signals(self.interrupted_by).name}, the rest waits for the next run"
        elif self.failed_sources:
            text += f"; failed entirely: {', '.join(self.failed_sources)}"
        return text


class CrawlProcess(CrawlerProcess):
    """Scrapy's process, stopping promptly on the first Ctrl-C or SIGTERM:
    components get `crawl_interrupted` (the pipeline drops the extractions
    in flight, whose pages wait for the next run), Scrapy's graceful stop
    begins, and after STOP_GRACE_SECONDS the reactor stops whatever is still
    in flight (a stalled download would otherwise hold it for its timeout)."""

    interrupted_by = None

    def _signal_shutdown(self, signum, frame):
        from twisted.internet import reactor

        if self.interrupted_by is None:
            self.interrupted_by = signum
            reactor.callFromThread(self._interrupt)
        super()._signal_shutdown(signum, frame)

    def _interrupt(self):
        from twisted.internet import reactor

        for crawler in self.crawlers:
            crawler.signals.send_catch_log(crawl_interrupted)
        reactor.callLater(self.settings.getfloat("STOP_GRACE_SECONDS"), self._stop_now)

    @staticmethod
    def _stop_now():
        from twisted.internet import reactor

        if reactor.running:
            # Everything worth keeping is committed: each page and article is its
            # own transaction, and the pipeline closed the archive on the signal.
            reactor.crash()


def crawl_settings(db_path, run_id, *, log_file=None, log_level=None, overrides=None) -> Settings:
    settings = Settings()
    settings.setmodule(default_settings, priority="project")
    settings.set("ARCHIVE_DB", str(db_path), priority="cmdline")
    settings.set("ARCHIVE_RUN_ID", run_id, priority="cmdline")
    # Under cron stderr is mail: failures are in crawl_errors and the summary
    # line, the detail (with tracebacks) in the log file: --log-file with
    # Scrapy's INFO log, otherwise warnings and errors in the default log.
    log_path = writable_log(log_file)
    if log_path:
        settings.set("LOG_FILE", str(log_path), priority="cmdline")
        settings.set("LOG_LEVEL", log_level or ("INFO" if log_file else "WARNING"), priority="cmdline")
    else:
        settings.set("LOG_ENABLED", False, priority="cmdline")
    for key, value in (overrides or {}).items():
        settings.set(key, value, priority="cmdline")
    return settings


def run_crawl(sources, db_path, *, log_file=None, log_level=None, overrides=None, since=None) -> CrawlSummary:
    """Crawl `sources` into the archive at `db_path` (created if missing).
    The caller holds the crawl lock."""
    from spiders.portal import PortalSpider

    archive = Archive.create(db_path)
    archive.save_sources(sources)
    run_id = archive.start_run([s.id for s in sources])
    validators = archive.validators([s.id for s in sources])
    archive.close()

    settings = crawl_settings(db_path, run_id, log_file=log_file, log_level=log_level, overrides=overrides)
    process = CrawlProcess(settings)
    crawler = process.create_crawler(PortalSpider)
    process.crawl(crawler, sources=sources, validators=validators, since=since)
    handlers = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM)}
    collector = ErrorCollector()
    logging.getLogger().addHandler(collector)
    try:
        process.start()
    finally:
        logging.getLogger().removeHandler(collector)
        # Scrapy's handlers outlive its reactor; whatever runs next (the demo's
        # Datasette) gets Ctrl-C back.
        for signum, handler in handlers.items():
            signal.signal(signum, handler)

    stats = crawler.stats.get_stats()
    failed = [s.id for s in sources if not stats.get(f"archive/source_ok/{s.id}")]
    summary = CrawlSummary(
        run_id=run_id,
        pages_fetched=stats.get("archive/pages_fetched", 0) + stats.get("archive/not_modified", 0),
        new_articles=stats.get("archive/new_articles", 0),
        errors=stats.get("archive/errors", 0) + len(collector.records) + collector.dropped,
        failed_sources=failed,
        interrupted_by=process.interrupted_by,
    )
    archive = Archive.open(db_path)
    with archive.transaction():
        # What Scrapy or a component logged as an error, beside the pages' own errors.
        for logger_name, message in collector.records:
            archive.record_error(run_id, None, None, f"{logger_name}: {message}", stage="crawl")
        if collector.dropped:
            archive.record_error(run_id, None, None, f"{collector.dropped} more errors, in the log",
                                 stage="crawl")
    archive.finish_run(run_id, pages_fetched=summary.pages_fetched, new_articles=summary.new_articles,
                       errors=summary.errors, failed_sources=failed, status=summary.status)
    archive.close()
    return summary
