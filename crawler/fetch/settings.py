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

# Where pages and articles go, and how many processes extract articles.
ARCHIVE_DB = "archive.db"
ARCHIVE_RUN_ID = None
PROCESS_WORKERS = None  # None: one per core, at most four

LOG_LEVEL = "INFO"
TELNETCONSOLE_ENABLED = False
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"
