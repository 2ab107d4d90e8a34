"""The generic portal spider: one spider for every source in the registry.

For each source it starts at the home page, the start URLs, the feeds and the
sitemaps, follows links within the same site (listings, pagination, articles)
and hands every HTML page to the pipeline as a PageItem. Whether a page is an
article is decided by the processing core, not here, so the rule can improve
and be re-applied with `crawler reprocess` without crawling again.
"""

from datetime import datetime, timezone
from urllib.parse import quote_plus, urlsplit

import scrapy
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
from scrapy.http import HtmlResponse, TextResponse
from scrapy.linkextractors import LinkExtractor
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.sitemap import Sitemap

from crawler.dedup.urls import canonical_url, is_calendar_url
from crawler.fetch.middlewares import BudgetSpent, UnsafeRequest
from crawler.fetch.focus import is_pagination, link_priority, paged_past, search_queries
from crawler.fetch.items import PageItem

_DEFAULT_PORTS = {"http": 80, "https": 443}


def site_key(url: str) -> str:
    """host[:port] without 'www.' and default ports: what 'the same site' means."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    port = parts.port
    if port and port != _DEFAULT_PORTS.get(parts.scheme):
        return f"{host}:{port}"
    return host


def _header(response, name):
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


class PortalSpider(scrapy.Spider):
    name = "portal"

    def __init__(self, sources=(), validators=None, since=None, **kwargs):
        super().__init__(**kwargs)
        self.sources = list(sources)
        # URL → (etag, last-modified) of archived articles: re-fetched conditionally.
        self.validators = validators or {}
        # A datetime.date: listings are not paged into pages older than this.
        self.since = since
        self.links = LinkExtractor(unique=True)
        # Print, mobile, AMP and tracking-parameter variants of a page are one
        # page: fetched once per crawl.
        self.seen_canonical = set()

    @property
    def max_listing_pages(self) -> int:
        return self.crawler.settings.getint("LISTING_MAX_PAGES", 30)

    @property
    def max_links(self) -> int:
        return self.crawler.settings.getint("PAGE_MAX_LINKS", 500)

    async def start(self):
        for source in self.sources:
            for url in source.entry_urls():
                self.seen_canonical.add(canonical_url(url))
                yield self.page_request(url, source.id)
            for url in source.feeds:
                yield scrapy.Request(url, callback=self.parse_feed, errback=self.on_error,
                                     cb_kwargs={"source_id": source.id}, meta={"source": source.id})
            for url in source.sitemaps:
                yield scrapy.Request(url, callback=self.parse_sitemap, errback=self.on_error,
                                     cb_kwargs={"source_id": source.id}, meta={"source": source.id})
            if source.search:
                for query in search_queries():
                    yield self.page_request(source.search.replace("{query}", quote_plus(query)), source.id,
                                            priority=50)

    def first_visit(self, url) -> bool:
        key = canonical_url(url)
        if key in self.seen_canonical:
            self.crawler.stats.inc_value("archive/variant_skipped")
            return False
        self.seen_canonical.add(key)
        return True

    def page_request(self, url, source_id, extra_meta=None, **kwargs):
        headers, meta = {}, {"source": source_id, **(extra_meta or {})}
        etag, last_modified = self.validators.get(url, (None, None))
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        if headers:
            meta["handle_httpstatus_list"] = [304]
        return scrapy.Request(url, callback=self.parse_page, errback=self.on_error, headers=headers,
                              cb_kwargs={"source_id": source_id}, meta=meta, **kwargs)

    def parse_page(self, response, source_id):
        stats = self.crawler.stats
        if response.status == 304:
            stats.inc_value(f"archive/source_ok/{source_id}")
            stats.inc_value("archive/not_modified")
            return
        if not isinstance(response, HtmlResponse):
            stats.inc_value("archive/skipped_not_html")
            return
        yield PageItem(
            source=source_id,
            url=response.request.meta.get("redirect_urls", [response.url])[0],
            final_url=response.url,
            status=response.status,
            content_type=_header(response, "Content-Type"),
            etag=_header(response, "ETag"),
            last_modified=_header(response, "Last-Modified"),
            body=response.body,
            fetched_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        )
        yield from self.follow_links(response, source_id)

    def follow_links(self, response, source_id):
        """Same-site links, the likeliest report pages first, at most
        PAGE_MAX_LINKS of them. Pagination is followed at most
        LISTING_MAX_PAGES deep, and not past `since`; a calendar one step."""
        here = site_key(response.url)
        in_calendar = is_calendar_url(response.url)
        listing_page = response.meta.get("listing_page", 0)
        stop_paging = listing_page >= self.max_listing_pages or paged_past(response.text, self.since)
        candidates = []
        for link in self.links.extract_links(response):
            if site_key(link.url) != here:
                continue
            if in_calendar and is_calendar_url(link.url):
                # One step into a calendar, never from one of its days to the next.
                self.crawler.stats.inc_value("archive/calendar_skipped")
                continue
            paging = is_pagination(link.url, link.text)
            if paging and stop_paging:
                self.crawler.stats.inc_value("archive/pagination_stopped")
                continue
            candidates.append((link_priority(link.url, link.text), paging, link.url))
        # Stable sort: among equal priorities the page's own order is kept.
        candidates.sort(key=lambda candidate: -candidate[0])
        if len(candidates) > self.max_links:
            self.crawler.stats.inc_value("archive/links_dropped", len(candidates) - self.max_links)
            del candidates[self.max_links:]
        for priority, paging, url in candidates:
            if not self.first_visit(url):
                continue
            meta = {"listing_page": listing_page + 1} if paging else {}
            yield self.page_request(url, source_id, priority=priority, extra_meta=meta)

    def parse_feed(self, response, source_id):
        if not isinstance(response, TextResponse):
            return
        response.selector.remove_namespaces()
        urls = response.xpath("//item/link/text() | //entry/link/@href").getall()
        for url in urls:
            url = response.urljoin(url.strip())
            if self.first_visit(url):
                yield self.page_request(url, source_id)

    def parse_sitemap(self, response, source_id):
        try:
            sitemap = Sitemap(response.body)
        except Exception:
            yield self.error_item(source_id, response.url, "sitemap is not valid XML", response.status)
            return
        for entry in sitemap:
            url = entry.get("loc")
            if not url:
                continue
            if self.since and (entry.get("lastmod") or "9999")[:10] < self.since.isoformat():
                continue
            if sitemap.type == "sitemapindex":
                yield scrapy.Request(url, callback=self.parse_sitemap, errback=self.on_error,
                                     cb_kwargs={"source_id": source_id}, meta={"source": source_id})
            elif self.first_visit(url):
                yield self.page_request(url, source_id)

    def on_error(self, failure):
        request = failure.request
        source_id = request.meta.get("source")
        stats = self.crawler.stats
        if failure.check(BudgetSpent):
            # One row per source says the budget ran out; the dropped requests are counted.
            if stats.get_value(f"archive/budget_dropped/{source_id}", 0) == 1:
                yield self.error_item(source_id, request.url, str(failure.value), stage="crawl")
            return
        if failure.check(IgnoreRequest) and not failure.check(HttpError, UnsafeRequest):
            if stats.get_value("robotstxt/forbidden") and str(failure.value) == "Forbidden by robots.txt":
                stats.inc_value("archive/ignored")  # the site asked not to: a rule, not a failure
                return
        status = None
        if failure.check(HttpError):
            response = failure.value.response
            status = response.status
            message = f"HTTP {status}"
            location = _header(response, "Location")
            if 300 <= status < 400 and location:
                message += f": redirect to {location[:200]} not followed (not http or https)"
        elif failure.check(DownloadCancelledError):
            # Scrapy cancels only a body over DOWNLOAD_MAXSIZE; its message has the size when
            # the server announced it, otherwise the body was cut when it passed the limit.
            limit = self.crawler.settings.getint("DOWNLOAD_MAXSIZE")
            detail = failure.getErrorMessage().split(" in request ")[0]
            message = f"response too large: over {limit} bytes (DOWNLOAD_MAXSIZE), not archived"
            if detail:
                message += f" ({detail})"
        else:
            message = f"{type(failure.value).__name__}: {failure.getErrorMessage()}"
        yield self.error_item(source_id, request.url, message, status)

    @staticmethod
    def error_item(source_id, url, message, status=None, stage="fetch"):
        return PageItem(source=source_id, url=url, final_url=url, status=status, content_type=None,
                        etag=None, last_modified=None, body=b"",
                        fetched_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
                        error=message, stage=stage)
