"""Score crawler.figures.extract_figures on the labelled corpus (tests/corpus/figures).

    python -m crawler.evaluate.figures [--corpus PATH] [--verbose]

PATH is a JSON file or a directory of *.json files, each a list of
{id, text, report_year, figures: [{metric, subject, count}]}.

Per article, predicted and expected figures are compared as multisets of
(metric, subject, count); precision = matched / predicted, recall = matched / expected,
micro-averaged over the corpus. Every predicted figure must also satisfy
text[start:end] == sentence and carry exactly the documented keys ("verbatim").
Output is a Markdown table (overall, per metric, per file); --verbose adds the misses and
false positives of each article. Exit status 1 if verbatim < 100%.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

from crawler.figures import extract_figures

DEFAULT_CORPUS = Path(__file__).resolve().parent.parent.parent / "tests" / "corpus" / "figures"
KEYS = {"metric", "subject", "count", "qualifier", "actor", "period", "sentence", "start", "end"}


def load_corpus(path: Path) -> list[dict]:
    files = sorted(path.glob("*.json")) if path.is_dir() else [path]
    arts = []
    for f in files:
        for a in json.loads(f.read_text(encoding="utf-8")):
            a["_file"] = f.name
            arts.append(a)
    return arts


def _key(f: dict) -> tuple:
    return (f["metric"], f["subject"], int(f["count"]))


def score(arts: list[dict]) -> dict:
    tot = Counter()
    by_metric: dict[str, Counter] = defaultdict(Counter)
    by_file: dict[str, Counter] = defaultdict(Counter)
    details = []
    for a in arts:
        pred = extract_figures(a["text"], a.get("report_year"))
        ok = sum(1 for f in pred if set(f) == KEYS and a["text"][f["start"]:f["end"]] == f["sentence"]
                 and isinstance(f["count"], int))
        p, t = Counter(map(_key, pred)), Counter(map(_key, a["figures"]))
        m = p & t
        c = Counter(matched=sum(m.values()), predicted=sum(p.values()), expected=sum(t.values()),
                    verbatim=ok, articles=1)
        tot.update(c)
        by_file[a["_file"]].update(c)
        for k in set(p) | set(t):
            by_metric[k[0]].update(matched=m[k], predicted=p[k], expected=t[k])
        details.append((a["id"], sorted((p - t).elements()), sorted((t - p).elements())))
    return {"total": tot, "by_metric": by_metric, "by_file": by_file, "details": details}


def _pr(c: Counter) -> tuple[float, float]:
    prec = c["matched"] / c["predicted"] if c["predicted"] else 1.0
    rec = c["matched"] / c["expected"] if c["expected"] else 1.0
    return prec, rec


def render(res: dict, verbose: bool = False) -> str:
    t = res["total"]
    prec, rec = _pr(t)
    verb = t["verbatim"] / t["predicted"] if t["predicted"] else 1.0
    lines = ["| scope | articles | expected | predicted | matched | precision | recall | verbatim |",
             "|---|---:|---:|---:|---:|---:|---:|---:|",
             f"| **all** | {t['articles']} | {t['expected']} | {t['predicted']} | {t['matched']} "
             f"| {prec:.3f} | {rec:.3f} | {verb:.1%} |"]
    for name, c in sorted(res["by_file"].items()):
        p, r = _pr(c)
        v = c["verbatim"] / c["predicted"] if c["predicted"] else 1.0
        lines.append(f"| {name} | {c['articles']} | {c['expected']} | {c['predicted']} | {c['matched']} "
                     f"| {p:.3f} | {r:.3f} | {v:.1%} |")
    lines += ["", "| metric | expected | predicted | matched | precision | recall |",
              "|---|---:|---:|---:|---:|---:|"]
    for name, c in sorted(res["by_metric"].items()):
        p, r = _pr(c)
        lines.append(f"| {name} | {c['expected']} | {c['predicted']} | {c['matched']} | {p:.3f} | {r:.3f} |")
    if verbose:
        lines += ["", "| article | false positives | misses |", "|---|---|---|"]
        for aid, fp, fn in res["details"]:
            if fp or fn:
                fmt = lambda xs: "; ".join(f"{m} {s} {n}" for m, s, n in xs) or "—"
                lines.append(f"| {aid} | {fmt(fp)} | {fmt(fn)} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="JSON file or directory of JSON files")
    ap.add_argument("--verbose", action="store_true", help="list false positives and misses per article")
    args = ap.parse_args(argv)
    res = score(load_corpus(args.corpus))
    print(render(res, args.verbose))
    t = res["total"]
    return 0 if t["verbatim"] == t["predicted"] else 1


if __name__ == "__main__":
    sys.exit(main())
