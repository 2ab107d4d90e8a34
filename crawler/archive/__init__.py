"""archive.db: raw pages, the articles derived from them, sources and crawl runs."""

from .db import Archive, ArchiveError

__all__ = ["Archive", "ArchiveError"]
