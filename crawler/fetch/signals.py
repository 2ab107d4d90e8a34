"""The crawl's own Scrapy signal (sent with crawler.signals, like Scrapy's)."""

# Sent once, on the reactor thread, when the crawl is asked to stop (Ctrl-C,
# SIGTERM): components stop work in flight instead of finishing it.
crawl_interrupted = object()
