"""Running one crawl of a set of sources into an archive."""

from dataclasses import dataclass, field

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from ..archive import Archive
from . import settings as default_settings


@dataclass
class CrawlSummary:
    run_id: int
    pages_fetched: int
    new_articles: int
    errors: int
    failed_sources: list = field(default_factory=list)

    def line(self) -> str:
        text = (f"crawl {self.run_id}: {self.pages_fetched} pages fetched, "
                f"{self.new_articles} new articles, {self.errors} errors")
        if self.failed_sources:
            text += f"; failed entirely: {', '.join(self.failed_sources)}"
        return text


def crawl_settings(db_path, run_id, *, log_file=None, log_level=None, overrides=None) -> Settings:
    settings = Settings()
    settings.setmodule(default_settings, priority="project")
    settings.set("ARCHIVE_DB", str(db_path), priority="cmdline")
    settings.set("ARCHIVE_RUN_ID", run_id, priority="cmdline")
    if log_file:
        settings.set("LOG_FILE", str(log_file), priority="cmdline")
        settings.set("LOG_LEVEL", log_level or "INFO", priority="cmdline")
    else:
        # Under cron stderr is mail: failures are in crawl_errors and the summary
        # line, the detail (with Scrapy's tracebacks) only in --log-file.
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
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(PortalSpider)
    process.crawl(crawler, sources=sources, validators=validators, since=since)
    process.start()

    stats = crawler.stats.get_stats()
    failed = [s.id for s in sources if not stats.get(f"archive/source_ok/{s.id}")]
    summary = CrawlSummary(
        run_id=run_id,
        pages_fetched=stats.get("archive/pages_fetched", 0) + stats.get("archive/not_modified", 0),
        new_articles=stats.get("archive/new_articles", 0),
        errors=stats.get("archive/errors", 0),
        failed_sources=failed,
    )
    archive = Archive.open(db_path)
    archive.finish_run(run_id, pages_fetched=summary.pages_fetched, new_articles=summary.new_articles,
                       errors=summary.errors, failed_sources=failed,
                       status="failed" if failed else "ok")
    archive.close()
    return summary
