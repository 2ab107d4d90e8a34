"""The article record: one schema for `extract`, `export` and the `articles` table.

`FIELDS` is the single place the record is defined. The archive creates its
columns from it, `export` writes its keys in this order, and the Datasette
metadata describes the same columns (a test keeps the two in step).
"""

from dataclasses import dataclass

# SQLite column types for the Python types used below.
_SQL_TYPES = {str: "TEXT", int: "INTEGER", bool: "INTEGER", list: "TEXT"}


@dataclass(frozen=True)
class Field:
    name: str
    type: type
    description: str
    nullable: bool = True


FIELDS = (
    Field("url", str, "The URL the article was fetched from (after redirects).", nullable=False),
    Field("canonical_url", str, "One URL for the article, whatever variant was fetched.", nullable=False),
    Field("source", str, "Id of the source in the registry (sources.id).", nullable=False),
    Field("title", str, "The article's headline, never the portal's name."),
    Field("published", str, "The article's own publication time, ISO 8601 with offset (Asia/Ho_Chi_Minh), or null."),
    Field("author", str, "Byline as printed (e.g. 'Đoàn Hồng'), or null."),
    Field("origin", str, "Outlet the text is credited to ('TTXVN' for 'Theo TTXVN'), or null."),
    Field("text", str, "Clean body text, NFC, one paragraph per line; no captions, bylines or portal chrome.", nullable=False),
    Field("captions", list, "Photo captions taken out of the body (JSON list of strings).", nullable=False),
    Field("word_count", int, "Number of words in text.", nullable=False),
    Field("fetched_at", str, "When the page was fetched, ISO 8601 UTC.", nullable=False),
)

FIELD_NAMES = tuple(f.name for f in FIELDS)


def column_types() -> dict:
    """Column name → Python type, as sqlite-utils' `create()` wants it."""
    return {f.name: f.type if f.type is not list else str for f in FIELDS}


def sql_type(field: Field) -> str:
    return _SQL_TYPES[field.type]
