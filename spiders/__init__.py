"""Scrapy spiders. `portal` crawls every source of the registry."""
