"""The extraction core against the demo network's ground truth (crawler/demo/truth.json)."""

import json

import pytest

from crawler.article import extract_article

demo = pytest.importorskip("crawler.demo")
if not demo.TRUTH_PATH.exists():
    pytest.skip("demo truth not built", allow_module_level=True)

TRUTH = [e for e in json.loads(demo.TRUTH_PATH.read_text(encoding="utf-8")) if e["kind"] != "disallowed"]
NETWORK = {s["id"]: s for s in json.loads((demo.SITES_DIR / "network.json").read_text(encoding="utf-8"))["sites"]}


def _page(entry):
    path = demo.SITES_DIR / entry["site"] / entry["path"].split("?")[0].lstrip("/")
    if entry["path"].endswith("/") or path.is_dir():
        path = path / "index.html"
    return path


def _sources():
    from crawler.demo.registry import demo_registry_toml
    from crawler.registry import parse_registry

    urls = {sid: f"http://127.0.0.{i + 1}:8000/" for i, sid in enumerate(NETWORK)}
    return {s.id: s for s in parse_registry(demo_registry_toml(urls))}


@pytest.mark.parametrize("entry", [e for e in TRUTH if "?" not in e["path"]], ids=lambda e: f"{e['site']}{e['path']}")
def test_demo_page(entry):
    path = _page(entry)
    if not path.exists():
        pytest.skip("page not built")
    r = extract_article(path.read_bytes(), f"http://demo/{entry['path'].lstrip('/')}", _sources().get(entry["site"]),
                        content_type=NETWORK[entry["site"]]["html_content_type"], fetched_at="2026-01-12T02:00:00+00:00")
    if entry["kind"] != "article":
        assert r is None
        return
    assert r is not None
    assert r["text"].split("\n") == entry["paragraphs"]
    assert r["title"] == entry["title"]
    want, got = entry["published"], r["published"]
    if entry.get("published_precision") == "day" and want and got:
        want, got = want[:10], got[:10]
    assert got == want
    assert r["author"] == entry["author"]
    assert r["captions"] == entry["captions"]
    assert r["origin"] == entry["origin"]
    for clutter in entry["clutter"]:
        assert clutter not in r["text"]
