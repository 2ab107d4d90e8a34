"""Datasette plugin: Vietnamese-aware search over the archive's folded index.

The index holds titles and texts folded (crawler/archive/search.py), so a
query must be folded the same way before it reaches FTS5:

- The search box (`?_search=`) runs `… match escape_fts(:search)`. Datasette
  registers escape_fts on every connection; this plugin registers it again,
  after Datasette's own (trylast), as crawler's fts_query: the same quoting of
  words and "phrases", plus the folding.
- The search canned queries call `search_expression(:q, :year, :province,
  :relevant_only)`: the words and the filters in one FTS5 expression.
- `fold(…)` compares names as users type them: "Quang Ninh" selects Quảng Ninh.

The entry point loads this plugin into every Datasette of the environment, and
the folded escape_fts would break the search box of any other FTS table (its
index holds "đảng" as "đang", the folded query says "dang"). So it registers
nothing on a database that is not an archive.
"""

from datasette import hookimpl

from crawler.archive.search import FTS_SOURCE, FTS_TABLE, fts_query, search_expression
from crawler.text import fold_phrase


def is_archive(conn) -> bool:
    """True for a database holding the archive's folded search index."""
    found = {name for (name,) in conn.execute(
        "select name from sqlite_master where name in (?, ?)", (FTS_TABLE, FTS_SOURCE))}
    return found == {FTS_TABLE, FTS_SOURCE}


@hookimpl(trylast=True)
def prepare_connection(conn):
    if not is_archive(conn):
        return
    conn.create_function("escape_fts", 1, fts_query, deterministic=True)
    conn.create_function("fts_query", 1, fts_query, deterministic=True)
    conn.create_function("search_expression", 4, search_expression, deterministic=True)
    conn.create_function("fold", 1, fold_phrase, deterministic=True)
