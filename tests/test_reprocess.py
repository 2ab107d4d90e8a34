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
