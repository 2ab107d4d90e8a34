"""`crawler reprocess` rebuilds the derived tables from raw pages, offline."""

import sqlite_utils

from .conftest import run_cli


def article_rows(db_path):
    db = sqlite_utils.Database(db_path)
    return {row["url"]: (row["title"], row["text"], row["published"]) for row in db["articles"].rows}


def test_reprocess_rebuilds_the_same_articles_without_the_network(archive_copy):
    before = article_rows(archive_copy)
    db = sqlite_utils.Database(archive_copy)
    db.execute("delete from articles")
    db.execute("update articles set title = 'x'")
    db.conn.commit()
    assert db["articles"].count == 0
    # Every source points at a closed port now: reprocess must not need them.
    db.execute("update sources set home = 'http://127.0.0.3:9/'")
    db.conn.commit()
    result = run_cli("reprocess", "--db", archive_copy)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"reprocessed ")
    assert f"{len(before)} articles, 0 errors" in result.stdout
    assert article_rows(archive_copy) == before
    hits = db.execute("select count(*) from articles_fts where articles_fts match 'kiem'").fetchone()[0]
    assert hits > 0


def test_pages_are_never_touched(archive_copy):
    db = sqlite_utils.Database(archive_copy)
    before = db.execute("select group_concat(body_sha1) from pages order by id").fetchone()
    assert run_cli("reprocess", "--db", archive_copy).returncode == 0
    assert db.execute("select group_concat(body_sha1) from pages order by id").fetchone() == before


def test_a_corrupt_raw_page_is_recorded_and_the_rest_rebuilt(archive_copy):
    """The page keeps the article it had; every other page is reprocessed;
    the error is in crawl_errors under the reprocess run."""
    db = sqlite_utils.Database(archive_copy)
    before = article_rows(archive_copy)
    page_id, url = db.execute("select page_id, url from articles order by url limit 1").fetchone()
    db.execute("update pages set body = ? where id = ?", [b"not zlib at all", page_id])
    db.conn.commit()
    result = run_cli("reprocess", "--db", archive_copy)
    assert result.returncode == 0, result.stderr
    assert f"{len(before) - 1} articles, 1 errors" in result.stdout
    assert article_rows(archive_copy) == before
    run = db.execute("select id, command, status from crawl_runs order by id desc limit 1").fetchone()
    assert run[1:] == ("reprocess", "ok")
    errors = db.execute("select stage, error from crawl_errors where run_id = ?", [run[0]]).fetchall()
    assert len(errors) == 1 and errors[0][0] == "reprocess" and "corrupt" in errors[0][1]
    hits = db.execute("select count(*) from articles_fts").fetchone()[0]
    assert hits == len(before)


def test_a_crawl_extracts_the_pages_a_killed_crawl_left_waiting(archive_copy, registry_file):
    """Pages stored but never extracted (is_article null: the crawl was
    killed in between) are extracted by the next crawl, and its run is marked
    interrupted."""
    db = sqlite_utils.Database(archive_copy)
    before = article_rows(archive_copy)
    waiting = [row[0] for row in db.execute("select page_id from articles order by url limit 3")]
    for page_id in waiting:
        db.execute("delete from figures where article_url in (select url from articles where page_id = ?)", [page_id])
        db.execute("delete from article_fingerprints where url in (select url from articles where page_id = ?)",
                   [page_id])
    # As a kill -9 between storing and extracting leaves them; the index is rebuilt by reprocess below.
    db.execute(f"delete from articles where page_id in ({','.join('?' * len(waiting))})", waiting)
    db.execute(f"update pages set is_article = null where id in ({','.join('?' * len(waiting))})", waiting)
    db.execute("update crawl_runs set status = 'running' where id = (select max(id) from crawl_runs)")
    db.conn.commit()
    result = run_cli("crawl", "--sources", registry_file, "--db", archive_copy, "--delay", "0")
    assert result.returncode == 0, result.stderr
    assert article_rows(archive_copy) == before
    assert db.execute("select count(*) from pages where is_article is null").fetchone()[0] == 0
    statuses = [row[0] for row in db.execute("select status from crawl_runs order by id")]
    assert statuses[-2:] == ["interrupted", "ok"]
