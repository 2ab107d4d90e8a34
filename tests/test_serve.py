"""`crawler serve`: a real Datasette on the crawled archive."""

import asyncio
import contextlib
import json
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import markupsafe
import pytest

from crawler.record import FIELD_NAMES

from .conftest import ROOT


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_serve(db_path, *options):
    """The real `crawler serve` on a free loopback port: yields (base URL,
    process) once Datasette answers, and stops it afterwards."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "crawler.cli", "serve", "--db", str(db_path),
                                "--port", str(port), *options], cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=1)
                break
            except OSError:
                if process.poll() is not None:
                    pytest.fail(f"crawler serve exited with {process.returncode}")
                time.sleep(0.2)
        else:
            pytest.fail("Datasette did not start")
        yield base, process
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture(scope="module")
def datasette(crawled_db):
    with running_serve(crawled_db) as (base, _):
        yield base


def get_json(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


def test_search_finds_the_reports(datasette):
    q = urllib.parse.quote("kiem tra giam sat")
    rows = get_json(f"{datasette}/archive/articles.json?_search={q}&_shape=array")
    assert len(rows) >= 5
    assert all("kiểm tra" in (r["text"] + r["title"]).lower() for r in rows)


def test_metadata_is_applied(datasette):
    metadata = get_json(f"{datasette}/-/metadata.json")
    assert metadata["databases"]["archive"]["tables"]["articles"]["columns"]["title"]
    page = urllib.request.urlopen(f"{datasette}/archive/articles", timeout=10).read().decode()
    assert "headline" in page  # a column description is shown


def test_table_pages_cut_the_text_and_the_api_does_not(datasette):
    rows = get_json(f"{datasette}/archive/articles.json?_shape=array&_col=text&_size=50")
    longest = max((r["text"] for r in rows), key=len)
    assert len(longest) > 1000
    page = urllib.request.urlopen(f"{datasette}/archive/articles?_size=50", timeout=10).read().decode()
    start, end = (str(markupsafe.escape(part)) for part in (longest[:200], longest[-200:]))
    assert start in page and end not in page


def test_metadata_describes_every_record_field():
    metadata = json.loads((ROOT / "datasette_metadata.json").read_text(encoding="utf-8"))
    columns = metadata["databases"]["archive"]["tables"]["articles"]["columns"]
    assert set(FIELD_NAMES) <= set(columns)


def test_metadata_describes_every_table_and_column_a_researcher_sees(crawled_db):
    import sqlite_utils

    metadata = json.loads((ROOT / "datasette_metadata.json").read_text(encoding="utf-8"))
    tables = metadata["databases"]["archive"]["tables"]
    db = sqlite_utils.Database(crawled_db)
    visible = [t for t in db.table_names() if not t.startswith("articles_fts") and not tables.get(t, {}).get("hidden")]
    assert visible
    for table in visible:
        assert tables.get(table, {}).get("description") or tables.get(table, {}).get("description_html"), table
        missing = set(db[table].columns_dict) - set(tables[table].get("columns", {}))
        assert not missing, (table, missing)


def test_sql_writes_are_refused(datasette):
    q = urllib.parse.quote("delete from articles")
    try:
        urllib.request.urlopen(f"{datasette}/archive.json?sql={q}", timeout=10)
        status = 200
    except urllib.error.HTTPError as exc:
        status = exc.code
    assert status == 400
    rows = get_json(f"{datasette}/archive/articles.json?_shape=array")
    assert rows


def canned(datasette, name, **params):
    query = urllib.parse.urlencode({**params, "_shape": "array"})
    return get_json(f"{datasette}/archive/{name}.json?{query}")


def test_metric_by_province_counts_each_story_once(datasette):
    rows = canned(datasette, "metric_by_province", metric="disciplined", subject="party_member", year="2023")
    totals = {r["province_current"]: r["total"] for r in rows}
    # Quảng Ninh: cấp ủy các cấp 323 + UBKT các cấp 76; Cần Thơ: 145, reported by two
    # portals (the TTXVN original and its republication) but counted once.
    assert totals == {"Quảng Ninh": 399, "Cần Thơ": 145}
    assert {r["province_current"]: r["articles"] for r in rows}["Cần Thơ"] == 1  # the canonical copy only


def test_province_series_and_reports_of_year(datasette):
    series = canned(datasette, "province_series", metric="disciplined", subject="party_member", province="Quảng Ninh")
    assert [(r["report_year"], r["total"]) for r in series] == [(2023, 399)]
    reports = canned(datasette, "reports_of_year", year="2023")
    assert len(reports) == 4 and {r["level"] for r in reports} == {"central", "provincial"}  # Cần Thơ twice
    history = canned(datasette, "province_reports", province="Ninh Bình")
    assert [r["province"] for r in history] == ["Nam Định"]


def test_figures_table_and_dashboard(datasette):
    facets = get_json(f"{datasette}/archive/figures.json?_facet=metric&_size=0")
    metrics = {item["value"] for item in facets["facet_results"]["metric"]["results"]}
    assert {"inspected", "supervised", "disciplined"} <= metrics
    page = urllib.request.urlopen(f"{datasette}/-/dashboards/inspection?year=2023", timeout=10).read().decode()
    assert "Inspection and discipline by province" in page and "disciplined-by-province" in page


def test_clusters_and_events_are_listed(datasette):
    clusters = get_json(f"{datasette}/archive/duplicate_clusters.json?_shape=array")
    assert [(c["copies"], c["sources"].count(",")) for c in clusters] == [(2, 1)]
    events = get_json(f"{datasette}/archive/events.json?_shape=array")
    cantho = [e for e in events if e["province"] == "Cần Thơ"]
    assert cantho and cantho[0]["articles"] == 2 and cantho[0]["stories"] == 1


def test_sources_page(datasette):
    rows = {r["id"]: r for r in get_json(f"{datasette}/archive/sources_status.json?_shape=array")}
    assert set(rows) == {"haiduong", "tinhuy", "ttxvn", "baoquangninh", "dukhoi"}
    for row in rows.values():
        assert row["last_successful_fetch"] and row["pages"] > row["articles"] > 0 and row["errors"] == 0
    assert rows["tinhuy"]["reports"] == 2  # its own review and the republished Cần Thơ report


def test_article_page_reads_like_an_article(datasette):
    import html

    rows = get_json(f"{datasette}/archive/articles.json?_shape=array&is_relevant=1&level=central")
    url = rows[0]["url"]
    page = urllib.request.urlopen(f"{datasette}/archive/articles/{urllib.parse.quote(url, safe='')}",
                                  timeout=10).read().decode()
    assert "<h1>Hội nghị toàn quốc tổng kết công tác kiểm tra, giám sát năm 2023</h1>" in page
    assert "<p>Ngày 27/12, Ban Bí thư Trung ương Đảng tổ chức" in page
    assert "323,979" in page and "Figures" in page and "original page" in page
    assert "year end review" in page and "decided by" in page


def test_extracted_text_is_escaped(tmp_path):
    from crawler.archive import Archive

    db_path = tmp_path / "archive.db"
    archive = Archive.create(db_path)
    archive.db["sources"].insert({"id": "x", "name": "X", "home": "http://127.0.0.1/"})
    record = {name: None for name in FIELD_NAMES}
    record.update(url="http://127.0.0.1/a", canonical_url="http://127.0.0.1/a", source="x", title="<b>t</b>",
                  text="<script>alert(1)</script>", captions=[], word_count=1, fetched_at="2024-01-01T00:00:00+00:00",
                  figures=[], relevance_cues=[], duplicates=[])
    with archive.transaction():
        archive.save_article(record, None)
    archive.close()
    with running_serve(db_path) as (base, _):
        page = urllib.request.urlopen(f"{base}/archive/articles/{urllib.parse.quote('http://127.0.0.1/a', safe='')}",
                                      timeout=10).read().decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>t</b>" not in page


def test_search_canned_query_with_snippets(datasette):
    empty = dict(year="", province="", relevant_only="", before="")
    rows = canned(datasette, "search_reports", q="dang uy khoi", **empty)
    assert rows and any("Đảng ủy Khối" in r["title"] for r in rows)
    # typed without diacritics, marked in the text as written
    assert any("«Đảng» «ủy» «Khối»" in r["passage"] for r in rows)
    marked = canned(datasette, "search_reports", q="khen thưởng", **empty)
    assert "«khen» «thưởng»" in marked[0]["passage"]
    filters = {**empty, "year": "2023", "relevant_only": "1"}
    for province in ("Quảng Ninh", "quang ninh"):
        filtered = canned(datasette, "search_reports", q="kiem tra", **{**filters, "province": province})
        assert [r["province_current"] for r in filtered] == ["Quảng Ninh"]


def test_search_canned_query_is_newest_first_and_pages(datasette):
    empty = dict(year="", province="", relevant_only="", before="")
    rows = canned(datasette, "search_reports", q="kiem tra", **empty)
    assert len(rows) >= 5
    assert [r["doc_id"] for r in rows] == sorted((r["doc_id"] for r in rows), reverse=True)
    dated = [r["published"] for r in rows if r["published"]]
    assert dated == sorted(dated, reverse=True)
    older = canned(datasette, "search_reports", q="kiem tra", **{**empty, "before": str(rows[2]["doc_id"])})
    assert [r["url"] for r in older] == [r["url"] for r in rows[3:]]


def test_best_matches_rank_the_title_above_the_body(datasette):
    rows = canned(datasette, "search_ranked", q="Hai Duong", year="", province="", relevant_only="")
    assert len(rows) > 2
    assert "Hải Dương" in rows[0]["title"]
    assert not any("Hải Dương" in (r["title"] or "") for r in rows[1:])


def test_dashboard_chart_query_keeps_its_defaults(crawled_db):
    """datasette-dashboards drops the clause of a filter missing from the URL; the
    chart must then fall back to party members disciplined, not add up every metric."""
    import sqlite3

    from datasette_dashboards import replace_opts_in_query

    metadata = json.loads((ROOT / "datasette_metadata.json").read_text(encoding="utf-8"))
    chart = metadata["plugins"]["datasette-dashboards"]["inspection"]["charts"]["disciplined-by-province"]
    db = sqlite3.connect(crawled_db)

    def totals(**options):
        return dict(db.execute(replace_opts_in_query(chart["query"], options), options).fetchall())

    expected = {"Quảng Ninh": 399, "Cần Thơ": 145}
    assert totals(year="2023") == expected
    assert totals(year="2023", metric="disciplined", subject="party_member") == expected
    assert totals(year="2023", metric="supervised", subject="party_organization") == {"Cần Thơ": 7000}


def test_stopping_serve_stops_datasette(crawled_db):
    import signal

    with running_serve(crawled_db) as (base, process):
        process.send_signal(signal.SIGTERM)
        process.wait(15)
        time.sleep(0.5)
        try:
            urllib.request.urlopen(f"{base}/-/versions.json", timeout=1)
            still_up = True
        except OSError:
            still_up = False
    assert not still_up, "Datasette kept running after `crawler serve` was stopped"


def datasette_get(paths, *, files, metadata=None):
    """GET each path from an in-process Datasette with the environment's
    plugins, as a plain `datasette FILE` has them (no --plugins-dir)."""
    from datasette.app import Datasette

    ds = Datasette([str(f) for f in files], metadata=metadata)

    async def fetch():
        await ds.invoke_startup()
        return [await ds.client.get(path) for path in paths]

    return asyncio.run(fetch())


def test_plugins_load_in_a_plain_datasette(archive_copy):
    search, fold = datasette_get(["/archive/articles.json?_search=kiem+tra&_shape=array",
                                  "/archive.json?sql=select+fold('Quảng+Ninh')+as+f&_shape=array"],
                                 files=[archive_copy])
    assert len(search.json()) >= 5
    assert fold.json() == [{"f": "quang ninh"}]


def test_plugins_leave_other_databases_alone(tmp_path):
    """The entry point loads the plugins into every Datasette: on a database
    that is not an archive, Datasette's own search must be untouched. Its FTS
    index holds "Đảng" as "đang"; the archive's folding would ask for "dang"."""
    import sqlite_utils

    plain = tmp_path / "plain.db"
    db = sqlite_utils.Database(plain)
    db["docs"].insert({"id": 1, "body": "Đảng ủy khối"}, pk="id")
    db["docs"].enable_fts(["body"])
    db.close()
    search, fold = datasette_get([f"/plain/docs.json?_search={urllib.parse.quote('Đảng')}&_shape=array",
                                  "/plain.json?sql=select+fold('x')"], files=[plain])
    assert [row["id"] for row in search.json()] == [1]
    assert fold.status_code == 400 and "no such function" in fold.json()["error"]


def test_errors_by_source_and_stage(archive_copy):
    from crawler.publish.serve import metadata_for

    db = sqlite3.connect(archive_copy)
    if "stage" not in {row[1] for row in db.execute("pragma table_info(crawl_errors)")}:
        db.execute("alter table crawl_errors add column stage text")  # until the archive migration adds it
    errors = [("haiduong", "fetch", "connection refused"), ("haiduong", "extract", "no text"),
              ("haiduong", "fetch", "timeout"), ("ttxvn", "decode", "binary data, not HTML"),
              ("haiduong", "fetch", "HTTP 503")]
    with db:
        db.executemany("insert into crawl_errors (run_id, source, url, stage, error, at) "
                       "values (1, ?, 'http://127.0.0.1/x', ?, ?, '2024-01-01T00:00:00+00:00')", errors)
    db.close()
    query, page, rows, table = datasette_get([
        "/archive/errors_by_source.json?_shape=array", "/archive/errors_by_source",
        "/archive/crawl_errors.json?source=haiduong&stage=fetch&_sort_desc=id&_shape=array",
        "/archive/crawl_errors.json?_size=0",
    ], files=[archive_copy], metadata=metadata_for(archive_copy))
    assert [(r["source"], r["stage"], r["errors"], r["latest_error"]) for r in query.json()] == [
        ("haiduong", "fetch", 3, "HTTP 503"), ("haiduong", "extract", 1, "no text"),
        ("ttxvn", "decode", 1, "binary data, not HTML")]
    # each count links to its rows, relative to the database page
    assert 'href="crawl_errors?source=haiduong&amp;stage=fetch&amp;_sort_desc=id"' in page.text
    assert [r["error"] for r in rows.json()] == ["HTTP 503", "timeout", "connection refused"]
    assert {"source", "stage"} <= set(table.json()["facet_results"])


def test_a_port_in_use_is_one_line_naming_it(crawled_db):
    from click.testing import CliRunner

    from crawler.cli import cli
    from crawler.publish.serve import PortUnavailable, ensure_port_free

    ensure_port_free("127.0.0.1", free_port())
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        message = f"port {port} on 127.0.0.1 is in use (choose another with --port)"
        with pytest.raises(PortUnavailable, match=re.escape(message)):
            ensure_port_free("127.0.0.1", port)
        result = CliRunner().invoke(cli, ["serve", "--db", str(crawled_db), "--port", str(port)])
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {message}"
