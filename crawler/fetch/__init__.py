"""The Scrapy shell: settings, the page item, the archive pipeline, the crawl lock."""
