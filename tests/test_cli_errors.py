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


def test_export_validates_before_writing_a_byte(archive_copy, tmp_path):
    for bad, fragment in ((("--since", "2024-13-45"), "--since must be a date"),
                          (("--until", "2024-02-30"), "--until must be a date"),
                          (("--since", "garbage"), "--since must be a date"),
                          (("--since", "2024-05-01", "--until", "2024-01-01"), "is after --until"),
                          (("--source", "nope"), "no source 'nope' in this archive")):
        result = run_cli("export", "--db", archive_copy, *bad)
        assert_one_line_error(result, fragment)
        assert result.stdout == ""
    target = tmp_path / "out.json"
    assert_one_line_error(run_cli("export", "--db", archive_copy, "--since", "garbage", "-o", target))
    assert not target.exists() and not (tmp_path / "out.json.part").exists()
    assert_one_line_error(run_cli("export", "--db", archive_copy, "-o", tmp_path), "is a directory")


def test_an_export_that_fails_midway_leaves_no_partial_file(archive_copy, tmp_path):
    """/dev/full fails every write with ENOSPC, like a full disk: one line, no `.part` left."""
    import os

    link = tmp_path / "export.json"
    os.symlink("/dev/full", tmp_path / "export.json.part")
    result = run_cli("export", "--db", archive_copy, "-o", link)
    assert_one_line_error(result, "No space left on device")
    assert not (tmp_path / "export.json.part").exists() and not link.exists()


def test_serve_and_export_refuse_an_older_archive_until_migrated(archive_copy):
    db = sqlite_utils.Database(archive_copy)
    db.execute("pragma user_version = 0")
    db.conn.commit()
    db.close()
    before = snapshot(archive_copy)
    for command in (["export"], ["serve", "--port", "0"], ["reprocess"]):
        assert_one_line_error(run_cli(*command, "--db", archive_copy), "older version", "crawler migrate")
    result = run_cli("migrate", "--db", archive_copy)
    assert result.returncode == 0, result.stderr
    assert "migrated from schema 0" in result.stdout
    assert "already at schema" in run_cli("migrate", "--db", archive_copy).stdout
    assert snapshot(archive_copy) == before
    assert run_cli("export", "--db", archive_copy, "--fields", "url").returncode == 0


def test_export_opens_the_archive_read_only(archive_copy):
    """A read-only archive file (a published copy) still exports."""
    import os

    os.chmod(archive_copy, 0o444)
    try:
        result = run_cli("export", "--db", archive_copy, "--fields", "url", "--format", "jsonl")
    finally:
        os.chmod(archive_copy, 0o644)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("\n") == sqlite_utils.Database(archive_copy)["articles"].count


def test_an_unexpected_error_is_one_line_naming_the_log_with_its_traceback(archive_copy, tmp_path):
    """A bug (here: a JSON column the code reads that holds no JSON) is not
    dressed up as the user's fault: one line says where the traceback is,
    and the export it broke leaves no partial file."""
    import os
    import subprocess
    import sys

    db = sqlite_utils.Database(archive_copy)
    db.execute("update articles set figures = '{not json' where rowid = (select max(rowid) from articles)")
    db.conn.commit()
    db.close()
    log, target = tmp_path / "crawler.log", tmp_path / "out.json"
    env = dict(os.environ, CRAWLER_LOG=str(log), PYTHONWARNINGS="ignore")
    result = subprocess.run([sys.executable, "-m", "crawler.cli", "export", "--db", str(archive_copy),
                             "-o", str(target)], capture_output=True, text=True, env=env, timeout=60)
    assert_one_line_error(result, "unexpected JSONDecodeError", f"the traceback is in {log}")
    assert "Traceback (most recent call last)" in log.read_text()
    assert not target.exists() and not (tmp_path / "out.json.part").exists()


def test_a_port_in_use_is_named_in_one_line(archive_copy):
    import socket

    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        assert_one_line_error(run_cli("serve", "--db", archive_copy, "--port", port),
                              f"port {port} on 127.0.0.1 is in use")
        assert_one_line_error(run_cli("demo", "--db", archive_copy, "--port", port),
                              f"port {port} on 127.0.0.1 is in use")
