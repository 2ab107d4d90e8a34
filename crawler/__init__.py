"""An archive of Vietnam's party inspection and supervision reviews.

The package follows the data flow:

    fetch/      Scrapy settings and pipelines: HTTP → raw page
    page.py     raw page bytes → decoded, NFC-normalised HTML
    article/    the pure core: HTML + URL + source → article record
    archive/    archive.db through sqlite-utils: raw pages, articles, runs
    publish/    Datasette and exports
    demo/       an offline sample portal network on loopback
"""

__version__ = "0.1.0"
