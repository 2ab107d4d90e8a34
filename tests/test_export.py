"""`crawler export` on a crawled archive: filters, formats, the record schema."""

import json

import jsonschema
import pytest

from crawler.record import FIELD_NAMES

from .conftest import run_cli, truth_articles, truth_url


def export(db, *args):
    result = run_cli("export", "--db", db, *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_query_returns_the_seed_reports_in_the_record_schema(crawled_db, network):
    records = json.loads(export(crawled_db, "--query", "kiểm tra"))
    assert records and all(list(r) == list(FIELD_NAMES) for r in records)
    urls = {r["url"] for r in records}
    seeds = [p for p in truth_articles() if p.get("seed")]
    assert len({p["seed"] for p in seeds}) == 5  # and the republished copy of one
    assert {truth_url(network, p) for p in seeds} <= urls
    for record in records:
        assert isinstance(record["captions"], list)
        assert record["word_count"] == len(record["text"].split())


def test_query_without_diacritics_finds_the_same(crawled_db):
    with_marks = {r["url"] for r in json.loads(export(crawled_db, "--query", "kiểm tra giám sát"))}
    without = {r["url"] for r in json.loads(export(crawled_db, "--query", "kiem tra giam sat"))}
    assert with_marks and with_marks == without


def test_jsonl_to_file(crawled_db, tmp_path):
    out = tmp_path / "all.jsonl"
    result = run_cli("export", "--db", crawled_db, "--format", "jsonl", "-o", out)
    assert result.returncode == 0 and result.stdout == ""
    lines = out.read_text(encoding="utf-8").splitlines()
    assert f"exported {len(lines)} articles" in result.stderr
    assert all(json.loads(line)["url"] for line in lines)


def test_filters(crawled_db):
    everything = json.loads(export(crawled_db))
    by_source = json.loads(export(crawled_db, "--source", "baoquangninh"))
    assert by_source and {r["source"] for r in by_source} == {"baoquangninh"}
    assert len(by_source) < len(everything)
    province = json.loads(export(crawled_db, "--province", "Quang Ninh"))
    assert {r["url"] for r in province} == {r["url"] for r in by_source}
    dated = [r for r in everything if r["published"]]
    first = min(r["published"][:10] for r in dated)
    since = json.loads(export(crawled_db, "--since", "2024-01-01"))
    assert all(r["published"][:10] >= "2024-01-01" for r in since)
    until = json.loads(export(crawled_db, "--until", "2023-12-31"))
    assert all(r["published"][:10] <= "2023-12-31" for r in until)
    assert len(since) + len(until) == len(dated) and first <= "2023-12-31"


def test_empty_result_is_an_empty_array(crawled_db):
    assert json.loads(export(crawled_db, "--query", "xyzzyquux")) == []


def test_report_filters_and_fields(crawled_db):
    relevant = json.loads(export(crawled_db, "--relevant-only"))
    assert len(relevant) == 6 and all(r["is_relevant"] is True for r in relevant)
    assert all(r["doc_type"] == "year_end_review" and r["relevance_cues"] for r in relevant)
    of_2023 = json.loads(export(crawled_db, "--relevant-only", "--year", "2023"))
    assert {r["province"] for r in of_2023} == {None, "Cần Thơ", "Quảng Ninh"}
    central = json.loads(export(crawled_db, "--relevant-only", "--level", "central"))
    assert [r["event_date"] for r in central] == ["2023-12-27"]
    bloc = json.loads(export(crawled_db, "--doc-type", "year_end_review", "--level", "bloc"))
    assert [(r["province"], r["province_current"]) for r in bloc] == [("Nam Định", "Ninh Bình")]


def test_province_filter_spans_the_2025_merger(crawled_db):
    # Nam Định is part of Ninh Bình since 1 July 2025: either name finds the report.
    old = {r["url"] for r in json.loads(export(crawled_db, "--relevant-only", "--province", "Nam Dinh"))}
    new = {r["url"] for r in json.loads(export(crawled_db, "--relevant-only", "--province", "Ninh Bình"))}
    assert old and old == new


def test_export_carries_figures_with_their_evidence(crawled_db):
    (report,) = json.loads(export(crawled_db, "--relevant-only", "--level", "central"))
    found = {(f["metric"], f["subject"], f["count"]) for f in report["figures"]}
    assert {("inspected", "party_organization", 57486), ("inspected", "party_member", 323979),
            ("supervised", "party_organization", 42979), ("supervised", "party_member", 147197)} <= found
    for figure in report["figures"]:
        assert report["text"][figure["start"]:figure["end"]] == figure["sentence"]


def test_republished_story_is_one_cluster_with_two_members(crawled_db, network):
    records = json.loads(export(crawled_db, "--query", "Cần Thơ nâng cao hiệu quả"))
    copies = [r for r in records if r["title"] == "Cần Thơ nâng cao hiệu quả công tác kiểm tra, giám sát của Đảng"]
    assert len(copies) == 2
    assert len({r["cluster_id"] for r in copies}) == 1 and len({r["event_id"] for r in copies}) == 1
    (canonical,) = [r for r in copies if r["is_canonical"]]
    assert canonical["source"] == "ttxvn"  # published first, by the credited outlet
    (copy,) = [r for r in copies if not r["is_canonical"]]
    assert copy["duplicates"] == [canonical["url"]] and canonical["duplicates"] == [copy["url"]]
    one_per_story = json.loads(export(crawled_db, "--canonical-only", "--relevant-only"))
    assert len(one_per_story) == 5 and len({r["cluster_id"] for r in one_per_story}) == 5


def test_fields_and_csv(crawled_db, tmp_path):
    import csv

    records = json.loads(export(crawled_db, "--relevant-only", "--fields", "url,title,report_year"))
    assert records and all(list(r) == ["url", "title", "report_year"] for r in records)
    out = tmp_path / "reports.csv"
    result = run_cli("export", "--db", crawled_db, "--relevant-only", "--format", "csv", "-o", out)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    assert len(rows) == 6 and list(rows[0]) == list(FIELD_NAMES)
    assert all(row["is_relevant"] == "true" for row in rows)
    figures = json.loads(next(r for r in rows if r["level"] == "central")["figures"])
    assert any((f["metric"], f["subject"], f["count"]) == ("inspected", "party_member", 323979) for f in figures)
    bad = run_cli("export", "--db", crawled_db, "--fields", "url,nope")
    assert bad.returncode == 1 and "--fields: unknown field 'nope'" in bad.stderr and "Traceback" not in bad.stderr


def test_every_exported_record_matches_the_published_schema(crawled_db):
    """`crawler export --schema` is the contract: every record of the demo
    archive validates against it, and so does a --fields selection."""
    result = run_cli("export", "--schema")
    assert result.returncode == 0, result.stderr
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    records = json.loads(run_cli("export", "--db", crawled_db).stdout)
    assert records and any(r["figures"] for r in records)
    validator = jsonschema.Draft202012Validator(schema)
    for record in records:
        errors = [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(record)]
        assert not errors, (record["url"], errors[:3])
    narrow = json.loads(run_cli("export", "--schema", "--fields", "url,report_year").stdout)
    assert list(narrow["properties"]) == ["url", "report_year"]
    for record in json.loads(run_cli("export", "--db", crawled_db, "--fields", "url,report_year").stdout):
        jsonschema.validate(record, narrow)
    # a record with a field it does not declare is refused
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**records[0], "extra": 1}, schema)
