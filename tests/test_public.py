"""`crawler serve --public`: the real command on a crawled archive whose
extracted text was made hostile, fetched over loopback like a visitor would."""

import hashlib
import json
import re
import shutil
import sqlite3
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from .test_serve import running_serve

SCRIPT = "<script>alert(1)</script>"
JS_URL = "javascript:alert(1)"


def hostile(db_path):
    """Put a script into the title, a caption, a figure's sentence and the
    URLs of the archive's central report, and give another report a
    javascript: URL: each a place a page or plugin renders crawled text."""
    db = sqlite3.connect(db_path)
    db.row_factory = sqlite3.Row
    report, other = db.execute("select url, figures, text from articles where is_relevant = 1 "
                               "and figures != '[]' order by level = 'central' desc, url limit 2").fetchall()
    figures = json.loads(report["figures"])
    figures[0]["sentence"] = f"{SCRIPT} {figures[0]['sentence']}"
    with db:
        db.execute("update articles set title = ?, captions = ?, figures = ?, duplicates = ?, author = ?, "
                   "text = ? where url = ?",
                   (f"{SCRIPT} Kiểm tra", json.dumps([f"{SCRIPT} ảnh"]), json.dumps(figures, ensure_ascii=False),
                    json.dumps([JS_URL, f"http://127.0.0.1/{SCRIPT}"]), f'<a href="{JS_URL}">x</a>',
                    report["text"] + f"\n{SCRIPT}", report["url"]))
        db.execute("update figures set sentence = ? where article_url = ?", (f"{SCRIPT} câu", report["url"]))
        for table, column in (("articles", "url"), ("articles", "canonical_url"), ("figures", "article_url")):
            db.execute(f"update {table} set {column} = ? where {column} = ?", (JS_URL, other["url"]))
        db.execute("update sources set home = ? where id = (select min(id) from sources)", (JS_URL,))
        db.execute("insert into crawl_errors (run_id, source, url, error, at) values (1, ?, ?, ?, ?)",
                   (SCRIPT, JS_URL, SCRIPT, "2024-01-01T00:00:00+00:00"))
    db.close()
    return report["url"]


@pytest.fixture(scope="module")
def public(crawled_db, tmp_path_factory):
    """(base URL, archive path, URL of the report made hostile) of a running
    `crawler serve --public`."""
    db_path = tmp_path_factory.mktemp("public") / "archive.db"
    shutil.copy(crawled_db, db_path)
    url = hostile(db_path)
    with running_serve(db_path, "--public") as (base, _):
        yield base, db_path, url


def fetch(url):
    """(status, body) of a GET, error statuses included."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def sql(base, query):
    return fetch(f"{base}/archive.json?" + urllib.parse.urlencode({"sql": query}))


def row_page(base, url):
    return f"{base}/archive/articles/{urllib.parse.quote(url, safe='')}"


def files_of(db_path):
    """The database's files (its -wal and -shm too) and a hash of each."""
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest()
            for path in db_path.parent.glob(db_path.name + "*")}


def assert_escaped(page):
    assert not re.search(r"<script>alert", page, re.I)
    assert not re.search(r"""href\s*=\s*["']?\s*javascript:""", page, re.I)


def test_the_hostile_report_is_shown_escaped(public):
    base, _, url = public
    status, page = fetch(row_page(base, url))
    assert status == 200
    assert_escaped(page)
    # shown, as text: the title, the caption, the figure's sentence, the duplicate
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    for text in (f"{escaped} Kiểm tra", f"{escaped} ảnh", f"{escaped} Theo đó", f"http://127.0.0.1/{escaped}"):
        assert text in page, text
    assert "javascript:alert(1)" in page  # the duplicate, listed but not a link


def test_a_javascript_url_is_never_a_link(public):
    base, _, _ = public
    status, page = fetch(row_page(base, JS_URL))
    assert status == 200 and "original page" not in page
    assert_escaped(page)


@pytest.mark.parametrize("path", [
    "/archive/articles", "/archive/articles?_search=kiem+tra", "/archive/figures", "/archive/sources",
    "/archive/crawl_errors", "/archive/errors_by_source", "/archive/duplicate_clusters",
    "/archive/search_reports?q=kiem+tra&year=&province=&relevant_only=&before=",
    "/archive/search_ranked?q=kiem+tra&year=&province=&relevant_only=",
    "/archive/reports_of_year?year=2023", "/-/dashboards/inspection?year=2023",
])
def test_every_page_escapes(public, path):
    base, _, _ = public
    status, page = fetch(base + path)
    assert status == 200, path
    assert_escaped(page)


def test_the_search_page_shows_the_hostile_title(public):
    base, _, _ = public
    status, page = fetch(f"{base}/archive/search_reports?q=kiem+tra&year=&province=&relevant_only=&before=")
    assert status == 200 and "&lt;script&gt;alert(1)&lt;/script&gt; Kiểm tra" in page


def test_sql_markdown_columns_are_sanitised(public):
    """datasette-render-markdown renders any *_markdown column, of any query."""
    base, _, _ = public
    query = f"select '[x]({JS_URL}) {SCRIPT}' as a_markdown"
    status, page = fetch(f"{base}/archive?" + urllib.parse.urlencode({"sql": query}))
    assert status == 200 and "a_markdown" in page
    assert_escaped(page)


def test_writes_are_refused(public):
    base, db_path, _ = public
    before = files_of(db_path)
    for statement in ("insert into sources (id) values ('x')", "delete from articles",
                      "update articles set title = 'x'", "drop table articles", "pragma user_version = 9",
                      "attach database ':memory:' as m", "vacuum"):
        status, body = sql(base, statement)
        assert status in (400, 403), statement
        assert not json.loads(body).get("ok"), statement
    request = urllib.request.Request(f"{base}/archive", data=b"sql=delete+from+articles", method="POST")
    try:
        urllib.request.urlopen(request, timeout=10)
        posted = 200
    except urllib.error.HTTPError as exc:
        posted = exc.code
    assert posted in (403, 405)
    assert fetch(f"{base}/archive.db")[0] == 403  # no download of the file
    status, body = fetch(f"{base}/-/databases.json")
    assert [(d["name"], d["is_mutable"]) for d in json.loads(body)] == [("archive", False)]
    assert files_of(db_path) == before


def test_rows_are_capped(public):
    base, _, _ = public
    status, body = sql(base, "with recursive n(i) as (select 1 union all select i + 1 from n limit 5000) "
                             "select i from n")
    result = json.loads(body)
    assert status == 200 and len(result["rows"]) == 500 and result["truncated"]
    assert fetch(f"{base}/archive/articles.json?_size=1000")[0] == 400
    # a CSV stream would return every row, past the cap
    assert fetch(f"{base}/archive/figures.csv?_stream=on")[0] == 400


def test_a_long_query_is_stopped(public):
    base, _, _ = public
    start = time.monotonic()
    status, body = sql(base, "with recursive n(i) as (select 1 union all select i + 1 from n) "
                             "select count(*) from n")
    assert status == 400 and "too long" in json.loads(body)["error"]
    assert time.monotonic() - start < 5
