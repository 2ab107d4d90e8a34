"""Score article extractors on the external article-extraction benchmark.

    python -m crawler.evaluate.external [--path DIR] [--json] [--verbose]

DIR holds html/<id>.html.gz and ground-truth.json (default:
/work/shared/benchmarks/article-extraction-benchmark). The metric is the upstream one
(see its README.md): \\w+ tokens, 4-token shingles as multisets, per page TP/FP/FN
divided by their sum; precision = mean page precision over pages with a prediction,
recall = mean page recall over pages with a reference, F1 = harmonic mean of the two;
accuracy = share of pages whose token sequence equals the reference's; ± = standard
deviation over 1000 bootstrap resamples.

Extractors: "ours" = crawler.article.extract_article(html_bytes, url)["text"] (None,
i.e. "not an article", counts as an empty prediction); "trafilatura" = bare
trafilatura.extract(html, include_comments=False). CPU time per page is
time.process_time() around each call, after one untimed warm-up pass.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

from . import metrics as M

DEFAULT_PATH = Path("/work/shared/benchmarks/article-extraction-benchmark")


def ours(html: bytes, url: str) -> tuple[str, bool]:
    from crawler.article import extract_article

    r = extract_article(html, url, None, fetched_at="2026-01-05T03:00:00+00:00")
    return ("", True) if r is None else (r.get("text") or "", False)


def bare_trafilatura(html: bytes, url: str) -> tuple[str, bool]:
    import trafilatura

    out = trafilatura.extract(html.decode("utf-8", errors="replace"), include_comments=False)
    return out or "", out is None


EXTRACTORS = {"ours": ours, "trafilatura": bare_trafilatura}


def load(path: Path) -> list[dict]:
    gt = json.loads((path / "ground-truth.json").read_text(encoding="utf-8"))
    items = []
    for key in sorted(gt):
        items.append({"id": key, "url": gt[key].get("url") or "", "truth": gt[key].get("articleBody") or "",
                      "html": gzip.decompress((path / "html" / f"{key}.html.gz").read_bytes())})
    return items


def evaluate(items: list[dict], name: str, warm: bool = True) -> dict:
    fn = EXTRACTORS[name]

    def call(it):
        try:
            return (*fn(it["html"], it["url"]), None)
        except Exception as e:  # a crash is an empty prediction
            return "", True, f"{type(e).__name__}: {e}"

    if warm:
        for it in items:
            call(it)
    pages, times, none, errors, exact, per_page = [], [], 0, 0, 0, []
    for it in items:
        t0 = time.process_time()
        text, empty, err = call(it)
        times.append(time.process_time() - t0)
        none += bool(empty and not err)
        errors += bool(err)
        tp_fp_fn = M.shingle_page(it["truth"], text)
        pages.append(tp_fp_fn)
        exact += M.tokens(text) == M.tokens(it["truth"])
        tp, fp, fn_ = tp_fp_fn
        per_page.append({"id": it["id"], "url": it["url"], "precision": tp / (tp + fp) if tp + fp else None,
                         "recall": tp / (tp + fn_) if tp + fn_ else None, "empty": empty, "error": err})
    summary = M.shingle_summary(pages)
    return {
        "extractor": name, "pages": len(items), "empty_predictions": none, "errors": errors,
        **summary, "accuracy": exact / len(items), "std": M.bootstrap_std(pages),
        "cpu_ms_median": M.median(times) * 1000, "cpu_ms_mean": sum(times) / len(times) * 1000,
        "per_page": per_page,
    }


def markdown(results: list[dict]) -> str:
    out = ["| extractor | F1 | precision | recall | accuracy | empty / crashed | CPU ms/page median / mean |",
           "|---|---|---|---|---|---|---|"]
    for r in results:
        s = r["std"]
        out.append(f"| {r['extractor']} | {r['f1']:.3f} ± {s['f1']:.3f} | {r['precision']:.3f} ± {s['precision']:.3f} "
                   f"| {r['recall']:.3f} ± {s['recall']:.3f} | {r['accuracy']:.3f} | {r['empty_predictions']} / {r['errors']} "
                   f"| {r['cpu_ms_median']:.1f} / {r['cpu_ms_mean']:.1f} |")
    return "\n".join(out)


def main(argv=None):
    ap = argparse.ArgumentParser(description="Score extractors on the external article-extraction benchmark.")
    ap.add_argument("--path", type=Path, default=DEFAULT_PATH)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--verbose", "-v", action="store_true", help="list the weakest pages of each extractor")
    ap.add_argument("--no-warm", action="store_true", help="skip the untimed warm-up pass")
    args = ap.parse_args(argv)

    items = load(args.path)
    results = [evaluate(items, n, warm=not args.no_warm) for n in ("ours", "trafilatura")]
    if args.json:
        if not args.verbose:
            for r in results:
                r.pop("per_page")
        json.dump(results, sys.stdout, ensure_ascii=False, indent=1)
        print()
        return
    print(f"Benchmark: {args.path} — {len(items)} pages\n")
    print(markdown(results))
    if args.verbose:
        for r in results:
            print(f"\n## {r['extractor']}: weakest pages")
            worst = sorted(r["per_page"], key=lambda p: min(p["precision"] or 0, p["recall"] or 0))[:15]
            for p in worst:
                pr = "-" if p["precision"] is None else f"{p['precision']:.2f}"
                rc = "-" if p["recall"] is None else f"{p['recall']:.2f}"
                flag = " (crashed: " + p["error"] + ")" if p["error"] else (" (empty)" if p["empty"] else "")
                print(f"- {p['id'][:12]} P={pr} R={rc}{flag} {p['url']}")


if __name__ == "__main__":
    main()
