"""python -m crawler.evaluate.figures on the labelled corpus."""

import json
import subprocess
import sys
from pathlib import Path

from crawler.evaluate import figures as ev

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus" / "figures"
METRICS = {"inspected", "inspected_signs_of_violation", "inspected_task_execution", "finance_inspected",
           "supervised", "supervised_thematic", "inspected_supervised", "found_violations", "must_discipline",
           "disciplined", "reprimanded", "warned", "dismissed", "expelled", "suspended", "removed_from_rolls",
           "denunciations", "complaints", "assets_verified", "inspection_teams", "inspections"}
SUBJECTS = {"party_organization", "party_member", "committee_member", "cadre", "case", "other"}


def test_corpus_shape():
    arts = ev.load_corpus(CORPUS)
    assert len(arts) >= 30
    assert sum(a["id"].startswith("seed-") for a in arts) == 5
    assert sum(not a["id"].startswith("seed-") for a in arts) >= 25
    for a in arts:
        assert {"id", "text", "report_year", "figures"} <= set(a)
        for f in a["figures"]:
            assert f["metric"] in METRICS and f["subject"] in SUBJECTS and isinstance(f["count"], int)
    seed0 = next(a for a in arts if a["id"].startswith("seed-000"))
    assert len(seed0["figures"]) == 8


def test_targets_met():
    res = ev.score(ev.load_corpus(CORPUS))
    t = res["total"]
    assert t["matched"] / t["predicted"] >= 0.97
    assert t["matched"] / t["expected"] >= 0.95
    assert t["verbatim"] == t["predicted"]


def test_scoring_is_multiset(tmp_path):
    art = {"id": "x", "report_year": 2023,
           "text": "Cấp ủy các cấp đã kiểm tra 5 đảng viên và 5 tổ chức đảng.",
           "figures": [{"metric": "inspected", "subject": "party_member", "count": 5},
                       {"metric": "inspected", "subject": "party_member", "count": 5}]}
    p = tmp_path / "c.json"
    p.write_text(json.dumps([art], ensure_ascii=False), encoding="utf-8")
    t = ev.score(ev.load_corpus(p))["total"]
    assert (t["matched"], t["predicted"], t["expected"]) == (1, 2, 2)


def test_cli_markdown(tmp_path):
    r = subprocess.run([sys.executable, "-m", "crawler.evaluate.figures", "--corpus", str(CORPUS), "--verbose"],
                       capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("| scope | articles | expected | predicted | matched | precision | recall | verbatim |")
    assert "| **all** |" in r.stdout and "| metric |" in r.stdout
