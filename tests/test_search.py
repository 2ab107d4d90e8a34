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


def test_an_archive_from_before_folding_is_reindexed(archive_copy):
    import sqlite_utils

    from crawler.archive import Archive

    db = sqlite_utils.Database(archive_copy)
    db.execute("drop table articles_fts")
    db["articles"].enable_fts(["title", "text"], create_triggers=True, tokenize="unicode61 remove_diacritics 2")
    assert "folded" not in db["articles_fts"].columns_dict
    Archive.open(archive_copy).close()
    db = sqlite_utils.Database(archive_copy)
    assert "folded" in db["articles_fts"].columns_dict
    assert db["articles_fts"].count == db["articles"].count
    assert not db.execute("select name from sqlite_master where type = 'trigger' and tbl_name = 'articles'").fetchall()
    assert found(archive_copy, "dang uy khoi")
