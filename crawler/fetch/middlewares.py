"""Downloader middlewares that keep a crawl bounded and on the open web.

SourceBudget  stops a source once it has made SOURCE_MAX_PAGES requests or
              spent SOURCE_MAX_MINUTES since its first one, so one endless
              site (a calendar, a link farm) cannot hold the night's crawl.
SafeRequests  refuses every URL that is not http(s), and a redirect from a
              public host to a loopback, private or link-local address (a
              portal must not be able to point the crawler at the machine
              it runs on or its network).

Both refuse a request by raising a subclass of IgnoreRequest, so the
request's errback (the spider's `on_error`) records why.
"""

import ipaddress
import time
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest

ALLOWED_SCHEMES = ("http", "https")


class BudgetSpent(IgnoreRequest):
    """The request's source has spent its page or time budget."""


class UnsafeRequest(IgnoreRequest):
    """The request's URL is one the crawler never fetches."""


class SourceBudget:
    def __init__(self, max_pages: int, max_minutes: float, stats):
        self.max_pages = max_pages
        self.max_seconds = max_minutes * 60
        self.stats = stats
        self.requests = {}  # source → requests let through
        self.started = {}  # source → monotonic time of its first request

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        return cls(settings.getint("SOURCE_MAX_PAGES"), settings.getfloat("SOURCE_MAX_MINUTES"), crawler.stats)

    def process_request(self, request, spider=None):
        source = request.meta.get("source")
        if source is None or request.meta.get("dont_obey_robotstxt"):
            return None  # robots.txt is not a page of the source
        started = self.started.setdefault(source, time.monotonic())
        if self.max_pages and self.requests.get(source, 0) >= self.max_pages:
            self._spent(source)
            raise BudgetSpent(f"page budget spent: {self.max_pages} requests (SOURCE_MAX_PAGES)")
        if self.max_seconds and time.monotonic() - started >= self.max_seconds:
            self._spent(source)
            raise BudgetSpent(f"time budget spent: {self.max_seconds / 60:g} minutes (SOURCE_MAX_MINUTES)")
        self.requests[source] = self.requests.get(source, 0) + 1
        return None

    def _spent(self, source):
        self.stats.inc_value(f"archive/budget_dropped/{source}")


def is_internal_host(host: str) -> bool:
    """Loopback, private, link-local or otherwise non-public: an IP literal
    of such a range, or a name that only means this machine or its network."""
    host = host.strip("[]").lower().rstrip(".")
    if host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return not address.is_global


class SafeRequests:
    @classmethod
    def from_crawler(cls, crawler):
        return cls()

    def process_request(self, request, spider=None):
        parts = urlsplit(request.url)
        if parts.scheme not in ALLOWED_SCHEMES:
            raise UnsafeRequest(f"not an http(s) URL: {request.url[:200]}")
        chain = request.meta.get("redirect_urls") or []
        if chain and is_internal_host(parts.hostname or ""):
            origin = urlsplit(chain[0]).hostname or ""
            if not is_internal_host(origin):
                raise UnsafeRequest(f"redirect from public host {origin} to internal address "
                                    f"{parts.hostname} refused")
        return None
