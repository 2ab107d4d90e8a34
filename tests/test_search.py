"""Vietnamese-aware search: the same articles whatever the user types.

unicode61 folds tone marks but not đ; the index's folded column covers it.
"""

import json
import unicodedata
import urllib.parse

from .conftest import run_cli
from .test_serve import datasette, get_json  # noqa: F401  (the Datasette fixture)


def found(db, query):
    result = run_cli("export", "--db", db, "--query", query)
    assert result.returncode == 0, result.stderr
    return [r["url"] for r in json.loads(result.stdout)]


def test_d_and_dj_find_the_same(crawled_db):
    with_dj = found(crawled_db, "Đảng ủy Khối")
    assert with_dj
    assert set(found(crawled_db, "dang uy khoi")) == set(with_dj)
    assert set(found(crawled_db, "Dang uy Khoi")) == set(with_dj)


def test_tone_placement_and_normal_forms(crawled_db):
    new_style = set(found(crawled_db, "Phạm Thị Thanh Thủy"))
    assert new_style
    assert set(found(crawled_db, "Phạm Thị Thanh Thuỷ")) == new_style  # old tone placement
    assert set(found(crawled_db, unicodedata.normalize("NFD", "Phạm Thị Thanh Thủy"))) == new_style
    assert set(found(crawled_db, "pham thi thanh thuy")) == new_style


def test_phrase_queries(crawled_db):
    phrase = set(found(crawled_db, '"Ban Bí thư Trung ương Đảng"'))
    assert len(phrase) == 1
    assert set(found(crawled_db, '"ban bi thu trung uong dang"')) == phrase
    # the same words, not as a phrase, are everywhere
    assert len(found(crawled_db, "trung uong dang")) > len(phrase)


def test_title_ranks_above_body(crawled_db):
    urls = found(crawled_db, "Cần Thơ")
    # the two reports titled "Cần Thơ nâng cao …" before articles that only mention it
    assert all("can-tho" in u for u in urls[:2])


def test_datasette_search_box_folds_dj(datasette):  # noqa: F811
    def search(q):
        rows = get_json(f"{datasette}/archive/articles.json?_search={urllib.parse.quote(q)}&_shape=array&_size=100")
        return {r["url"] for r in rows}

    with_marks = search("Đảng ủy Khối")
    assert with_marks and search("dang uy khoi") == with_marks


def test_an_archive_from_an_older_version_is_reindexed(archive_copy):
    """Older archives had no doc_id and an index with its own copy of the text
    (or sqlite-utils' triggers); migrating one rebuilds the index in place."""
    import sqlite_utils

    from crawler.archive import Archive

    db = sqlite_utils.Database(archive_copy)
    db.execute("drop table articles_fts")
    db.execute("drop index idx_articles_doc_id")
    db["articles"].transform(drop={"doc_id"})
    db["articles"].enable_fts(["title", "text"], create_triggers=True, tokenize="unicode61 remove_diacritics 2")
    db.execute("pragma user_version = 0")
    Archive.create(archive_copy).close()
    db = sqlite_utils.Database(archive_copy)
    assert db.execute("select count(*) from articles where doc_id is null").fetchone()[0] == 0
    assert db.execute("select count(*) from articles_fts_docsize").fetchone()[0] == db["articles"].count
    assert not db.execute("select name from sqlite_master where type = 'trigger' and tbl_name = 'articles'").fetchall()
    assert found(archive_copy, "dang uy khoi")


def test_an_interrupted_reindex_leaves_the_old_index(archive_copy, monkeypatch):
    """The migration is one transaction: stopped halfway, the archive keeps the
    index (and the schema version) it had, and the next migration rebuilds it whole."""
    import sqlite_utils

    from crawler.archive import Archive, search

    db = sqlite_utils.Database(archive_copy)
    db.execute("drop index idx_articles_doc_id")
    db["articles"].transform(drop={"doc_id"})
    db.execute("drop table articles_fts")
    db["articles"].enable_fts(["title", "text"], tokenize="unicode61 remove_diacritics 2")
    old_sql = db.execute("select sql from sqlite_master where name = 'articles_fts'").fetchone()[0]
    db.execute("pragma user_version = 0")
    db.close()
    calls = []
    index_article = search.index_article

    def fail_halfway(*args):
        calls.append(1)
        if len(calls) == 5:
            raise KeyboardInterrupt
        index_article(*args)

    monkeypatch.setattr(search, "index_article", fail_halfway)
    try:
        Archive.create(archive_copy)
    except KeyboardInterrupt:
        pass
    db = sqlite_utils.Database(archive_copy)
    assert db.execute("select sql from sqlite_master where name = 'articles_fts'").fetchone()[0] == old_sql
    assert db.execute("pragma user_version").fetchone()[0] == 0
    db.close()
    monkeypatch.setattr(search, "index_article", index_article)
    Archive.create(archive_copy).close()
    db = sqlite_utils.Database(archive_copy)
    assert db.execute("select count(*) from articles_fts_docsize").fetchone()[0] == db["articles"].count


def test_a_current_archive_is_not_reindexed(archive_copy, monkeypatch):
    from crawler.archive import Archive, search

    def rebuild(db):
        raise AssertionError("the index was rebuilt")

    monkeypatch.setattr(search, "create_index", rebuild)
    Archive.open(archive_copy).close()
    Archive.create(archive_copy).close()


def test_the_index_holds_folded_tokens_and_no_copy_of_the_text(crawled_db):
    import sqlite_utils

    db = sqlite_utils.Database(crawled_db)
    assert "articles_fts_content" not in db.table_names()
    # "đảng" is stored as "dang": the raw FTS5 query for the unfolded word finds nothing
    assert db.execute("select count(*) from articles_fts where articles_fts match '\"đảng\"'").fetchone()[0] == 0
    assert db.execute("select count(*) from articles_fts where articles_fts match 'dang'").fetchone()[0] > 0


def test_saving_again_reindexes_and_moves_the_key(tmp_path):
    """Re-saving an article (new text, date, year) leaves no stale tokens
    behind, and removing it leaves an index FTS5's integrity check accepts."""
    from crawler.archive import Archive
    from crawler.archive.search import doc_id

    archive = Archive.create(tmp_path / "a.db")
    archive.db["sources"].insert({"id": "vn"})
    page = archive.db["pages"].insert({"source": "vn", "url": "u", "final_url": "u", "status": 200}).last_pk
    record = {"url": "https://example.vn/a.html", "canonical_url": "https://example.vn/a.html", "source": "vn",
              "title": "Hoi nghi tong ket", "text": "alpha kiem tra", "captions": [], "word_count": 3,
              "fetched_at": "2025-03-01T00:00:00+00:00", "published": "2024-01-05T08:00:00+07:00"}
    with archive.transaction():
        assert archive.save_article(record, page)
    with archive.transaction():
        assert not archive.save_article({**record, "text": "beta giam sat", "published": "2025-02-01T09:30:00+07:00",
                                         "report_year": 2024}, page)
    db = archive.db
    from crawler.archive.search import search_expression

    def filtered(q, year):
        return db.execute("select count(*) from articles_fts where articles_fts match ?",
                          [search_expression(q, year, "", "")]).fetchone()[0]

    assert (filtered("beta", "2024"), filtered("beta", "2023")) == (1, 0)

    def hits(q):
        return db.execute("select count(*) from articles_fts where articles_fts match ?", [q]).fetchone()[0]

    assert (hits("alpha"), hits("beta"), hits("tong")) == (0, 1, 1)
    assert db.execute("select doc_id from articles").fetchone()[0] == doc_id("2025-02-01T09:30:00+07:00", record["url"])
    with archive.transaction():
        archive.mark_page(page, False)
    assert (hits("beta"), filtered("beta", "2024"), db["articles"].count) == (0, 0, 0)
    # nothing left behind: FTS5 checks the index against the (now empty) table
    db.execute("insert into articles_fts (articles_fts) values ('integrity-check')")
    archive.close()


def test_doc_id_is_in_publication_order():
    from crawler.archive.search import doc_id

    older = doc_id("2023-12-28T15:20:00+07:00", "https://a.vn/1")
    newer = doc_id("2023-12-28T15:21:00+07:00", "https://a.vn/2")
    undated = doc_id(None, "https://a.vn/3")
    assert undated < older < newer < 2 ** 53
    assert doc_id("2023-12-28T15:20:00+07:00", "https://a.vn/1") == older  # stable


def test_queries_are_folded_and_quoted():
    from crawler.archive.search import NOTHING, fts_query, query_terms

    assert query_terms("Đảng ủy  Thuỷ") == ['"dang"', '"uy"', '"thuy"']
    assert query_terms('“thi hành kỷ luật” OR khai') == ['"thi hanh ky luat"', '"or"', '"khai"']
    assert query_terms('"unbalanced phrase') == ['"unbalanced phrase"']
    assert query_terms(' "" ') == []
    assert fts_query("kiểm tra") == '"kiem" "tra"'
    assert fts_query("  ") == NOTHING


def test_filters_are_tokens_of_the_index():
    from crawler.archive.search import NOTHING, facet_terms, search_expression

    article = {"report_year": 2024, "province": "Hải Dương", "province_current": "Hải Phòng", "is_relevant": 1}
    assert facet_terms(article) == "qqy2024 qqphaiduong qqphaiphong qqrelevant"
    assert facet_terms({"report_year": None, "province": None, "is_relevant": 0}) == ""
    assert search_expression("kiem tra", "2024", "Hai Duong", "1") == (
        '("kiem" "tra") AND facets : "qqy2024" AND facets : "qqphaiduong" AND facets : "qqrelevant"')
    assert search_expression("kiem tra", "", "", "") == '("kiem" "tra")'
    assert search_expression("", "2024", "", "") == NOTHING


def test_a_search_never_matches_the_filter_tokens(crawled_db):
    assert not found(crawled_db, "y2023")
    assert not found(crawled_db, "relevant")


def test_datasette_search_is_newest_first(datasette):  # noqa: F811
    rows = get_json(f"{datasette}/archive/articles.json?_search=kiem+tra&_shape=array&_size=100")
    dates = [r["published"] for r in rows if r["published"]]
    assert len(dates) >= 5 and dates == sorted(dates, reverse=True)
