"""`crawler serve`: a real Datasette on the crawled archive."""

import json
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pytest

from crawler.record import FIELD_NAMES

from .conftest import ROOT


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def datasette(crawled_db):
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "crawler.cli", "serve", "--db", str(crawled_db),
                                "--port", str(port)], cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/-/versions.json", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    else:
        process.terminate()
        pytest.fail("Datasette did not start")
    yield base
    process.terminate()
    process.wait(10)


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


def test_metadata_describes_every_record_field():
    metadata = json.loads((ROOT / "datasette_metadata.json").read_text(encoding="utf-8"))
    columns = metadata["databases"]["archive"]["tables"]["articles"]["columns"]
    assert set(FIELD_NAMES) <= set(columns)


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
