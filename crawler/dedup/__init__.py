"""Duplicate detection for the archive: pure functions and classes, no Scrapy, no DB.

    urls.canonical_url(url, declared=None)   one URL per article (rules in urls.toml)
    cluster.Clusterer                        exact + near-duplicate clusters (MinHash LSH)
    events.event_key / assign_events         articles about the same meeting
"""
