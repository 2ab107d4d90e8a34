"""Score article extractors on the labelled Vietnamese corpus (tests/corpus/extraction).

    python -m crawler.evaluate.extraction [--corpus DIR] [--extractor ours|trafilatura|both]
                                          [--json] [--verbose]

Per extractor: body token F1 (tokens = \\w+, multiset precision/recall per page; F1
averaged over pages, and overall from summed counts), pages leaking any clutter string,
title / date / author accuracy, captions recall and CPU time per page (time.process_time,
after one untimed warm-up pass). "trafilatura" is bare
`trafilatura.bare_extraction(html, url=url, with_metadata=True)`; it has no captions.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

from . import metrics as M

DEFAULT_CORPUS = Path(__file__).resolve().parent.parent.parent / "tests" / "corpus" / "extraction"
FETCHED_AT = "2026-01-05T03:00:00+00:00"


# ---------------------------------------------------------------- extractors → common shape

def run_ours(html: bytes, url: str, analyse: bool = True) -> dict | None:
    from crawler.article import extract_article

    r = extract_article(html, url, None, fetched_at=FETCHED_AT, analyse=analyse)
    if r is None:
        return None
    return {"text": r.get("text") or "", "title": r.get("title"), "published": r.get("published"),
            "author": r.get("author"), "origin": r.get("origin"), "captions": r.get("captions") or []}


def run_trafilatura(html: bytes, url: str) -> dict | None:
    import trafilatura

    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True)
    if doc is None:
        return None
    get = (lambda k: doc.get(k)) if isinstance(doc, dict) else (lambda k: getattr(doc, k, None))
    return {"text": get("text") or "", "title": get("title"), "published": get("date"),
            "author": get("author"), "origin": None, "captions": []}


def run_page(html: bytes, url: str) -> dict | None:
    """Ours without report recognition and figures: the page-cleaning step alone."""
    return run_ours(html, url, analyse=False)


EXTRACTORS = {"ours": run_ours, "page": run_page, "trafilatura": run_trafilatura}


# ---------------------------------------------------------------- scoring

def load_corpus(corpus: Path) -> list[dict]:
    truth = json.loads((corpus / "truth.json").read_text(encoding="utf-8"))
    for t in truth:
        t["html"] = (corpus / t["file"]).read_bytes()
    return truth


def score_page(t: dict, pred: dict | None) -> dict:
    pred = pred or {}
    gold = "\n".join(t["paragraphs"])
    text = pred.get("text") or ""
    matched, predicted, expected = M.token_counts(gold, text)
    p, r, f = M.prf(matched, predicted, expected)
    return {
        "file": t["file"], "style": t["style"], "none": not pred,
        "matched": matched, "predicted": predicted, "expected": expected, "precision": p, "recall": r, "f1": f,
        "leaks": M.clutter_leaks(text, t["clutter"]),
        "title_ok": M.normalise(pred.get("title")) == M.normalise(t["title"]),
        "date_ok": M.date_correct(t["published"], t.get("published_precision"), pred.get("published")),
        "day_ok": M.same_day(t["published"], pred.get("published")),
        "author_ok": M.normalise(pred.get("author")) == M.normalise(t["author"]),
        "origin_ok": M.normalise(pred.get("origin")) == M.normalise(t["origin"]),
        "captions_truth": len(t["captions"]), "captions_found": M.captions_found(t["captions"], pred.get("captions")),
        "pred": {k: pred.get(k) for k in ("title", "published", "author", "origin", "captions")},
        "missing": sorted((M.Counter(M.tokens(gold)) - M.Counter(M.tokens(text))).elements())[:12],
        "extra_text": _extra_lines(gold, text),
    }


def _extra_lines(gold: str, text: str) -> list[str]:
    g = M.fold(gold)
    return [ln for ln in text.split("\n") if ln.strip() and M.fold(ln) not in g][:4]


def evaluate(truth: list[dict], name: str, warm: bool = True) -> dict:
    fn = EXTRACTORS[name]
    if warm:
        for t in truth:
            _safe(fn, t)
    pages, times = [], []
    for t in truth:
        t0 = time.process_time()
        pred, err = _safe(fn, t)
        times.append(time.process_time() - t0)
        s = score_page(t, pred)
        s["error"] = err
        pages.append(s)
    return summarise(name, pages, times)


def _safe(fn, t):
    try:
        return fn(t["html"], t["url"]), None
    except Exception as e:  # an extractor crash is a failed page, not a failed run
        return None, f"{type(e).__name__}: {e}"


def summarise(name: str, pages: list[dict], times: list[float]) -> dict:
    n = len(pages)
    m, pr, ex = (sum(p[k] for p in pages) for k in ("matched", "predicted", "expected"))
    by_style = defaultdict(list)
    for p in pages:
        by_style[p["style"]].append(p["f1"])
    caps_truth = sum(p["captions_truth"] for p in pages)
    return {
        "extractor": name,
        "pages": n,
        "none": sum(p["none"] for p in pages),
        "errors": sum(bool(p["error"]) for p in pages),
        "token_f1_mean": sum(p["f1"] for p in pages) / n,
        "token_precision_mean": sum(p["precision"] for p in pages) / n,
        "token_recall_mean": sum(p["recall"] for p in pages) / n,
        "token_f1_overall": M.prf(m, pr, ex)[2],
        "clutter_pages": sum(bool(p["leaks"]) for p in pages),
        "title_acc": sum(p["title_ok"] for p in pages) / n,
        "date_acc": sum(p["date_ok"] for p in pages) / n,
        "date_day_acc": sum(p["day_ok"] for p in pages) / n,
        "author_acc": sum(p["author_ok"] for p in pages) / n,
        "origin_acc": sum(p["origin_ok"] for p in pages) / n if name != "trafilatura" else None,
        "captions_recall": sum(p["captions_found"] for p in pages) / caps_truth if caps_truth else None,
        "cpu_ms_median": M.median(times) * 1000,
        "cpu_ms_mean": sum(times) / n * 1000,
        "f1_by_style": {k: sum(v) / len(v) for k, v in sorted(by_style.items())},
        "per_page": pages,
    }


# ---------------------------------------------------------------- report

ROWS = [
    ("Pages scored", lambda s: f"{s['pages']}"),
    ("Pages returned None / crashed", lambda s: f"{s['none']} / {s['errors']}"),
    ("Body token F1 (mean over pages)", lambda s: f"{s['token_f1_mean']:.3f}"),
    ("Body token precision / recall (mean)", lambda s: f"{s['token_precision_mean']:.3f} / {s['token_recall_mean']:.3f}"),
    ("Body token F1 (overall)", lambda s: f"{s['token_f1_overall']:.3f}"),
    ("Pages with clutter leaked", lambda s: f"{s['clutter_pages']} / {s['pages']}"),
    ("Title accuracy", lambda s: f"{s['title_acc']:.3f}"),
    ("Date accuracy (same instant; day if day-precision)", lambda s: f"{s['date_acc']:.3f}"),
    ("Date accuracy (same day, lenient)", lambda s: f"{s['date_day_acc']:.3f}"),
    ("Author accuracy", lambda s: f"{s['author_acc']:.3f}"),
    ("Origin accuracy", lambda s: "n/a" if s["origin_acc"] is None else f"{s['origin_acc']:.3f}"),
    ("Captions recall", lambda s: "n/a" if s["captions_recall"] is None else f"{s['captions_recall']:.3f}"),
    ("CPU ms/page median / mean", lambda s: f"{s['cpu_ms_median']:.1f} / {s['cpu_ms_mean']:.1f}"),
]


def markdown(results: list[dict]) -> str:
    names = [r["extractor"] for r in results]
    out = ["| metric | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    for label, f in ROWS:
        out.append(f"| {label} | " + " | ".join(f(r) for r in results) + " |")
    styles = list(results[0]["f1_by_style"])
    out += ["", "| style (token F1) | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    for st in styles:
        out.append(f"| {st} | " + " | ".join(f"{r['f1_by_style'][st]:.3f}" for r in results) + " |")
    return "\n".join(out)


def failures(result: dict) -> str:
    lines = [f"\n## {result['extractor']}: per-page failures"]
    for p in result["per_page"]:
        probs = []
        if p["error"]:
            probs.append(f"crashed: {p['error']}")
        elif p["none"]:
            probs.append("returned None")
        if p["f1"] < 0.99 and not p["none"]:
            probs.append(f"token P/R {p['precision']:.2f}/{p['recall']:.2f}")
            if p["missing"]:
                probs.append("missing tokens: " + " ".join(p["missing"]))
            for ln in p["extra_text"]:
                probs.append(f"extra line: {ln[:100]!r}")
        if p["leaks"]:
            probs.append("clutter: " + ", ".join(repr(x) for x in p["leaks"]))
        if not p["title_ok"]:
            probs.append(f"title: {p['pred']['title']!r}")
        if not p["date_ok"]:
            probs.append(f"date: {p['pred']['published']!r}")
        if not p["author_ok"]:
            probs.append(f"author: {p['pred']['author']!r}")
        if result["extractor"] != "trafilatura" and not p["origin_ok"]:
            probs.append(f"origin: {p['pred']['origin']!r}")
        if result["extractor"] != "trafilatura" and p["captions_found"] < p["captions_truth"]:
            probs.append(f"captions {p['captions_found']}/{p['captions_truth']}: {p['pred']['captions']!r}")
        if probs:
            lines.append(f"- {p['file']}: " + "; ".join(probs))
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(description="Score extractors on the labelled extraction corpus.")
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--extractor", choices=["ours", "page", "trafilatura", "both", "all"], default="both",
                    help="both: ours and trafilatura; all: also 'page' (ours without recognition and figures)")
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    ap.add_argument("--verbose", "-v", action="store_true", help="list per-page failures")
    ap.add_argument("--no-warm", action="store_true", help="skip the untimed warm-up pass")
    args = ap.parse_args(argv)

    truth = load_corpus(args.corpus)
    names = {"both": ["ours", "trafilatura"], "all": ["ours", "page", "trafilatura"]}.get(args.extractor, [args.extractor])
    results = [evaluate(truth, n, warm=not args.no_warm) for n in names]
    if args.json:
        if not args.verbose:
            for r in results:
                r.pop("per_page")
        json.dump(results, sys.stdout, ensure_ascii=False, indent=1)
        print()
        return
    styles = sorted({t["style"] for t in truth})
    print(f"Corpus: {args.corpus} — {len(truth)} pages, {len(styles)} styles\n")
    print(markdown(results))
    if args.verbose:
        for r in results:
            print(failures(r))


if __name__ == "__main__":
    main()
