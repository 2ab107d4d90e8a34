"""The archive database, written through sqlite-utils.

Tables
    sources      the registry as last crawled
    pages        every fetched page, raw: zlib-compressed bytes, requested and
                 final URL, status, validators for conditional requests
    articles     one row per article URL, derived from its latest page
    articles_fts full-text index over title and text, folded (đ → d) for
                 users typing without diacritics; see crawler.archive.search
    crawl_runs   one row per `crawler crawl`, with its summary
    crawl_errors what failed, per run and source

`pages` is the record of truth; everything else is derived and can be rebuilt
with `crawler reprocess` without the network.
"""

import hashlib
import json
from collections import Counter
import sqlite3
import zlib
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

import sqlite_utils

from ..page import compress, decompress
from ..record import FIELDS, FIELD_NAMES
from . import search

ARTICLE_JSON_FIELDS = tuple(f.name for f in FIELDS if f.type is list)
ARTICLE_BOOL_FIELDS = tuple(f.name for f in FIELDS if f.type is bool)
FIGURE_ARTICLE_FIELDS = ("source", "province", "province_current", "report_year", "level", "doc_type", "is_relevant")
FIGURE_COLUMNS = ("article_url", "metric", "subject", "count", "qualifier", "actor", "period", "sentence",
                  "start", "end", *FIGURE_ARTICLE_FIELDS)


# PRAGMA user_version of an archive this version writes; Archive.migrate
# brings older ones to it.
SCHEMA_VERSION = 1
# Where a failure recorded in crawl_errors happened.
ERROR_STAGES = ("fetch", "decode", "extract", "store", "reprocess", "crawl")


class ArchiveError(Exception):
    """An archive that cannot be used as asked; the message is one line."""


def utcnow() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Archive:
    """archive.db. Use `Archive.create(path)` to make or open one for writing,
    `Archive.open(path)` for one that must already exist."""

    def __init__(self, db: sqlite_utils.Database, path: Path):
        self.db = db
        self.path = path
        self.migrated_from = None  # the schema version `create` migrated from, if it did

    # -- opening -----------------------------------------------------------
    @classmethod
    def create(cls, path) -> "Archive":
        """Open for writing, creating the archive or migrating an older one
        (in one transaction): what a crawl does when it starts."""
        path = Path(path)
        if path.exists():
            archive = cls._connect_existing(path, readonly=False)
        elif not path.parent.exists():
            raise ArchiveError(f"{path}: folder {path.parent} does not exist")
        else:
            archive = cls(_connect(path), path)
        archive.migrated_from = archive.migrate()
        return archive

    @classmethod
    def open(cls, path, *, readonly=False) -> "Archive":
        """Open an archive that must exist and be of this version's schema;
        an older one is refused with a pointer to `crawler migrate`."""
        archive = cls._connect_existing(Path(path), readonly=readonly)
        version = archive.schema_version
        if version < SCHEMA_VERSION:
            archive.close()
            raise ArchiveError(f"{path}: made by an older version of the crawler (schema {version}, "
                               f"this version reads {SCHEMA_VERSION}); run `crawler migrate --db {path}` first")
        if version > SCHEMA_VERSION:
            archive.close()
            raise ArchiveError(f"{path}: made by a newer version of the crawler (schema {version}, "
                               f"this version reads {SCHEMA_VERSION}); upgrade ktgs-archive")
        return archive

    @classmethod
    def _connect_existing(cls, path: Path, *, readonly: bool) -> "Archive":
        if not path.exists():
            raise ArchiveError(f"{path}: no archive here (create one with `crawler crawl` or `crawler demo`)")
        if path.is_dir():
            raise ArchiveError(f"{path}: is a folder, not an archive database")
        try:
            db = _connect_readonly(path) if readonly else _connect(path)
            names = set(db.table_names())
        except sqlite3.DatabaseError as exc:
            raise ArchiveError(f"{path}: not an archive database ({exc})") from None
        if names and "pages" not in names:
            db.close()
            raise ArchiveError(f"{path}: an SQLite database, but not an archive (no 'pages' table)")
        return cls(db, path)

    def close(self):
        self.db.close()

    # -- schema --------------------------------------------------------------
    @property
    def schema_version(self) -> int:
        return self.db.execute("pragma user_version").fetchone()[0]

    def migrate(self) -> int | None:
        """Bring the schema to this version in one transaction; → the version
        migrated from, or None when it was current."""
        version = self.schema_version
        if version == SCHEMA_VERSION:
            return None
        if version > SCHEMA_VERSION:
            raise ArchiveError(f"{self.path}: made by a newer version of the crawler (schema {version}, "
                               f"this version writes {SCHEMA_VERSION}); upgrade ktgs-archive")
        with self.db.atomic():
            self._ensure_schema()
            # user_version lives in the file header and commits with the rest.
            self.db.execute(f"pragma user_version = {SCHEMA_VERSION}")
        return version

    def _ensure_schema(self):
        """Create what is missing and add the columns newer versions gave
        existing tables: idempotent, so every older archive reaches the
        current schema the same way (version 0 is any archive made before
        versions were recorded)."""
        db = self.db
        if "sources" not in db.table_names():
            db["sources"].create(
                {"id": str, "name": str, "home": str, "province": str, "level": str,
                 "start_urls": str, "feeds": str, "sitemaps": str, "search": str},
                pk="id",
            )
        if "pages" not in db.table_names():
            db["pages"].create(
                {"id": int, "source": str, "url": str, "final_url": str, "status": int,
                 "content_type": str, "etag": str, "last_modified": str, "body": bytes,
                 "body_sha1": str, "size": int, "fetched_at": str, "run_id": int,
                 "is_article": int},
                pk="id",
                foreign_keys=[("source", "sources", "id")],
            )
            db["pages"].create_index(["final_url", "body_sha1"], unique=True)
            db["pages"].create_index(["source"])
        if "articles" not in db.table_names():
            columns = {f.name: (str if f.type is list else f.type) for f in FIELDS}
            columns["page_id"] = int
            # The full-text index's key, in publication order (archive/search.py).
            columns["doc_id"] = int
            db["articles"].create(
                columns, pk="url", not_null={f.name for f in FIELDS if not f.nullable},
                foreign_keys=[("source", "sources", "id"), ("page_id", "pages", "id")],
            )
            db["articles"].create_index(["source"])
            db["articles"].create_index(["published"])
        else:
            # An archive made by an older version: add the record's newer fields
            # (empty until `crawler reprocess` fills them from the raw pages).
            have = db["articles"].columns_dict
            for f in FIELDS:
                if f.name not in have:
                    db["articles"].add_column(f.name, str if f.type is list else f.type)
            if "doc_id" not in have:
                db["articles"].add_column("doc_id", int)
        if not self._search_index_is_current():
            self._create_search_index()
        if "figures" not in db.table_names():
            # One row per statistic, with the article fields a researcher filters
            # by copied in, so "one metric by province for a year" is one table.
            db["figures"].create(
                {"id": int, "article_url": str, "metric": str, "subject": str, "count": int,
                 "qualifier": str, "actor": str, "period": str, "sentence": str, "start": int,
                 "end": int, "source": str, "province": str, "province_current": str,
                 "report_year": int, "level": str, "doc_type": str, "is_relevant": int},
                pk="id", foreign_keys=[("article_url", "articles", "url")],
            )
            db["figures"].create_index(["article_url"])
            db["figures"].create_index(["metric", "report_year"])
        if "article_fingerprints" not in db.table_names():
            db["article_fingerprints"].create({"url": str, "fingerprint": bytes}, pk="url")
        if "templates" not in db.table_names():
            db["templates"].create(
                {"source": str, "pages": int, "blocks": int, "learnt_at": str},
                pk="source", foreign_keys=[("source", "sources", "id")],
            )
            db["template_blocks"].create(
                {"source": str, "fingerprint": str, "pages": int}, pk=("source", "fingerprint"),
            )
        if "crawl_runs" not in db.table_names():
            db["crawl_runs"].create(
                {"id": int, "command": str, "started_at": str, "finished_at": str, "sources": str,
                 "pages_fetched": int, "new_articles": int, "errors": int,
                 "failed_sources": str, "status": str},
                pk="id",
            )
        elif "command" not in db["crawl_runs"].columns_dict:
            db["crawl_runs"].add_column("command", str)
            db.execute("update crawl_runs set command = 'crawl'")
        if "crawl_errors" not in db.table_names():
            db["crawl_errors"].create(
                {"id": int, "run_id": int, "source": str, "url": str, "status": int,
                 "stage": str, "error": str, "at": str},
                pk="id",
                foreign_keys=[("run_id", "crawl_runs", "id"), ("source", "sources", "id")],
            )
            db["crawl_errors"].create_index(["source", "stage"])
        elif "stage" not in db["crawl_errors"].columns_dict:
            db["crawl_errors"].add_column("stage", str)
            # Before stages were recorded every error row came from fetching or extracting.
            db.execute("update crawl_errors set stage = case when error like 'HTTP %' or status is not null "
                       "then 'fetch' else 'extract' end")
            db["crawl_errors"].create_index(["source", "stage"])

    def _search_index_is_current(self) -> bool:
        # SQLite keeps a statement as written, but for its leading keywords.
        wanted = {search.FTS_TABLE: search.FTS_CREATE, search.FTS_SOURCE: search.FTS_SOURCE_CREATE}
        have = dict(self.db.execute(f"select name, lower(sql) from sqlite_master where name in (?, ?)",
                                    list(wanted)).fetchall())
        return all(have.get(name) == sql.lower() for name, sql in wanted.items())

    def _create_search_index(self):
        """Create the index, or rebuild one made by an older version (its own
        copy of the text, or sqlite-utils' triggers)."""
        db = self.db
        with db.atomic():
            for trigger in db.execute("select name from sqlite_master where type = 'trigger' "
                                      "and tbl_name = 'articles'").fetchall():
                db.execute(f"drop trigger [{trigger[0]}]")
            for table in [t for t in db.table_names() if t.startswith(search.FTS_TABLE)]:
                db.execute(f"drop table if exists [{table}]")
            search.create_index(db)
            db.execute("create unique index if not exists idx_articles_doc_id on articles (doc_id)")

    # -- sources and runs ------------------------------------------------------
    def save_sources(self, sources):
        rows = []
        for source in sources:
            row = source.to_row()
            for key in ("start_urls", "feeds", "sitemaps"):
                row[key] = json.dumps(row[key])
            rows.append(row)
        self.db["sources"].upsert_all(rows, pk="id", alter=True)

    def start_run(self, source_ids, command="crawl") -> int:
        """A new `running` row in crawl_runs. The caller holds the crawl lock,
        so a run still `running` was killed: it is marked `interrupted`."""
        with self.transaction():
            self.db.execute("update crawl_runs set status = 'interrupted' where status = 'running'")
            return self.db["crawl_runs"].insert(
                {"command": command, "started_at": utcnow(), "sources": json.dumps(list(source_ids)),
                 "pages_fetched": 0, "new_articles": 0, "errors": 0, "status": "running"}
            ).last_pk

    def finish_run(self, run_id, *, pages_fetched, new_articles, errors, failed_sources, status):
        self.db["crawl_runs"].update(run_id, {
            "finished_at": utcnow(), "pages_fetched": pages_fetched, "new_articles": new_articles,
            "errors": errors, "failed_sources": json.dumps(sorted(failed_sources)), "status": status,
        })

    def run(self, run_id) -> dict:
        return self.db["crawl_runs"].get(run_id)

    def record_error(self, run_id, source, url, error, *, stage, status=None):
        """One failure: `stage` is where it happened (fetch, decode, extract,
        store, reprocess, crawl; see ERROR_STAGES)."""
        assert stage in ERROR_STAGES, stage
        self.db["crawl_errors"].insert(
            {"run_id": run_id, "source": source, "url": url, "status": status,
             "stage": stage, "error": error, "at": utcnow()}
        )

    # -- raw pages -------------------------------------------------------------
    def add_page(self, *, source, url, final_url, status, content_type, etag, last_modified,
                 body: bytes, fetched_at, run_id) -> tuple[int, bool, bool]:
        """Keep one fetched page. Returns (page id, whether these bytes are new
        for this URL, whether they were extracted already); an unchanged
        re-fetch is not stored twice."""
        sha1 = hashlib.sha1(body).hexdigest()
        existing = self.db.execute(
            "select id, is_article from pages where final_url = ? and body_sha1 = ?", [final_url, sha1]
        ).fetchone()
        if existing:
            return existing[0], False, existing[1] is not None
        page_id = self.db["pages"].insert({
            "source": source, "url": url, "final_url": final_url, "status": status,
            "content_type": content_type, "etag": etag, "last_modified": last_modified,
            "body": compress(body), "body_sha1": sha1, "size": len(body),
            "fetched_at": fetched_at, "run_id": run_id,
        }).last_pk
        return page_id, True, False

    def validators(self, source_ids=None) -> dict:
        """URL → (etag, last_modified) of archived article pages, for conditional requests."""
        sql = ("select final_url, etag, last_modified from pages where is_article = 1 "
               "and (etag is not null or last_modified is not null)")
        params = []
        if source_ids:
            sql += f" and source in ({','.join('?' * len(source_ids))})"
            params = list(source_ids)
        return {url: (etag, lm) for url, etag, lm in self.db.execute(sql, params)}

    def latest_pages(self) -> list[tuple[int, str]]:
        """(id, source) of the newest 2xx page of every final URL, oldest first."""
        return self.db.execute(_LATEST_PAGES + " order by id").fetchall()

    def pending_pages(self) -> list[tuple[int, str]]:
        """(id, source) of the newest pages never extracted (is_article null):
        stored by a crawl that was killed before their article, or whose
        extraction failed."""
        return self.db.execute(_LATEST_PAGES + " and is_article is null order by id").fetchall()

    def page_summary(self, page_id) -> dict:
        """A page's source, URLs and status, without its body."""
        row = self.db.execute("select source, url, final_url, status from pages where id = ?",
                              [page_id]).fetchone()
        return dict(zip(("source", "url", "final_url", "status"), row))

    def page(self, page_id) -> dict:
        """One raw page with its body decompressed; ArchiveError when the
        stored bytes are corrupt."""
        row = self.db["pages"].get(page_id)
        try:
            row["body"] = decompress(row["body"])
        except (zlib.error, TypeError) as exc:
            raise ArchiveError(f"page {page_id} ({row['final_url']}): stored body is corrupt ({exc})") from None
        return row

    # -- derived rows -------------------------------------------------------------
    # These write without committing: wrap them in `with archive.transaction():`
    # so a page's flag and its article land together (and `reprocess` is atomic).
    def transaction(self):
        # An explicit BEGIN: sqlite-utils commits any write made outside one.
        return self.db.atomic()

    def store_article(self, page_id, record: dict | None) -> bool:
        """Flag the page and save its article (None: the page has none)
        together, in their own transaction; True for a new article URL."""
        with self.transaction():
            self.mark_page(page_id, record is not None)
            return record is not None and self.save_article(record, page_id)

    def flag_page(self, page_id, is_article: bool):
        """Record whether the page is an article, touching no article row."""
        self.db.execute("update pages set is_article = ? where id = ?", [int(is_article), page_id])

    def mark_page(self, page_id, is_article: bool):
        """Flag the page; when it is no article, delete the article it gave before."""
        self.flag_page(page_id, is_article)
        if not is_article:
            self.db.execute("delete from figures where article_url in "
                            "(select url from articles where page_id = ?)", [page_id])
            for old in self._indexed_rows("page_id = ?", page_id):
                search.unindex_article(self.db, old["doc_id"], old)
            self.db.execute("delete from articles where page_id = ?", [page_id])

    def save_article(self, record: dict, page_id: int, *, unindex: bool = True) -> bool:
        """Insert or update the article for record['url']; True when the URL is new.
        unindex=False: the search index was cleared, the old entry is gone already."""
        old = next(iter(self._indexed_rows("url = ?", record["url"])), None)
        row = {name: record.get(name) for name in FIELD_NAMES}
        for name in ARTICLE_JSON_FIELDS:
            row[name] = json.dumps(row[name] or [], ensure_ascii=False)
        row["page_id"] = page_id
        if old and unindex:
            search.unindex_article(self.db, old["doc_id"], old)
        if old and old["published"] == record.get("published"):
            row["doc_id"] = old["doc_id"]
        else:
            row["doc_id"] = search.free_doc_id(self._doc_id_taken, record.get("published"), record["url"])
        columns = list(row)
        # An UPSERT (not INSERT OR REPLACE) so the full-text triggers see an update.
        self.db.execute(
            f"insert into articles ({', '.join(columns)}) values ({', '.join('?' * len(columns))}) "
            f"on conflict(url) do update set {', '.join(f'{c} = excluded.{c}' for c in columns[1:])}",
            [row[c] for c in columns],
        )
        search.index_article(self.db, row["doc_id"], record)
        self.db.execute("delete from figures where article_url = ?", [record["url"]])
        self.db.execute("delete from article_fingerprints where url = ?", [record["url"]])
        copied = {k: record.get(k) for k in FIGURE_ARTICLE_FIELDS}
        self.db.conn.executemany(
            f"insert into figures ({', '.join(f'[{c}]' for c in FIGURE_COLUMNS)}) values ({', '.join('?' * len(FIGURE_COLUMNS))})",
            [[{**figure, **copied, "article_url": record["url"]}.get(c) for c in FIGURE_COLUMNS]
             for figure in record.get("figures") or []],
        )
        return old is None

    def _indexed_rows(self, where: str, value) -> list[dict]:
        """The articles matching `where`, with what their index entries were made of."""
        columns = ("doc_id", "published", *search.INDEXED_COLUMNS)
        params = [] if value is None else [value]
        cursor = self.db.execute(f"select {', '.join(columns)} from articles where {where}", params)
        return [dict(zip(columns, row)) for row in cursor.fetchall()]

    def _doc_id_taken(self, doc: int) -> bool:
        return self.db.execute("select 1 from articles where doc_id = ?", [doc]).fetchone() is not None

    # -- site templates ------------------------------------------------------------
    def load_learner(self, learner, source=None):
        """Fill a TemplateLearner with what earlier crawls learnt (one source or all)."""
        where, params = ("where source = ?", [source]) if source else ("", [])
        for src, pages in self.db.execute(f"select source, pages from templates {where}", params):
            learner.pages[src] = pages
        for src, fp, pages in self.db.execute(f"select source, fingerprint, pages from template_blocks {where}", params):
            learner.blocks.setdefault(src, Counter())[fp] = pages
        return learner

    def save_learner(self, learner):
        """Persist the learner's counts, inside the caller's transaction. Blocks
        seen on one page only are article text and are not kept."""
        for source in learner.sources():
            template = learner.template(source)
            counts = learner.blocks.get(source, {})
            self.db.execute("delete from template_blocks where source = ?", [source])
            self.db.conn.executemany(
                "insert into template_blocks (source, fingerprint, pages) values (?, ?, ?)",
                [(source, fp, n) for fp, n in counts.items() if n >= 2],
            )
            self.db.execute(
                "insert or replace into templates (source, pages, blocks, learnt_at) values (?, ?, ?, ?)",
                [source, learner.pages[source], len(template.fingerprints) if template else 0, utcnow()],
            )

    def clear_templates(self):
        """Forget the learnt site templates (inside the caller's transaction)."""
        self.db.execute("delete from template_blocks")
        self.db.execute("delete from templates")

    def clear_search_index(self):
        """Empty the search index (inside the caller's transaction), to be
        filled again by save_article(…, unindex=False) and index_articles_of."""
        search.clear_index(self.db)

    def index_articles_of(self, page_ids):
        """Index again the articles of these pages, as they are in `articles`."""
        for page_id in page_ids:
            for row in self._indexed_rows("page_id = ?", page_id):
                search.index_article(self.db, row["doc_id"], row)

    def keep_only_articles_of(self, page_ids, *, unindex: bool = True):
        """Delete the articles (with their figures, fingerprints and index
        entries) not derived from one of `page_ids`, inside the caller's
        transaction; → how many were deleted."""
        self.db.execute("create temp table if not exists kept_pages (id integer primary key)")
        self.db.execute("delete from kept_pages")
        self.db.conn.executemany("insert or ignore into kept_pages (id) values (?)", [(i,) for i in page_ids])
        gone = self._indexed_rows("page_id not in (select id from kept_pages) or page_id is null", None)
        for old in gone if unindex else ():
            search.unindex_article(self.db, old["doc_id"], old)
        for table, column in (("figures", "article_url"), ("article_fingerprints", "url"), ("articles", "url")):
            self.db.execute(f"delete from {table} where {column} in (select url from articles where "
                            "page_id not in (select id from kept_pages) or page_id is null)")
        self.db.execute("drop table kept_pages")
        return len(gone)


_LATEST_PAGES = ("select id, source from pages where id in (select max(id) from pages "
                 "where status between 200 and 299 group by final_url)")


def _connect_readonly(path: Path) -> sqlite_utils.Database:
    """A connection that cannot write, for serve, export and extract."""
    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    return sqlite_utils.Database(sqlite3.connect(uri, uri=True))


def _connect(path: Path) -> sqlite_utils.Database:
    db = sqlite_utils.Database(path)
    db.enable_wal()
    db.execute("pragma synchronous = normal")
    db.execute("pragma foreign_keys = on")
    return db


def decode_article_row(row: dict) -> dict:
    """An `articles` row → the article record (JSON columns parsed, field order kept)."""
    record = {name: row.get(name) for name in FIELD_NAMES}
    for name in ARTICLE_JSON_FIELDS:
        value = record[name]
        record[name] = json.loads(value) if isinstance(value, str) else (value or [])
    for name in ARTICLE_BOOL_FIELDS:
        if record[name] is not None:
            record[name] = bool(record[name])
    return record
