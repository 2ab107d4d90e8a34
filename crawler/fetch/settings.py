"""Scrapy settings for crawling party and provincial portals.

Polite by default: robots.txt is obeyed, AutoThrottle adapts to each server,
and listings are followed to a bounded depth. `crawler crawl` overrides the
archive path, run id and registry from its options.
"""

BOT_NAME = "ktgs-archive"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

USER_AGENT = "ktgs-archive/0.1 (+research archive of party inspection reports; polite crawler)"
ROBOTSTXT_OBEY = True

CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.5
DOWNLOAD_TIMEOUT = 30
RETRY_TIMES = 1
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0

# Listings are followed this many links deep from a source's entry pages.
DEPTH_LIMIT = 4
# Pagination of one listing is followed at most this many pages deep.
LISTING_MAX_PAGES = 30
DEPTH_PRIORITY = 1  # breadth-first: the newest listings and articles come first
SCHEDULER_DISK_QUEUE = "scrapy.squeues.PickleFifoDiskQueue"
SCHEDULER_MEMORY_QUEUE = "scrapy.squeues.FifoMemoryQueue"

ITEM_PIPELINES = {"crawler.fetch.pipelines.ArchivePipeline": 300}
DOWNLOADER_MIDDLEWARES = {
    # Before everything else: a refused URL is never even checked against robots.txt.
    "crawler.fetch.middlewares.SafeRequests": 50,
    "crawler.fetch.middlewares.SourceBudget": 60,
}
# Only the web: no file:, ftp:, s3: or data: handlers for a redirect or a link to reach.
DOWNLOAD_HANDLERS = {"file": None, "ftp": None, "s3": None, "data": None}

# -- bounds: one pathological page or site can neither freeze nor swell the crawl
# A response larger than this is cancelled and recorded with its size, never parsed.
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
# Links taken from one page (the likeliest reports first); a link farm gives no more.
PAGE_MAX_LINKS = 500
# Bytes of a page handed to extraction; the article is at the start of any real page.
EXTRACT_MAX_HTML = 4 * 1024 * 1024
# Seconds one page may take in a worker before the worker is killed and started again.
EXTRACT_TIMEOUT = 60
# Address space of each worker process, in MiB.
PROCESS_MEMORY_MB = 1536
# Per-source budgets (0: none): requests, and minutes since the source's first request.
SOURCE_MAX_PAGES = 20000
SOURCE_MAX_MINUTES = 120
# After Ctrl-C or SIGTERM, seconds the crawl waits for requests in flight before it stops anyway.
STOP_GRACE_SECONDS = 3

# Where pages and articles go, and how many processes extract articles.
ARCHIVE_DB = "archive.db"
ARCHIVE_RUN_ID = None
PROCESS_WORKERS = None  # None: one per core, at most four

LOG_LEVEL = "INFO"
TELNETCONSOLE_ENABLED = False
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"
