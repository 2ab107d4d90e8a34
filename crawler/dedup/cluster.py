"""Exact and near-duplicate clusters of articles, built incrementally.

    c = Clusterer()                        # DedupParams(), Stoplist.default()
    cid = c.add("a1", text, published="2024-01-04T10:00:00+07:00", origin=None, source="baocantho")
    c.clusters()        -> {cluster_id: [article ids, canonical first]}
    c.cluster_of("a1")  -> cluster_id
    c.canonical_member(cluster_id) -> article id
    c.save(path) / Clusterer.load(path)     # or c.state() / Clusterer.from_state(state)
    Fingerprint.of(text).to_bytes()         # per-article signature for a DB column;
    c.add_fingerprint(id, Fingerprint.from_bytes(b), ...)   rebuild without re-shingling

How two articles become one cluster (an undirected "duplicate" edge; clusters are the
connected components, kept with union-find):

1. exact: equal `exact_key` (NFC, lower-cased, whitespace folded) → edge, no other check.
2. near: k-word shingles of the folded text (text.py), minus stop shingles (formula
   phrases + learnt high-document-frequency shingles). A MinHash signature
   (datasketch `MinHash`, `num_perm` affine32 permutations, seed fixed) goes into a
   datasketch `MinHashLSH` with explicit (bands, rows). For a new article the LSH
   candidates are filtered by the signature estimate of Jaccard (≥ `prefilter`), then
   VERIFIED on the real shingle sets A, B: an edge when
       J = |A∩B| / |A∪B| ≥ `jaccard`, or
       C = |A∩B| / min(|A|,|B|) ≥ `containment` and min(|A|,|B|)/max(|A|,|B|) ≥ `min_size_ratio`
   (C catches a copy with an added local paragraph and a rewritten lead, whose J falls
   because the union grows). Thresholds were calibrated on tests/corpus/dedup/pairs.json
   (python -m crawler.evaluate.dedup pairs --sweep).
   Texts with fewer than `min_words` tokens, or fewer than `min_shingles` shingles left
   after the stoplist (nothing but formula), are only matched exactly.

Cost per add: shingling + one LSH query (b dictionary look-ups) + a vectorised
signature comparison over the candidates + at most `max_verify` set intersections.
Candidates already in the new article's cluster are skipped, so a story republished
60 times costs one verification per copy, not 60.

Determinism: the edge rule is symmetric and uses only the two articles, the frozen
params and the frozen stoplist; LSH candidacy is symmetric (a band collision). So the
set of edges — and therefore the components — does not depend on insertion order
(`max_verify` is the only order-dependent bound; `stats["verify_capped"]` counts when it
binds, which it never did in the evaluations). Cluster id = the canonical member's id
(below), so the same input gives the same clusters and ids in any order.

Canonical member of a cluster (the original): the member with
  1. the earliest `published` (ISO 8601; compared as instants; date-only values are
     taken as 00:00 +07:00; unknown = last),
  2. on a tie, the credited outlet's own copy: rank 0 when the member has no origin
     (or an origin naming its own source) AND its source is an outlet that another
     member credits ("Theo TTXVN" elsewhere, and this copy's source is TTXVN); rank 1
     when it merely has no origin; rank 2 when it credits another outlet.
     `outlet_names(source) -> iterable of names` maps a source id to the names it is
     credited under (default: the source id itself; names compare folded, letters and
     digits only, so "ttxvn" == "TTXVN");
  3. then the smallest id (ints before strings, each in natural order).
"""

from __future__ import annotations

import pickle
import struct
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable, Hashable, Iterable

import numpy as np
from datasketch import MinHash, MinHashLSH
from datasketch.minhash import _fmix

from .text import Stoplist, exact_key, fold, shingle_hashes_of_tokens, tokens

VN = timezone(timedelta(hours=7))
STATE_VERSION = 1


@dataclass(frozen=True)
class DedupParams:
    shingle_words: int = 5
    num_perm: int = 32
    lsh_bands: int = 16           # bands × rows ≤ num_perm; P(candidate | J) = 1-(1-J^rows)^bands:
    lsh_rows: int = 2             # J=0.4 → 0.94, 0.5 → 0.99, 0.6 → 0.999, 0.74 (weakest labelled near copy) → 1.0
    prefilter: float = 0.12       # MinHash estimate of J below which a candidate is not verified
    jaccard: float = 0.6
    containment: float = 0.8
    min_size_ratio: float = 0.4
    min_words: int = 25
    min_shingles: int = 10        # fewer non-stop shingles than this → exact matching only
    max_verify: int = 200
    seed: int = 1


def _identity(x):
    return x


@dataclass
class Fingerprint:
    """What the clusterer needs of one text; storable as bytes (one DB column)."""
    exact: str                     # blake2b-128 hex of the normalised text
    shingles: np.ndarray           # sorted unique uint32, stop shingles removed
    signature: np.ndarray          # uint32[num_perm], empty when the text is too short
    n_words: int = 0

    _HEAD = struct.Struct("<16sIII")

    def to_bytes(self) -> bytes:
        return (self._HEAD.pack(bytes.fromhex(self.exact), self.n_words, len(self.shingles), len(self.signature))
                + self.shingles.astype("<u4").tobytes() + self.signature.astype("<u4").tobytes())

    @classmethod
    def from_bytes(cls, b: bytes) -> "Fingerprint":
        ex, nw, ns, np_ = cls._HEAD.unpack_from(b)
        o = cls._HEAD.size
        sh = np.frombuffer(b, dtype="<u4", count=ns, offset=o).astype(np.uint32)
        sig = np.frombuffer(b, dtype="<u4", count=np_, offset=o + 4 * ns).astype(np.uint32)
        return cls(ex.hex(), sh, sig, nw)


def _ts(published) -> float | None:
    if published is None or published == "":
        return None
    if isinstance(published, datetime):
        d = published
    else:
        try:
            d = datetime.fromisoformat(str(published).replace("Z", "+00:00"))
        except ValueError:
            return None
    if d.tzinfo is None:
        d = d.replace(tzinfo=VN)
    return d.timestamp()


def _id_key(x) -> tuple:
    return (0, x, "") if isinstance(x, int) and not isinstance(x, bool) else (1, 0, str(x))


def _name(s: str | None) -> str:
    return "".join(ch for ch in fold(s or "") if ch.isalnum())


class Clusterer:
    def __init__(self, params: DedupParams | None = None, stoplist: Stoplist | None = None,
                 outlet_names: Callable[[str], Iterable[str]] | None = None):
        self.params = params or DedupParams()
        p = self.params
        if p.lsh_bands * p.lsh_rows > p.num_perm:
            raise ValueError("lsh_bands * lsh_rows must be ≤ num_perm")
        self.stoplist = stoplist if stoplist is not None else Stoplist.default(p.shingle_words)
        if self.stoplist.k != p.shingle_words:
            raise ValueError("stoplist shingle size differs from params.shingle_words")
        self.outlet_names = outlet_names or (lambda s: [s] if s else [])
        self._template = MinHash(num_perm=p.num_perm, seed=p.seed, hashfunc=_identity)
        self._lsh = MinHashLSH(num_perm=p.num_perm, params=(p.lsh_bands, p.lsh_rows))
        self._probe = self._template.copy()
        self._ids: list = []
        self._pos: dict = {}
        self._published: list = []
        self._origin: list = []
        self._source: list = []
        self._url: list = []
        self._exact_key: list[str] = []
        self._shingles: list[np.ndarray] = []
        self._nwords: list[int] = []
        self._sig = np.zeros((1024, p.num_perm), dtype=np.uint32)
        self._has_sig: list[bool] = []
        self._exact: dict[str, int] = {}
        self._parent: list[int] = []
        self._members: dict[int, list[int]] = {}
        self.edges: list[tuple[int, int, str]] = []     # (pos, pos, "exact"|"near") accepted edges
        self.stats = {"added": 0, "exact": 0, "candidates": 0, "verified": 0, "near": 0, "verify_capped": 0}

    # ---------------------------------------------------------------- fingerprints
    def fingerprint(self, text: str) -> Fingerprint:
        p = self.params
        toks = tokens(text)
        key = exact_key(text)
        if len(toks) < p.min_words:
            return Fingerprint(key, np.zeros(0, np.uint32), np.zeros(0, np.uint32), len(toks))
        sh = shingle_hashes_of_tokens(toks, p.shingle_words)
        kept = self.stoplist.filter(sh)
        if len(kept) < p.min_shingles:              # nothing but formula: only an exact copy can match
            return Fingerprint(key, kept, np.zeros(0, np.uint32), len(toks))
        return Fingerprint(key, kept, self.signature(kept), len(toks))

    def signature(self, shingles: np.ndarray) -> np.ndarray:
        """MinHash signature of a shingle-hash set: exactly what datasketch's
        MinHash(num_perm, seed, hashfunc=identity).update_batch(shingles) computes for its
        default affine32 scheme (fmix32, then a*h+b mod 2^32, min per permutation), done in one
        numpy expression instead of a Python loop over the items (a test checks the equality)."""
        if not len(shingles):
            return self._template.hashvalues.copy()
        a, b = self._template.permutations
        hv = _fmix(shingles.astype(np.uint32).reshape(-1, 1), 32)
        return (hv * a + b).min(axis=0).astype(np.uint32)

    # ---------------------------------------------------------------- union-find
    def _find(self, i: int) -> int:
        parent = self._parent
        root = i
        while parent[root] != root:
            root = parent[root]
        while parent[i] != root:
            parent[i], i = root, parent[i]
        return root

    def _union(self, a: int, b: int, kind: str) -> None:
        ra, rb = self._find(a), self._find(b)
        self.edges.append((min(a, b), max(a, b), kind))
        if ra == rb:
            return
        if len(self._members[ra]) < len(self._members[rb]):
            ra, rb = rb, ra
        self._parent[rb] = ra
        self._members[ra].extend(self._members.pop(rb))

    # ---------------------------------------------------------------- adding
    def add(self, article_id: Hashable, text: str, published=None, origin: str | None = None,
            url: str | None = None, source: str | None = None) -> Hashable:
        """Add one article; returns the id of its cluster now (= its canonical member's id)."""
        return self.add_fingerprint(article_id, self.fingerprint(text), published=published,
                                    origin=origin, url=url, source=source)

    def add_fingerprint(self, article_id: Hashable, fp: Fingerprint, published=None,
                        origin: str | None = None, url: str | None = None, source: str | None = None) -> Hashable:
        if article_id in self._pos:
            raise ValueError(f"article {article_id!r} already added")
        p = self.params
        i = len(self._ids)
        self._ids.append(article_id)
        self._pos[article_id] = i
        self._published.append(_ts(published))
        self._origin.append(origin)
        self._source.append(source)
        self._url.append(url)
        self._exact_key.append(fp.exact)
        self._nwords.append(fp.n_words)
        self._parent.append(i)
        self._members[i] = [i]
        if i >= len(self._sig):
            self._sig = np.concatenate([self._sig, np.zeros_like(self._sig)])
        has = len(fp.signature) == p.num_perm
        self._has_sig.append(has)
        self.stats["added"] += 1

        first = self._exact.get(fp.exact)
        if first is not None:                      # exact copy: share the first copy's data
            self._shingles.append(self._shingles[first])
            self._sig[i] = self._sig[first]
            self._has_sig[i] = self._has_sig[first]
            self.stats["exact"] += 1
            self._union(first, i, "exact")
            return self.cluster_of(article_id)
        self._exact[fp.exact] = i
        self._shingles.append(fp.shingles)
        if has:
            self._sig[i] = fp.signature
            m = self._probe                       # the LSH reads only .hashvalues: one reusable MinHash
            m.hashvalues = fp.signature.astype(np.uint32)
            cands = self._lsh.query(m)
            if cands:
                self._check(i, cands)
            self._lsh.insert(i, m, check_duplication=False)
        return self.cluster_of(article_id)

    def _check(self, i: int, cands: list[int]) -> None:
        p = self.params
        self.stats["candidates"] += len(cands)
        c = np.fromiter(cands, dtype=np.int64, count=len(cands))
        est = (self._sig[c] == self._sig[i]).mean(axis=1)
        keep = est >= p.prefilter
        c, est = c[keep], est[keep]
        if not len(c):
            return
        order = np.lexsort((c, -est))               # best estimate first, then position
        if len(order) > p.max_verify:
            self.stats["verify_capped"] += 1
            order = order[: p.max_verify]
        a = self._shingles[i]
        for j in c[order].tolist():
            if self._find(j) == self._find(i):
                continue
            self.stats["verified"] += 1
            if self.is_duplicate(a, self._shingles[j]):
                self.stats["near"] += 1
                self._union(j, i, "near")

    def similarity(self, a: np.ndarray, b: np.ndarray) -> tuple[float, float, float]:
        """(Jaccard, containment in the smaller set, size ratio) of two shingle sets."""
        la, lb = len(a), len(b)
        if not la or not lb:
            return 0.0, 0.0, 0.0
        inter = len(np.intersect1d(a, b, assume_unique=True))
        return inter / (la + lb - inter), inter / min(la, lb), min(la, lb) / max(la, lb)

    def is_duplicate(self, a: np.ndarray, b: np.ndarray) -> bool:
        p = self.params
        j, c, r = self.similarity(a, b)
        return j >= p.jaccard or (c >= p.containment and r >= p.min_size_ratio)

    def compare(self, text_a: str, text_b: str) -> dict:
        """Diagnostics for two texts (not added): exact?, Jaccard, containment, size ratio, duplicate?"""
        fa, fb = self.fingerprint(text_a), self.fingerprint(text_b)
        if fa.exact == fb.exact:
            return {"exact": True, "jaccard": 1.0, "containment": 1.0, "ratio": 1.0, "duplicate": True}
        j, c, r = self.similarity(fa.shingles, fb.shingles)
        short = fa.n_words < self.params.min_words or fb.n_words < self.params.min_words
        return {"exact": False, "jaccard": j, "containment": c, "ratio": r,
                "duplicate": (not short) and self.is_duplicate(fa.shingles, fb.shingles)}

    # ---------------------------------------------------------------- reading
    def __len__(self):
        return len(self._ids)

    def __contains__(self, article_id):
        return article_id in self._pos

    def _rank(self, members: list[int]) -> list[int]:
        credited = {_name(self._origin[m]) for m in members if self._origin[m]}
        credited.discard("")

        def credit(m):
            names = {_name(n) for n in self.outlet_names(self._source[m])} - {""}
            own = not self._origin[m] or _name(self._origin[m]) in names
            if own and names & credited:
                return 0
            return 1 if own else 2

        def key(m):
            t = self._published[m]
            return (t is None, t if t is not None else 0.0, credit(m), _id_key(self._ids[m]))
        return sorted(members, key=key)

    def cluster_of(self, article_id) -> Hashable:
        root = self._find(self._pos[article_id])
        return self._ids[self._rank(self._members[root])[0]]

    def members(self, cluster_id) -> list:
        """Member ids of a cluster, canonical first then by rank."""
        root = self._find(self._pos[cluster_id])
        return [self._ids[m] for m in self._rank(self._members[root])]

    def canonical_member(self, cluster) -> Hashable:
        """Canonical member of the cluster that `cluster` (a cluster id, any member id,
        or an iterable of member ids) designates."""
        if isinstance(cluster, (list, tuple, set, frozenset)):
            return self._ids[self._rank([self._pos[x] for x in cluster])[0]]
        return self.cluster_of(cluster)

    def clusters(self, min_size: int = 1) -> dict:
        """{cluster_id: [member ids, canonical first]} for every cluster of ≥ min_size."""
        out = {}
        for root, ms in self._members.items():
            if len(ms) >= min_size:
                ranked = self._rank(ms)
                out[self._ids[ranked[0]]] = [self._ids[m] for m in ranked]
        return dict(sorted(out.items(), key=lambda kv: _id_key(kv[0])))

    def assignments(self) -> dict:
        """{article id: cluster id}."""
        return {a: cid for cid, ms in self.clusters().items() for a in ms}

    # ---------------------------------------------------------------- persistence
    def state(self) -> dict:
        """Plain data (lists, numpy arrays, bytes) from which `from_state` rebuilds the
        clusterer without re-shingling any text: params, stoplist fingerprint, per-article
        metadata and fingerprints, and the accepted edges."""
        n = len(self._ids)
        lens = np.array([len(s) for s in self._shingles], dtype=np.int64)
        return {
            "version": STATE_VERSION,
            "params": asdict(self.params),
            "stoplist": self.stoplist.fingerprint,
            "ids": list(self._ids),
            "published": list(self._published),
            "origin": list(self._origin),
            "source": list(self._source),
            "url": list(self._url),
            "exact": list(self._exact_key),
            "n_words": list(self._nwords),
            "has_sig": np.array(self._has_sig, dtype=bool),
            "signatures": self._sig[:n].copy(),
            "shingle_lens": lens,
            "shingles": np.concatenate(self._shingles) if n else np.zeros(0, np.uint32),
            "edges": list(self.edges),
        }

    @classmethod
    def from_state(cls, st: dict, stoplist: Stoplist | None = None,
                   outlet_names: Callable[[str], Iterable[str]] | None = None) -> "Clusterer":
        if st.get("version") != STATE_VERSION:
            raise ValueError("unsupported clusterer state version")
        params = DedupParams(**st["params"])
        c = cls(params, stoplist, outlet_names)
        if c.stoplist.fingerprint != st["stoplist"]:
            raise ValueError("stoplist changed since this state was saved: reprocess (re-add every text)")
        n = len(st["ids"])
        c._ids = list(st["ids"])
        c._pos = {a: i for i, a in enumerate(c._ids)}
        c._published, c._origin = list(st["published"]), list(st["origin"])
        c._source, c._url = list(st["source"]), list(st["url"])
        c._exact_key, c._nwords = list(st["exact"]), list(st["n_words"])
        c._has_sig = [bool(x) for x in st["has_sig"]]
        c._sig = np.zeros((max(1024, n), params.num_perm), dtype=np.uint32)
        c._sig[:n] = st["signatures"]
        offs = np.concatenate([[0], np.cumsum(st["shingle_lens"])])
        flat = st["shingles"]
        c._shingles = [flat[offs[i]:offs[i + 1]] for i in range(n)]
        c._parent = list(range(n))
        c._members = {i: [i] for i in range(n)}
        for i, key in enumerate(c._exact_key):
            if key not in c._exact:
                c._exact[key] = i
                if c._has_sig[i]:
                    c._probe.hashvalues = c._sig[i].copy()
                    c._lsh.insert(i, c._probe, check_duplication=False)
        for a, b, kind in st["edges"]:
            c._union(a, b, kind)
        c.stats["added"] = n
        return c

    def save(self, path: str | Path) -> None:
        Path(path).write_bytes(pickle.dumps(self.state(), protocol=5))

    @classmethod
    def load(cls, path: str | Path, stoplist: Stoplist | None = None, outlet_names=None) -> "Clusterer":
        return cls.from_state(pickle.loads(Path(path).read_bytes()), stoplist, outlet_names)
