"""Evaluate crawler.dedup: labelled pairs and scale.

    python -m crawler.evaluate.dedup pairs [--corpus DIR] [--verbose] [--sweep] [--no-stoplist]
    python -m crawler.evaluate.dedup scale [--sizes 10000 30000 100000] [--seed 7]
    python -m crawler.evaluate.dedup build-corpus [--out DIR]     # regenerates tests/corpus/dedup
    python -m crawler.evaluate.dedup stoplist --texts 'GLOB' | --sqlite archive.db [--out FILE]

pairs: every article of articles.json is added to one Clusterer (in file order); a pair
is predicted duplicate when both articles end in one cluster. Positives are the kinds
"exact" and "near"; "same_event" and "unrelated" are negatives. Precision/recall are
over pairs; the event check expects one event_id for exact/near/same_event pairs and
different (or missing) event_ids for unrelated pairs, with events assigned by
crawler.dedup.events.assign_events using the clusters. Exit 1 when precision < 0.99 or
recall < 0.95.

scale: synthetic articles (crawler.dedup.synth.ScaleCorpus: formula sentences + sentences
of real syllables, ~10% exact/near copies) are added one by one to a fresh Clusterer per
size; the stoplist is learnt from the first 5,000 texts of the stream and frozen.
Reports wall time of the adds (generation excluded), time per 10k adds, peak memory
as the growth of the process's peak RSS (VmHWM of /proc/self/status, i.e. the kernel's
RSS high-water mark; ru_maxrss is not used because Linux carries it over from the
parent process across exec) over the run —
the whole process, so it includes the clusterer, the LSH index and Python's overhead —
and pair recall/precision of the injected copies.
"""

from __future__ import annotations

import argparse
import glob
import itertools
import json
import random
import resource
import sys
import time
from pathlib import Path

from crawler.dedup.cluster import Clusterer, DedupParams
from crawler.dedup.events import assign_events
from crawler.dedup.synth import STYLES, Event, ScaleCorpus, mutate, write_account
from crawler.dedup.text import Stoplist, learn_stoplist

ROOT = Path(__file__).resolve().parent.parent.parent
DEFAULT_CORPUS = ROOT / "tests" / "corpus" / "dedup"
SEEDS = Path("/work/shared/seeds")
POSITIVE = {"exact", "near"}
KINDS = ("exact", "near", "same_event", "unrelated")


# ------------------------------------------------------------------ corpus
def load_corpus(path: Path = DEFAULT_CORPUS) -> tuple[list[dict], list[dict]]:
    arts = json.loads((path / "articles.json").read_text(encoding="utf-8"))
    pairs = json.loads((path / "pairs.json").read_text(encoding="utf-8"))
    return arts, pairs


def cluster_corpus(arts: list[dict], clusterer: Clusterer | None = None) -> Clusterer:
    c = clusterer if clusterer is not None else Clusterer()
    for a in arts:
        c.add(a["id"], a["text"], published=a.get("published"), origin=a.get("origin"),
              url=a.get("url"), source=a.get("source"))
    return c


def score_pairs(arts, pairs, clusterer: Clusterer | None = None, verbose=False, out=sys.stdout) -> dict:
    c = cluster_corpus(arts, clusterer)
    assigned = c.assignments()
    events = assign_events({a["id"]: a for a in arts}, c.clusters())
    by_id = {a["id"]: a for a in arts}
    tp = fp = fn = tn = 0
    ev_ok = ev_n = 0
    per_kind: dict = {k: [0, 0] for k in KINDS}
    for p in pairs:
        a, b, kind = p["a"], p["b"], p["kind"]
        pred = assigned[a] == assigned[b]
        gold = kind in POSITIVE
        tp += pred and gold
        fp += pred and not gold
        fn += (not pred) and gold
        tn += (not pred) and not gold
        per_kind[kind][0] += pred == gold
        per_kind[kind][1] += 1
        same_ev = events[a] is not None and events[a] == events[b]
        ev_gold = p.get("same_event", kind != "unrelated")
        if ev_gold is not None:
            ev_n += 1
            ev_ok += same_ev == ev_gold
        if verbose and (pred != gold or (ev_gold is not None and same_ev != ev_gold)):
            s = c.compare(by_id[a]["text"], by_id[b]["text"])
            print(f"  MISS {kind:10s} {a} ~ {b}: predicted dup={pred} same_event={same_ev} "
                  f"J={s['jaccard']:.3f} C={s['containment']:.3f} ratio={s['ratio']:.2f}", file=out)
    # all-pairs precision: every two articles of one predicted cluster must be one gold group
    # (gold groups = connected components of the exact/near pairs), labelled or not
    gold = {a["id"]: a["id"] for a in arts}

    def root(x):
        while gold[x] != x:
            x = gold[x]
        return x
    for p in pairs:
        if p["kind"] in POSITIVE:
            gold[root(p["a"])] = root(p["b"])
    pred_pairs = good = 0
    for ms in c.clusters().values():
        for x, y in itertools.combinations(ms, 2):
            pred_pairs += 1
            good += root(x) == root(y)
            if verbose and root(x) != root(y):
                print(f"  CROSS-MERGE {x} ~ {y}", file=out)
    n = len(pairs)
    res = {"pairs": n, "all_pairs_precision": good / pred_pairs if pred_pairs else 1.0, "predicted_pairs": pred_pairs, "tp": tp, "fp": fp, "fn": fn, "tn": tn,
           "precision": tp / (tp + fp) if tp + fp else 1.0, "recall": tp / (tp + fn) if tp + fn else 1.0,
           "event_accuracy": ev_ok / ev_n if ev_n else 1.0, "event_pairs": ev_n,
           "per_kind": {k: (v[0], v[1]) for k, v in per_kind.items()}}
    return res


def similarity_table(arts, pairs, clusterer: Clusterer) -> list[tuple]:
    by_id = {a["id"]: a for a in arts}
    rows = []
    for p in pairs:
        s = clusterer.compare(by_id[p["a"]]["text"], by_id[p["b"]]["text"])
        rows.append((p["kind"], p["a"], p["b"], s["jaccard"], s["containment"], s["ratio"]))
    return rows


def cmd_pairs(args) -> int:
    arts, pairs = load_corpus(Path(args.corpus))
    stop = Stoplist([], DedupParams().shingle_words) if args.no_stoplist else None
    counts = {k: sum(p["kind"] == k for p in pairs) for k in KINDS}
    res = score_pairs(arts, pairs, Clusterer(stoplist=stop), verbose=args.verbose)
    print(f"corpus: {len(arts)} articles, {res['pairs']} pairs " + ", ".join(f"{k}={v}" for k, v in counts.items()))
    print(f"stoplist: {'none' if args.no_stoplist else 'default'}  params: {DedupParams()}")
    print(f"precision {res['precision']:.3f}  recall {res['recall']:.3f}  "
          f"(tp {res['tp']} fp {res['fp']} fn {res['fn']} tn {res['tn']})  event accuracy {res['event_accuracy']:.3f} over {res['event_pairs']} pairs with a gold event")
    for k, (ok, n) in res["per_kind"].items():
        print(f"  {k:11s} correct {ok}/{n}")
    print(f"all-pairs precision {res['all_pairs_precision']:.3f} over the {res['predicted_pairs']} article pairs "
          f"that share a predicted cluster (labelled or not)")
    if args.sweep or args.verbose:
        rows = similarity_table(arts, pairs, Clusterer(stoplist=stop))
        print("similarity by kind (min / max of J and C over the pairs):")
        for k in KINDS:
            rs = [r for r in rows if r[0] == k]
            if rs:
                print(f"  {k:11s} J {min(r[3] for r in rs):.3f}–{max(r[3] for r in rs):.3f}   "
                      f"C {min(r[4] for r in rs):.3f}–{max(r[4] for r in rs):.3f}")
    if args.sweep:
        print("sweep (jaccard, containment) → precision recall:")
        for tj, tc in itertools.product([0.4, 0.5, 0.55, 0.6, 0.7, 0.75], [0.6, 0.7, 0.75, 0.8, 0.85, 0.9]):
            r = score_pairs(arts, pairs, Clusterer(DedupParams(jaccard=tj, containment=tc), stoplist=stop))
            print(f"  J≥{tj:.2f} C≥{tc:.2f}: P {r['precision']:.3f} R {r['recall']:.3f} "
                  f"all-pairs P {r['all_pairs_precision']:.3f} event acc {r['event_accuracy']:.3f}")
    return 0 if res["precision"] >= 0.99 and res["recall"] >= 0.95 and res["all_pairs_precision"] >= 0.99 else 1


# ------------------------------------------------------------------ scale
def _maxrss_mb() -> float:
    """Peak RSS of this process image in MB: VmHWM from /proc/self/status (reset by exec,
    unlike ru_maxrss, which Linux carries over from the parent across fork+exec);
    falls back to ru_maxrss elsewhere."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _seed_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))] if SEEDS.exists() else []


def scale_stoplist(seed: int = 7, learn_on: int = 5000) -> Stoplist:
    """formula.toml ∪ shingles learnt on `learn_on` texts of a separate synthetic stream."""
    corpus = ScaleCorpus(learn_on, seed=seed + 1, seed_texts=_seed_texts())
    learnt = learn_stoplist((d[1] for d in corpus), k=5, min_df=5, min_ratio=0.002)
    return Stoplist(Stoplist.default(5).shingles + learnt.shingles, 5)


def run_scale(n: int, seed: int = 7, stoplist_path: str | None = None) -> dict:
    """One size, in this process: stream the synthetic articles into a fresh Clusterer."""
    seed_texts = _seed_texts()
    t0 = time.perf_counter()
    if stoplist_path:
        stop = Stoplist(__import__("crawler.dedup.text", fromlist=["load_learnt"]).load_learnt(Path(stoplist_path), 5), 5)
    else:
        stop = scale_stoplist(seed)
    t_learn = time.perf_counter() - t0
    rss0 = _maxrss_mb()
    c = Clusterer(stoplist=stop)
    group_of: dict = {}
    gen = iter(ScaleCorpus(n, seed=seed, seed_texts=seed_texts))
    t_gen = t_add = 0.0
    marks = []
    for i in range(n):
        t = time.perf_counter()
        aid, text, pub, origin, g = next(gen)
        t2 = time.perf_counter()
        c.add(aid, text, published=pub, origin=origin)
        t_add += time.perf_counter() - t2
        t_gen += t2 - t
        group_of[aid] = g
        if (i + 1) % 10000 == 0:
            marks.append(t_add)
    peak = _maxrss_mb() - rss0
    truth: dict = {}
    for aid, g in group_of.items():
        truth.setdefault(g, []).append(aid)
    gold_pairs = sum(len(v) * (len(v) - 1) // 2 for v in truth.values())
    pred_pairs = tp = 0
    for ms in c.clusters().values():
        pred_pairs += len(ms) * (len(ms) - 1) // 2
        cnt: dict = {}
        for m in ms:
            cnt[group_of[m]] = cnt.get(group_of[m], 0) + 1
        tp += sum(v * (v - 1) // 2 for v in cnt.values())
    per10k = [b - a for a, b in zip([0.0] + marks, marks)]
    return {"n": n, "wall": t_add, "gen_s": t_gen, "per10k": per10k, "peak_mb": peak, "learn_s": t_learn,
            "stoplist": len(stop), "recall": tp / gold_pairs if gold_pairs else 1.0,
            "precision": tp / pred_pairs if pred_pairs else 1.0, "stats": dict(c.stats),
            "copies": sum(1 for a, g in group_of.items() if a != g), "rss0_mb": rss0}


def cmd_scale(args) -> int:
    """Each size runs in a fresh subprocess, so its peak RSS (VmHWM) starts from a clean process."""
    import subprocess
    print("| articles | copies | add wall s | s per 10k (first → last) | peak RSS growth MB | pair P | pair R | verified | capped |")
    print("|---:|---:|---:|---|---:|---:|---:|---:|---:|", flush=True)
    import tempfile
    t0 = time.perf_counter()
    stop = scale_stoplist(args.seed)
    t_learn = time.perf_counter() - t0
    tmp = Path(tempfile.mkdtemp()) / "stop.txt"
    stop.save(tmp)
    results = []
    for n in args.sizes:
        out = subprocess.run([sys.executable, "-m", "crawler.evaluate.dedup", "scale-one", str(n), "--seed", str(args.seed),
                              "--stoplist", str(tmp)],
                             capture_output=True, text=True, check=True, cwd=ROOT)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        results.append(r)
        p10 = r["per10k"]
        print(f"| {n} | {r['copies']} | {r['wall']:.1f} | {p10[0]:.2f} → {p10[-1]:.2f} | {r['peak_mb']:.0f} | "
              f"{r['precision']:.4f} | {r['recall']:.4f} | {r['stats']['verified']} | {r['stats']['verify_capped']} |",
              flush=True)
    if len(results) > 1:
        a, b = results[0], results[-1]
        print(f"\ntime ratio {b['n']}/{a['n']}: {b['wall'] / a['wall']:.2f} for a size ratio of {b['n'] / a['n']:.1f}; "
              f"per-10k time in the largest run, last slice / first slice: {b['per10k'][-1] / b['per10k'][0]:.2f}")
    print(f"stoplist: {len(stop)} shingles (formula.toml + learnt on 5,000 texts of a separate stream, seed+1), "
          f"frozen; learning took {t_learn:.1f} s, not in the add time. Child process RSS before the first add: "
          f"{results[-1]['rss0_mb']:.0f} MB.")
    print("add wall s = time inside Clusterer.add only (text generation excluded); memory = growth of the peak RSS "
          "(VmHWM, whole child process) from just before the first add to the end; texts streamed, not kept.")
    return 0


def cmd_scale_one(args) -> int:
    print(json.dumps(run_scale(args.n, seed=args.seed, stoplist_path=args.stoplist)))
    return 0


# ------------------------------------------------------------------ building the labelled corpus
_NATIONAL_SECOND_ACCOUNT = """\
Chiều 27/12, tại Hà Nội, Ban Bí thư Trung ương Đảng đã chủ trì hội nghị trực tuyến toàn quốc nhằm đánh giá một năm thực hiện nhiệm vụ kiểm tra, giám sát và bàn phương hướng cho năm 2024.
Chủ trì tại điểm cầu Trung ương là bà Trương Thị Mai, Thường trực Ban Bí thư, Trưởng Ban Tổ chức Trung ương, cùng ông Trần Cẩm Tú, Chủ nhiệm Ủy ban Kiểm tra Trung ương.
Báo cáo được trình bày tại hội nghị nêu rõ, trong năm 2023 các cấp ủy đã kiểm tra 57.486 tổ chức đảng và 323.979 đảng viên, đồng thời giám sát 42.979 tổ chức đảng cùng 147.197 đảng viên.
Ngành kiểm tra đã tham mưu để Bộ Chính trị, Ban Bí thư ban hành thêm nhiều văn bản mới, trong đó có những quy định về phối hợp giữa kiểm tra đảng với thanh tra, kiểm toán nhà nước.
Nhiều vụ việc nghiêm trọng, phức tạp được dư luận quan tâm đã được xem xét, kết luận rõ ràng và xử lý nghiêm, kể cả đối với cán bộ thuộc diện Trung ương quản lý.
Phát biểu kết luận, bà Trương Thị Mai yêu cầu trong năm 2024 ngành kiểm tra phải tập trung vào công tác chuẩn bị đại hội đảng bộ các cấp, giám sát chặt chẽ việc lựa chọn nhân sự, kịp thời phát hiện và ngăn chặn vi phạm ngay từ khi mới manh nha.
Bà cũng đề nghị tiếp tục kiện toàn tổ chức bộ máy, nâng cao bản lĩnh và sự liêm chính của đội ngũ làm công tác kiểm tra trên cả nước."""


def _clean_seed(text: str) -> str:
    keep = []
    for ln in text.splitlines():
        ln = " ".join(ln.split())
        if len(ln.split()) < 10 or "Ảnh" in ln or "|" in ln:
            continue
        keep.append(ln)
    return "\n".join(keep)


def build_corpus(out: Path, seed: int = 20240104) -> tuple[list[dict], list[dict]]:
    rng = random.Random(seed)
    arts: list[dict] = []
    pairs: list[dict] = []

    def art(aid, text, **kw):
        rec = {"id": aid, "text": text, "published": kw.get("published"), "origin": kw.get("origin"),
               "source": kw.get("source"), "url": kw.get("url"), "event_date": kw.get("event_date"),
               "level": kw.get("level"), "province": kw.get("province"), "organiser": kw.get("organiser"),
               "doc_type": kw.get("doc_type")}
        arts.append(rec)
        return rec

    def pair(a, b, kind, note=""):
        # gold for the event check: same event? (None when the original is not about a dated meeting)
        ev = False if kind == "unrelated" else (True if a.get("event_date") else None)
        pairs.append({"a": a["id"], "b": b["id"], "kind": kind, "same_event": ev, "note": note})

    seed_meta = {
        "000": dict(event_date="2023-12-27", level="trung-uong", province=None, doc_type="tong-ket-nam",
                    published="2023-12-28T15:20:00+07:00", source="haiduong"),
        "001": dict(event_date="2024-11-29", level="khoi", organiser="Đảng ủy Khối", doc_type="phien-thuong-ky",
                    published="2024-11-29T16:00:00+07:00", source="dangbokhoi"),
        "002": dict(event_date="2024-01-04", level="tinh", province="Cần Thơ", doc_type="tong-ket-nam",
                    published="2024-01-04T18:30:00+07:00", source="baotintuc", origin="TTXVN"),
        # the seed does not name its province: the organiser is a fixture label
        "003": dict(event_date="2025-12-26", level="tinh", organiser="Tỉnh ủy (seed 003)", doc_type="tong-ket-nam",
                    published="2025-12-26T20:00:00+07:00", source="baotayninh"),
        "004": dict(event_date=None, level="tinh", province="Quảng Ninh", doc_type="tong-ket-nam",
                    published="2023-12-30T09:28:00+07:00", source="baoquangninh"),
    }
    seeds = {}
    for p in sorted(SEEDS.glob("*.txt")):
        sid = p.name[:3]
        seeds[sid] = art(f"seed{sid}", _clean_seed(p.read_text(encoding="utf-8")), **seed_meta.get(sid, {}))

    # exact copies of the seeds (republished elsewhere; chrome removed → identical text)
    for sid, a in seeds.items():
        b = art(f"seed{sid}-copy", a["text"], **{**seed_meta[sid], "source": "republisher",
                                                   "published": "2026-01-01T08:00:00+07:00", "origin": "TTXVN"})
        pair(a, b, "exact", "seed republished verbatim")
    # near copies of the seeds
    combos = [["lead"], ["local"], ["drop"], ["ttxvn", "typo"], ["lead", "local", "drop"]]
    for n, (sid, a) in enumerate(seeds.items()):
        for j, kinds in enumerate([combos[n % 5], combos[(n + 2) % 5]]):
            meta = {**seed_meta[sid], "source": f"outlet{j}", "published": "2026-01-02T08:00:00+07:00"}
            if j == 1:
                meta.update(event_date=None, level=None, province=None, organiser=None)   # metadata lost: inherits
            prov = seed_meta[sid].get("province") or "Hải Dương"
            ev = Event("s", prov, 2023, 27, 12, chair="Lê Văn Hiệu", inspector="Vũ Hồng Hiên", guest="Trần Quốc Bình")
            b = art(f"seed{sid}-near{j}", mutate(a["text"], rng, kinds, ev), **meta)
            pair(a, b, "near", "+".join(kinds))
    # unrelated real reports: every pair of seeds
    for (s1, a), (s2, b) in itertools.combinations(seeds.items(), 2):
        pair(a, b, "unrelated", "two real reports")
    # the national conference told by a second outlet (hand-written)
    nat = art("national-wire", _NATIONAL_SECOND_ACCOUNT, event_date="2023-12-27", level="trung-uong",
              doc_type="tong-ket-nam", published="2023-12-27T19:00:00+07:00", source="wire")
    pair(seeds["000"], nat, "same_event", "hand-written second account")

    styles = sorted(STYLES)
    year = 2023
    provinces = rng.sample(__import__("crawler.dedup.synth", fromlist=["PROVINCES"]).PROVINCES, 36)
    for k in range(16):
        ev = Event.random(rng, f"ev{k}", province=provinces[k], year=year)
        meta = dict(event_date=ev.date, level="tinh", province=ev.province, doc_type="tong-ket-nam")
        s1, s2 = rng.sample(styles, 2)
        a = art(f"g{k:02d}-{s1}", write_account(ev, s1, rng), published=f"{ev.date}T17:00:00+07:00",
                source=f"{s1}-outlet", **meta)
        b = art(f"g{k:02d}-{s2}", write_account(ev, s2, rng), published=f"{ev.date}T18:00:00+07:00",
                source=f"{s2}-outlet", **meta)
        pair(a, b, "same_event", f"{s1} vs {s2} account")
        if k < 10:
            c = art(f"g{k:02d}-{s1}-copy", a["text"], published=f"{ev.date}T21:00:00+07:00", source="aggregator",
                    origin=s1.upper(), **meta)
            pair(a, c, "exact", "generated copy")
            kinds = rng.sample(["lead", "local", "drop", "ttxvn", "typo", "wrap"], rng.randint(1, 3))
            d = art(f"g{k:02d}-{s2}-near", mutate(b["text"], rng, kinds, ev), published=f"{ev.date}T22:00:00+07:00",
                    source="aggregator2", origin="TTXVN" if "ttxvn" in kinds else None,
                    **(meta if k % 2 else {}))
            pair(b, d, "near", "+".join(kinds))
    # unrelated generated: two provinces, same year, same style (same formula and templates)
    for k in range(12):
        style = styles[k % len(styles)]
        e1 = Event.random(rng, f"u{k}a", province=provinces[16 + k], year=year)
        e2 = Event.random(rng, f"u{k}b", province=provinces[28 + k % 8] if k >= 8 else provinces[28 + k], year=year)
        a = art(f"u{k:02d}-a", write_account(e1, style, rng), published=f"{e1.date}T17:00:00+07:00", source="p1",
                event_date=e1.date, level="tinh", province=e1.province, doc_type="tong-ket-nam")
        b = art(f"u{k:02d}-b", write_account(e2, style, rng), published=f"{e2.date}T17:00:00+07:00", source="p2",
                event_date=e2.date, level="tinh", province=e2.province, doc_type="tong-ket-nam")
        pair(a, b, "unrelated", f"two provinces, {style} style, {year}")
    out.mkdir(parents=True, exist_ok=True)
    (out / "articles.json").write_text(json.dumps(arts, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    (out / "pairs.json").write_text(json.dumps(pairs, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return arts, pairs


def cmd_build(args) -> int:
    arts, pairs = build_corpus(Path(args.out))
    counts = {k: sum(p["kind"] == k for p in pairs) for k in KINDS}
    print(f"wrote {len(arts)} articles, {len(pairs)} pairs to {args.out}: {counts}")
    return 0


def cmd_stoplist(args) -> int:
    if args.sqlite:
        import sqlite3
        con = sqlite3.connect(f"file:{args.sqlite}?mode=ro", uri=True)
        texts = [r[0] for r in con.execute("SELECT text FROM articles WHERE text IS NOT NULL")]
    else:
        texts = [Path(f).read_text(encoding="utf-8") for f in sorted(glob.glob(args.texts))]
    sl = learn_stoplist(texts, k=args.k, min_df=args.min_df, min_ratio=args.min_ratio)
    sl.save(Path(args.out), header=f"learnt from {len(texts)} texts; min_df={args.min_df} min_ratio={args.min_ratio}")
    print(f"{len(sl)} stop shingles from {len(texts)} texts → {args.out}")
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Evaluate crawler.dedup.")
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("pairs")
    p.add_argument("--corpus", default=str(DEFAULT_CORPUS))
    p.add_argument("--verbose", action="store_true")
    p.add_argument("--sweep", action="store_true")
    p.add_argument("--no-stoplist", action="store_true")
    s = sub.add_parser("scale")
    s.add_argument("--sizes", type=int, nargs="+", default=[10000, 30000, 100000])
    s.add_argument("--seed", type=int, default=7)
    so = sub.add_parser("scale-one")
    so.add_argument("n", type=int)
    so.add_argument("--seed", type=int, default=7)
    so.add_argument("--stoplist")
    b = sub.add_parser("build-corpus")
    b.add_argument("--out", default=str(DEFAULT_CORPUS))
    st = sub.add_parser("stoplist")
    st.add_argument("--texts")
    st.add_argument("--sqlite")
    st.add_argument("--out", default=str(ROOT / "crawler" / "dedup" / "stop_shingles.txt"))
    st.add_argument("--k", type=int, default=5)
    st.add_argument("--min-df", type=int, default=3)
    st.add_argument("--min-ratio", type=float, default=0.02)
    args = ap.parse_args(argv)
    return {"pairs": cmd_pairs, "scale": cmd_scale, "scale-one": cmd_scale_one, "build-corpus": cmd_build, "stoplist": cmd_stoplist}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
