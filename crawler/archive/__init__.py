"""archive.db: raw pages, the articles derived from them, sources and crawl runs."""

from .db import ERROR_STAGES, SCHEMA_VERSION, Archive, ArchiveError

__all__ = ["Archive", "ArchiveError", "ERROR_STAGES", "SCHEMA_VERSION"]
