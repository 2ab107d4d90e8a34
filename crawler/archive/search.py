"""The archive's full-text index, and what a user's query becomes before it
reaches it. One definition for every reader: `crawler export --query`, the
Datasette search box and the search canned query.

The index (`articles_fts`, FTS5) holds each article's title and text *folded*
by crawler.text.fold_chars: lowercase, tone marks removed, đ → d. SQLite's
unicode61 tokenizer folds tone marks itself but not đ, so without this "dang"
would not find "Đảng". Queries are folded the same way (`fts_query`), so "Đảng",
"dang", "Thuỷ"/"Thủy" and NFD input all meet the same tokens.

It is an external-content index over `articles` (content='articles'): it keeps
no copy of the text. snippet() and highlight() read the original title and
text from `articles` and tokenize them again; fold_chars maps one character to
one character and letters to letters, so the original's tokens line up one for
one with the folded tokens the index holds, and the highlights fall on the
words as written ("«Đảng»" for a search for "dang"). Because the stored tokens
are folded, the index must only be written through this module
(`index_article`, `unindex_article`): FTS5's own 'rebuild' would index the text
unfolded.

The index is keyed by `articles.doc_id`, an integer in publication order
(`doc_id`). A search then returns its newest matches first straight from the
index, without reading and sorting every match: on 200k articles "kiểm tra"
matches nearly all of them.
"""

import hashlib
from datetime import datetime

from ..text import fold_chars, fold_phrase

FTS_TABLE = "articles_fts"
FTS_COLUMNS = ("title", "text")
# bm25 weights per column: the title counts five times the body.
FTS_RANK = "bm25(5.0, 1.0)"
# unicode61 also removes tone marks, so text folded elsewhere (or not at all)
# still tokenizes alike.
FTS_TOKENIZE = "unicode61 remove_diacritics 2"
FTS_CREATE = (f"create virtual table {FTS_TABLE} using fts5({', '.join(FTS_COLUMNS)}, "
              f"content='articles', content_rowid='doc_id', tokenize='{FTS_TOKENIZE}')")

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


def fts_query(query: str | None) -> str:
    """What a user typed → an FTS5 expression: every word, or "quoted phrase",
    must occur; no operators (a user's OR, NOT or * are words). Folded like the
    index, so diacritics, đ, tone placement and normal form do not matter."""
    query = fold_phrase(query or "")
    if query.count('"') % 2:
        query += '"'
    # Split into "phrases" and words; inside a phrase, quotes are the bounds.
    bits, inside = [], False
    for part in query.split('"'):
        if inside:
            if part.strip():
                bits.append(f'"{part.strip()}"')
        else:
            bits.extend(f'"{word}"' for word in part.split())
        inside = not inside
    return " ".join(bits)


def index_article(db, doc: int, title: str | None, text: str | None):
    db.execute(f"insert into {FTS_TABLE} (rowid, title, text) values (?, ?, ?)",
               [doc, fold_chars(title), fold_chars(text)])


def unindex_article(db, doc: int, title: str | None, text: str | None):
    """Remove what index_article wrote: an external-content index is told the
    tokens to remove, which are the folded title and text."""
    db.execute(f"insert into {FTS_TABLE} ({FTS_TABLE}, rowid, title, text) values ('delete', ?, ?, ?)",
               [doc, fold_chars(title), fold_chars(text)])


def clear_index(db):
    db.execute(f"insert into {FTS_TABLE} ({FTS_TABLE}) values ('delete-all')")


def create_index(db):
    """(Re)create the index over every article; assigns doc_ids where missing."""
    db.execute(f"drop table if exists {FTS_TABLE}")
    db.execute(FTS_CREATE)
    db.execute(f"insert into {FTS_TABLE} ({FTS_TABLE}, rank) values ('rank', ?)", [FTS_RANK])
    rows = db.execute("select rowid, doc_id, published, url from articles").fetchall()
    taken = {d for _, d, _, _ in rows if d is not None}
    for rowid, doc, published, url in rows:
        if doc is None:
            doc = free_doc_id(taken.__contains__, published, url)
            taken.add(doc)
            db.execute("update articles set doc_id = ? where rowid = ?", [doc, rowid])
    for doc, title, text in db.execute("select doc_id, title, text from articles"):
        index_article(db, doc, title, text)


def free_doc_id(is_taken, published, url) -> int:
    """doc_id(published, url), or the next free integer after it: two URLs
    published in the same minute share a key once in a million."""
    doc = doc_id(published, url)
    while is_taken(doc):
        doc += 1
    return doc
