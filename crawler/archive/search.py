"""The archive's full-text index, and what a user's query becomes before it
reaches it. One definition for every reader: `crawler export --query`, the
Datasette search box and the search canned queries.

The index (`articles_fts`, FTS5) holds each article's title and text *folded*
by crawler.text.fold_chars: lowercase, tone marks removed, đ → d. SQLite's
unicode61 tokenizer folds tone marks itself but not đ, so without this "dang"
would not find "Đảng". Queries are folded the same way (`fts_query`), so "Đảng",
"dang", "Thuỷ"/"Thủy" and NFD input all meet the same tokens.

It is an external-content index: it keeps no copy of the text, and reads the
original title and text back from `articles` (through the view
`articles_fts_source`) when snippet() or highlight() needs them, tokenizing
them again. fold_chars maps one character to one character and letters to
letters, so the original's tokens line up one for one with the folded tokens
the index holds, and highlights fall on the words as written ("«Đảng»" for a
search for "dang"). Because the stored tokens are folded, the index must only
be written through this module (`index_article`, `unindex_article`): FTS5's
own 'rebuild' would index the text unfolded.

A third column, `facets`, holds one token per filter value (`facet_terms`):
qqy2016, the province at publication and after the 2025 merger
(qqpquangninh), qqrelevant. The "qq" prefix keeps them apart from any word a
user types (no Vietnamese or English word has it), so a user's words need no
column filter, which would cost FTS5 a quarter more time on common words. A search with filters is then a single FTS5 expression
(`search_expression`), which FTS5 answers by skipping through the rare facet
token's list instead of checking every match of a common word against the
table. The view gives the column back empty: nobody reads it as text.

The index is keyed by `articles.doc_id`, an integer in publication order
(`doc_id`). A search then returns its newest matches first straight from the
index, without reading and sorting every match: on 200k articles "kiểm tra"
matches nearly all of them.
"""

import hashlib
import re
from datetime import datetime

from ..text import fold_chars, fold_phrase

FTS_TABLE = "articles_fts"
FTS_SOURCE = "articles_fts_source"  # the view the index reads text back from
FTS_COLUMNS = ("title", "text", "facets")
# bm25 weights per column: the title counts five times the body; filters none.
FTS_RANK = "bm25(5.0, 1.0, 0.0)"
# unicode61 also removes tone marks, so text folded elsewhere (or not at all)
# still tokenizes alike.
FTS_TOKENIZE = "unicode61 remove_diacritics 2"
FTS_SOURCE_CREATE = f"create view {FTS_SOURCE} as select doc_id, title, text, '' as facets from articles"
FTS_CREATE = (f"create virtual table {FTS_TABLE} using fts5({', '.join(FTS_COLUMNS)}, "
              f"content='{FTS_SOURCE}', content_rowid='doc_id', tokenize='{FTS_TOKENIZE}')")
FACET_PREFIX = "qq"
NOTHING = '""'  # an empty phrase: matches no article

# doc_id = minutes since 1970 of the publication date × 2**20 + 20 bits of a
# hash of the URL: newest first when sorted descending, stable across
# `crawler reprocess`, and below 2**53 (exact as a JSON number in a browser).
# Undated articles have minute 0 and sort last.
_URL_BITS = 20


def doc_id(published: str | None, url: str) -> int:
    """The article's key in publication order (see the module's docstring)."""
    minutes = 0
    if published:
        try:
            minutes = max(0, int(datetime.fromisoformat(published).timestamp()) // 60)
        except (ValueError, OverflowError, OSError):
            minutes = 0
    digest = hashlib.blake2b(url.encode("utf-8"), digest_size=8).digest()
    return (minutes << _URL_BITS) | (int.from_bytes(digest, "big") & ((1 << _URL_BITS) - 1))


def query_terms(query: str | None) -> list[str]:
    """What a user typed → its words and "quoted phrases", folded like the
    index and quoted for FTS5, so a user's OR, NOT or * are words."""
    query = fold_phrase(query or "")
    if query.count('"') % 2:
        query += '"'
    terms, inside = [], False
    for part in query.split('"'):
        if inside:
            if part.strip():
                terms.append(f'"{part.strip()}"')
        else:
            terms.extend(f'"{word}"' for word in part.split())
        inside = not inside
    return terms


def fts_query(query: str | None) -> str:
    """The FTS5 expression for a search: every word or phrase must occur in the
    title or the text. Diacritics, đ, tone placement and normal form do not
    matter. A query without words matches nothing."""
    return " ".join(query_terms(query)) or NOTHING


def _token(value) -> str:
    return re.sub(r"[^0-9a-z]", "", fold_phrase(str(value)))


def facet_terms(article) -> str:
    """The filter tokens of an article (a record or an `articles` row)."""
    tokens = []
    if article.get("report_year"):
        tokens.append(f"y{article['report_year']}")
    for name in dict.fromkeys([article.get("province"), article.get("province_current")]):
        if name and _token(name):
            tokens.append(f"p{_token(name)}")
    if article.get("is_relevant"):
        tokens.append("relevant")
    return " ".join(FACET_PREFIX + token for token in tokens)


def search_expression(query, year="", province="", relevant_only="") -> str:
    """fts_query(query), narrowed by the filters that are set: the report year,
    a province (as named at publication or after the merger, with or without
    diacritics) and relevant reports only."""
    expression = fts_query(query)
    if expression == NOTHING:
        return NOTHING
    filters = []
    if str(year or "").strip():
        filters.append(f"y{_token(year)}")
    if _token(province or ""):
        filters.append(f"p{_token(province)}")
    if str(relevant_only or "").strip() not in ("", "0"):
        filters.append("relevant")
    return " AND ".join([f"({expression})", *(f'facets : "{FACET_PREFIX}{token}"' for token in filters)])


def index_article(db, doc: int, article):
    """Index an article (a record or an `articles` row) under its doc_id."""
    db.execute(f"insert into {FTS_TABLE} (rowid, title, text, facets) values (?, ?, ?, ?)",
               [doc, fold_chars(article.get("title")), fold_chars(article.get("text")), facet_terms(article)])


def unindex_article(db, doc: int, article):
    """Remove what index_article wrote: an external-content index is told the
    tokens to remove, so it gets the same folded values again."""
    db.execute(f"insert into {FTS_TABLE} ({FTS_TABLE}, rowid, title, text, facets) values ('delete', ?, ?, ?, ?)",
               [doc, fold_chars(article.get("title")), fold_chars(article.get("text")), facet_terms(article)])


# The columns index_article and unindex_article read from an `articles` row.
INDEXED_COLUMNS = ("title", "text", "report_year", "province", "province_current", "is_relevant")


def clear_index(db):
    db.execute(f"insert into {FTS_TABLE} ({FTS_TABLE}) values ('delete-all')")


def create_index(db):
    """(Re)create the index over every article; assigns doc_ids where missing."""
    db.execute(f"drop table if exists {FTS_TABLE}")
    db.execute(f"drop view if exists {FTS_SOURCE}")
    db.execute(FTS_SOURCE_CREATE)
    db.execute(FTS_CREATE)
    db.execute(f"insert into {FTS_TABLE} ({FTS_TABLE}, rank) values ('rank', ?)", [FTS_RANK])
    rows = db.execute("select rowid, doc_id, published, url from articles").fetchall()
    taken = {d for _, d, _, _ in rows if d is not None}
    for rowid, doc, published, url in rows:
        if doc is None:
            doc = free_doc_id(taken.__contains__, published, url)
            taken.add(doc)
            db.execute("update articles set doc_id = ? where rowid = ?", [doc, rowid])
    cursor = db.execute(f"select doc_id, {', '.join(INDEXED_COLUMNS)} from articles")
    for row in cursor:
        index_article(db, row[0], dict(zip(INDEXED_COLUMNS, row[1:])))


def free_doc_id(is_taken, published, url) -> int:
    """doc_id(published, url), or the next free integer after it: two URLs
    published in the same minute share a key once in a million."""
    doc = doc_id(published, url)
    while is_taken(doc):
        doc += 1
    return doc
