"""Score the report recogniser (crawler.report.recognise) on a labelled corpus.

    python -m crawler.evaluate.reports [--corpus PATH] [--verbose] [--json]

The corpus is JSONL (or a JSON list), one article per record:
    {id, title, text, published, source: {id, name, province, level},
     labels: {doc_type, is_relevant, report_year, event_date, level, province, province_current}}

Reported: relevance precision / recall (is_relevant), doc_type accuracy over all
articles, and report_year, event_date, level, province, province_current accuracy over
the articles labelled relevant. --verbose lists every failure.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from crawler.registry import Source
from crawler.report import recognise

DEFAULT_CORPUS = Path(__file__).resolve().parent.parent.parent / "tests" / "corpus" / "reports" / "reports.jsonl"
FIELDS = ("report_year", "event_date", "level", "province", "province_current")
TARGETS = {"relevance precision": 0.97, "relevance recall": 0.97, "doc_type accuracy": 0.90,
           "report_year": 0.95, "event_date": 0.95, "level": 0.95, "province": 0.95}


def load(path: Path) -> list[dict]:
    text = path.read_text(encoding="utf-8")
    if text.lstrip().startswith("["):
        return json.loads(text)
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def to_source(row: dict | None) -> Source | None:
    if not row:
        return None
    return Source(id=row.get("id") or "unknown", name=row.get("name") or "", home=row.get("home") or "https://example.invalid/",
                  province=row.get("province") or None, level=row.get("level") or None)


def evaluate(records: list[dict]) -> tuple[dict, list[str]]:
    tp = fp = fn = 0
    type_ok = 0
    field_ok = {f: 0 for f in FIELDS}
    n_rel = 0
    failures: list[str] = []
    for r in records:
        lab = r["labels"]
        got = recognise(r.get("title"), r.get("text") or "", r.get("published"), to_source(r.get("source")))
        if got["is_relevant"] and lab["is_relevant"]:
            tp += 1
        elif got["is_relevant"]:
            fp += 1
            failures.append(f"{r['id']}: false positive ({got['doc_type']}, cues {got['relevance_cues']})")
        elif lab["is_relevant"]:
            fn += 1
            failures.append(f"{r['id']}: missed ({got['doc_type']}, cues {got['relevance_cues']})")
        if got["doc_type"] == lab["doc_type"]:
            type_ok += 1
        else:
            failures.append(f"{r['id']}: doc_type {got['doc_type']} != {lab['doc_type']}")
        if lab["is_relevant"]:
            n_rel += 1
            for f in FIELDS:
                if got[f] == lab.get(f):
                    field_ok[f] += 1
                else:
                    failures.append(f"{r['id']}: {f} {got[f]!r} != {lab.get(f)!r}")
    n = len(records)
    m = {
        "articles": n,
        "relevant (labelled)": n_rel,
        "relevance precision": tp / (tp + fp) if tp + fp else 1.0,
        "relevance recall": tp / (tp + fn) if tp + fn else 1.0,
        "doc_type accuracy": type_ok / n if n else 0.0,
    }
    for f in FIELDS:
        m[f] = field_ok[f] / n_rel if n_rel else 0.0
    return m, failures


def table(m: dict) -> str:
    lines = ["| metric | value | target |", "|---|---|---|"]
    for k, v in m.items():
        if isinstance(v, float):
            t = TARGETS.get(k)
            mark = "" if t is None else (f"≥ {t:.2f} " + ("✓" if v >= t else "✗"))
            label = k if k.startswith(("relevance", "doc_type")) else f"{k} (relevant)"
            lines.append(f"| {label} | {v:.3f} | {mark} |")
        else:
            lines.append(f"| {k} | {v} | |")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m crawler.evaluate.reports", description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--verbose", action="store_true", help="list every failure")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args(argv)
    if not args.corpus.exists():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    m, failures = evaluate(load(args.corpus))
    print(json.dumps(m, indent=1) if args.json else table(m))
    if args.verbose:
        print(f"\n{len(failures)} failure(s)")
        for f in failures:
            print(f"- {f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
