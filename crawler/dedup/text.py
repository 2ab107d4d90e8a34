"""Text → exact hash and shingle set, the inputs of the Clusterer.

* exact key: NFC, lower-cased, every run of whitespace folded to one space, stripped;
  blake2b-128 of that (hex). Digits and punctuation are kept: "323 đảng viên" and
  "324 đảng viên" are different texts.
* tokens: lower-case → đ → d → NFD with the marks dropped (ASCII) → runs of \\w characters.
  Punctuation disappears, so "kiểm tra, giám sát" and "kiểm tra - giám sát" shingle alike,
  and so do both tone placements (hoà/hòa) and an unaccented copy.
* shingles: every run of `k` consecutive tokens across the whole text (paragraph breaks
  ignored, so a split or merged paragraph changes nothing), hashed to uint32 with a
  stable hash (per-token blake2b-64, combined with fixed odd multipliers and a
  murmur-style finaliser in numpy). Same text → same hashes in every process; the set
  is a sorted unique numpy uint32 array.
* stop shingles: the formulaic phrases every report repeats ("công tác kiểm tra, giám
  sát của Đảng", "cấp ủy, tổ chức đảng, UBKT các cấp") carry no evidence that two
  texts are copies. A `Stoplist` holds shingles that are (a) wholly inside a phrase
  listed in formula.toml, or (b) learnt from the archive: in at least
  `min_df` documents and at least `min_ratio` of them (`learn_stoplist`), i.e. an
  IDF cut-off — the shingles with the lowest IDF get weight 0. The stoplist is FROZEN
  while clustering (changing it changes every signature = a reprocess), which keeps
  clustering independent of insertion order.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Iterable

import numpy as np

FORMULA_PATH = Path(__file__).with_name("formula.toml")
LEARNT_PATH = Path(__file__).with_name("stop_shingles.txt")

_WORD = re.compile(r"\w+")
_M64 = np.uint64(0xFFFFFFFFFFFFFFFF)
# fixed odd multipliers, one per shingle position (k ≤ 16)
_MULT = np.array([(0x9E3779B97F4A7C15 * (2 * i + 1) + 0x632BE59BD9B4E019 * i) & 0xFFFFFFFFFFFFFFFF | 1
                  for i in range(16)], dtype=np.uint64)


def exact_key(text: str) -> str:
    norm = " ".join(unicodedata.normalize("NFC", text or "").lower().split())
    return hashlib.blake2b(norm.encode("utf-8"), digest_size=16).hexdigest()


def fold(text: str) -> str:
    """Lower-case, diacritics removed (đ → d), whole string at once. Characters that
    have no ASCII base letter (CJK, symbols) are dropped: the shingles are made of
    Latin-script words, which is what the archive's texts are."""
    low = (text or "").lower().replace("đ", "d")
    return unicodedata.normalize("NFD", low).encode("ascii", "ignore").decode("ascii")


def tokens(text: str) -> list[str]:
    """Folded word tokens (lower-case, no diacritics)."""
    return _WORD.findall(fold(text))


_word_cache: dict[str, int] = {}


def _mix(h: np.ndarray) -> np.ndarray:
    """murmur3 fmix64 on uint64 arrays (wrapping)."""
    h = h ^ (h >> np.uint64(33))
    h = h * np.uint64(0xFF51AFD7ED558CCD)
    h = h ^ (h >> np.uint64(33))
    h = h * np.uint64(0xC4CEB9FE1A85EC53)
    return h ^ (h >> np.uint64(33))


def shingle_hashes_of_tokens(toks: list[str], k: int) -> np.ndarray:
    """Sorted unique uint32 hashes of the k-token shingles (one shingle if fewer tokens)."""
    if not toks:
        return np.zeros(0, dtype=np.uint32)
    cache = _word_cache
    missing = set(toks).difference(cache)
    if missing:
        if len(cache) > 2_000_000:
            cache.clear()
            missing = set(toks)
        for t in missing:
            cache[t] = int.from_bytes(hashlib.blake2b(t.encode("utf-8"), digest_size=8).digest(), "little")
    w = np.fromiter(map(cache.__getitem__, toks), dtype=np.uint64, count=len(toks))
    kk = min(k, len(w))
    n = len(w) - kk + 1
    with np.errstate(over="ignore"):
        acc = np.zeros(n, dtype=np.uint64)
        for j in range(kk):
            acc = acc + w[j:j + n] * _MULT[j]
        acc = _mix(acc ^ np.uint64(kk))
    return np.unique((acc >> np.uint64(32)).astype(np.uint32))


def shingle_hashes(text: str, k: int = 5) -> np.ndarray:
    return shingle_hashes_of_tokens(tokens(text), k)


def shingle_strings(text: str, k: int = 5) -> list[str]:
    toks = tokens(text)
    if len(toks) < k:
        return [" ".join(toks)] if toks else []
    return [" ".join(toks[i:i + k]) for i in range(len(toks) - k + 1)]


class Stoplist:
    """A frozen set of stop-shingle hashes for one shingle size k."""

    def __init__(self, shingles: Iterable[str] = (), k: int = 5):
        self.k = k
        self.shingles = sorted({" ".join(s.split()) for s in shingles if len(s.split()) == k})
        self.hashes = np.unique(np.concatenate(
            [shingle_hashes(s, k) for s in self.shingles] or [np.zeros(0, dtype=np.uint32)])).astype(np.uint32)
        self.fingerprint = hashlib.blake2b("\n".join(self.shingles).encode(), digest_size=8).hexdigest()

    def __len__(self):
        return len(self.shingles)

    def filter(self, sh: np.ndarray) -> np.ndarray:
        if not len(self.hashes) or not len(sh):
            return sh
        return sh[~np.isin(sh, self.hashes, assume_unique=True)]

    @classmethod
    def from_phrases(cls, phrases: Iterable[str], k: int = 5) -> "Stoplist":
        """Every k-shingle wholly inside one of the phrases."""
        out = []
        for p in phrases:
            out += shingle_strings(p, k) if len(tokens(p)) >= k else []
        return cls(out, k)

    @classmethod
    def default(cls, k: int = 5) -> "Stoplist":
        """formula.toml phrases ∪ the learnt stop_shingles.txt (when its k matches)."""
        phrases = tomllib.loads(FORMULA_PATH.read_text(encoding="utf-8"))["phrases"]
        base = cls.from_phrases(phrases, k).shingles
        learnt = load_learnt(LEARNT_PATH, k)
        return cls(base + learnt, k)

    def save(self, path: Path, header: str = "") -> None:
        lines = [f"# k={self.k}"] + [f"# {h}" for h in header.splitlines() if h] + self.shingles
        Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")


def load_learnt(path: Path, k: int) -> list[str]:
    if not Path(path).exists():
        return []
    out, file_k = [], None
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.startswith("# k="):
            file_k = int(line[4:].split()[0])
        elif line and not line.startswith("#"):
            out.append(line)
    return out if file_k in (None, k) else []


def learn_stoplist(texts: Iterable[str], k: int = 5, min_df: int = 3, min_ratio: float = 0.02,
                   max_size: int = 50_000) -> Stoplist:
    """Shingles in ≥ min_df documents and ≥ min_ratio of all documents (an IDF cut-off).

    Exact duplicate texts are counted once, so a story republished 50 times does not
    make its own sentences "formulaic".
    """
    df: Counter = Counter()
    seen, n = set(), 0
    for t in texts:
        key = exact_key(t)
        if key in seen:
            continue
        seen.add(key)
        n += 1
        df.update(set(shingle_strings(t, k)))
    cut = max(min_df, min_ratio * n)
    common = [s for s, c in df.most_common() if c >= cut][:max_size]
    return Stoplist(common, k)
