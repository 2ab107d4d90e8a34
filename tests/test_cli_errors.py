"""Bad input: one line, non-zero exit, no traceback, nothing archived lost."""

import sqlite_utils

from .conftest import run_cli


def assert_one_line_error(result, *fragments):
    assert result.returncode != 0
    err = result.stderr.strip()
    assert "Traceback" not in result.stderr
    assert len(err.splitlines()) == 1, result.stderr
    assert err.startswith("Error: ")
    for fragment in fragments:
        assert fragment in err


def snapshot(db_path):
    db = sqlite_utils.Database(db_path)
    return {name: db[name].count for name in ("pages", "articles", "sources", "crawl_runs")}


def test_missing_database(tmp_path):
    for command in (["export"], ["reprocess"], ["serve"]):
        result = run_cli(*command, "--db", tmp_path / "missing.db")
        assert_one_line_error(result, "missing.db", "no archive here")
        assert not (tmp_path / "missing.db").exists()


def test_a_file_that_is_not_an_archive(tmp_path):
    bogus = tmp_path / "bogus.db"
    bogus.write_text("this is not sqlite")
    assert_one_line_error(run_cli("export", "--db", bogus), "not an archive database")


def test_malformed_registry_leaves_archive_intact(tmp_path, archive_copy):
    before = snapshot(archive_copy)
    bad = tmp_path / "bad.toml"
    bad.write_text('[[source]]\nid = "x"\nname = "X"\nhome = "http://127.0.0.1:1/"\nlevl = "central"\n')
    assert_one_line_error(run_cli("crawl", "--sources", bad, "--db", archive_copy), "bad.toml", "source 'x'", "levl")
    bad.write_text("[[source]\n")
    assert_one_line_error(run_cli("crawl", "--sources", bad, "--db", archive_copy), "not valid TOML")
    assert_one_line_error(run_cli("crawl", "--sources", tmp_path / "none.toml", "--db", archive_copy), "not found")
    assert snapshot(archive_copy) == before


def test_unreachable_source_fails_but_keeps_the_archive(tmp_path, archive_copy):
    before = snapshot(archive_copy)
    registry = tmp_path / "dead.toml"
    # Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
    registry.write_text('[[source]]\nid = "dead"\nname = "Dead portal"\nhome = "http://127.0.0.3:9/"\n')
    result = run_cli("crawl", "--sources", registry, "--db", archive_copy, "--delay", "0")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "failed entirely: dead" in result.stdout
    after = snapshot(archive_copy)
    assert after["pages"] == before["pages"] and after["articles"] == before["articles"]
    db = sqlite_utils.Database(archive_copy)
    assert db["crawl_errors"].count >= 1
    assert db.execute("select status from crawl_runs order by id desc limit 1").fetchone()[0] == "failed"


def test_extract_bad_files(tmp_path):
    assert_one_line_error(run_cli("extract", tmp_path / "nope.html", "--url", "http://127.0.0.1/x"), "does not exist")
    assert_one_line_error(run_cli("extract", tmp_path, "--url", "http://127.0.0.1/x"), "is a directory")
    binary = tmp_path / "photo.jpg"
    binary.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + bytes(range(256)) * 8)
    assert_one_line_error(run_cli("extract", binary, "--url", "http://127.0.0.1/x"), "not HTML")
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    assert_one_line_error(run_cli("extract", empty, "--url", "http://127.0.0.1/x"), "empty")
    text = tmp_path / "notes.txt"
    text.write_text("just some words, no markup at all")
    assert_one_line_error(run_cli("extract", text, "--url", "http://127.0.0.1/x"), "no HTML markup")
    assert_one_line_error(run_cli("extract", text), "Missing option '--url'")


def test_bad_export_options(archive_copy, tmp_path):
    assert_one_line_error(run_cli("export", "--db", archive_copy, "--since", "2024/01/01"), "--since must be a date")
    assert_one_line_error(run_cli("export", "--db", archive_copy, "-o", tmp_path / "no" / "x.json"), "does not exist")


def test_unknown_source_id(registry_file, archive_copy):
    assert_one_line_error(run_cli("crawl", "--sources", registry_file, "--db", archive_copy, "--source", "nope"),
                          "unknown source 'nope'")
