"""A real crawl of the sample network over HTTP into a real archive."""

import json
import urllib.request

import sqlite_utils

from crawler.fetch.lock import crawl_lock
from crawler.page import decompress

from .conftest import TRUTH, run_cli, truth_articles, truth_url


def test_every_article_page_becomes_an_article(crawled_db, network):
    db = sqlite_utils.Database(crawled_db)
    urls = {row["url"] for row in db["articles"].rows}
    expected = {truth_url(network, page) for page in truth_articles()}
    assert expected <= urls
    not_articles = {truth_url(network, p) for p in TRUTH if p["kind"] in ("listing", "other")}
    assert not (not_articles & urls)


def test_listings_and_other_pages_are_kept_raw_but_not_as_articles(crawled_db, network):
    db = sqlite_utils.Database(crawled_db)
    pages = {row["final_url"]: row for row in db["pages"].rows}
    for page in TRUTH:
        url = truth_url(network, page)
        if page["kind"] == "listing":
            assert pages[url]["is_article"] == 0, url


def test_robots_txt_is_obeyed(crawled_db, network):
    db = sqlite_utils.Database(crawled_db)
    fetched = {row["final_url"] for row in db["pages"].rows}
    disallowed = [truth_url(network, p) for p in TRUTH if p["kind"] == "disallowed"]
    assert disallowed, "the sample network links to disallowed pages"
    assert not (set(disallowed) & fetched)


def test_raw_pages_are_the_served_bytes(crawled_db, network):
    db = sqlite_utils.Database(crawled_db)
    page = truth_articles()[0]
    url = truth_url(network, page)
    row = db.execute("select body, size, status, fetched_at, source from pages where final_url = ?", [url]).fetchone()
    served = urllib.request.urlopen(url).read()
    assert decompress(row[0]) == served
    assert row[1] == len(served) and row[2] == 200 and row[3] and row[4] == page["site"]


def test_crawl_run_is_summarised(crawled_db):
    db = sqlite_utils.Database(crawled_db)
    run = db["crawl_runs"].get(1)
    assert run["status"] == "ok"
    assert run["pages_fetched"] >= len(TRUTH) - sum(p["kind"] == "disallowed" for p in TRUTH)
    assert run["new_articles"] == db["articles"].count
    assert json.loads(run["failed_sources"]) == []


def test_second_crawl_stores_no_duplicate_pages(archive_copy, registry_file):
    db = sqlite_utils.Database(archive_copy)
    before = db["pages"].count, db["articles"].count
    result = run_cli("crawl", "--sources", registry_file, "--db", archive_copy, "--delay", "0")
    assert result.returncode == 0, result.stderr
    assert "0 new articles" in result.stdout
    assert (db["pages"].count, db["articles"].count) == before
    assert db["crawl_runs"].count == 2


def test_a_second_crawl_on_the_same_archive_is_refused(archive_copy, registry_file):
    with crawl_lock(archive_copy):
        result = run_cli("crawl", "--sources", registry_file, "--db", archive_copy)
    assert result.returncode == 75
    assert result.stderr.strip().startswith("Error: ") and "another crawl is running" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_log_file_and_single_source(tmp_path, registry_file):
    db, log = tmp_path / "a.db", tmp_path / "crawl.log"
    result = run_cli("crawl", "--sources", registry_file, "--db", db, "--source", "ttxvn",
                     "--log-file", log, "--delay", "0")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "Spider closed (finished)" in log.read_text()
    sources = {row["source"] for row in sqlite_utils.Database(db)["pages"].rows}
    assert sources == {"ttxvn"}


def test_feed_and_sitemap_entries_are_crawled(crawled_db):
    db = sqlite_utils.Database(crawled_db)
    counts = dict(db.execute("select source, count(*) from articles group by source").fetchall())
    assert set(counts) >= {"haiduong", "tinhuy", "ttxvn", "baoquangninh", "dukhoi"}


def test_archive_is_in_wal_mode_with_full_text_search(crawled_db):
    db = sqlite_utils.Database(crawled_db)
    assert db.journal_mode == "wal"
    assert db.execute("select count(*) from articles_fts_docsize").fetchone()[0] == db["articles"].count
    hits = db.execute(
        "select count(*) from articles_fts where articles_fts match ?", ['"kiem tra"']
    ).fetchone()[0]
    assert hits >= 5
