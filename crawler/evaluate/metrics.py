"""Metric functions shared by the extraction scorers (pure, no I/O)."""

from __future__ import annotations

import random
import re
import unicodedata
from collections import Counter
from datetime import datetime, timedelta, timezone
from statistics import mean

WORD = re.compile(r"\w+")
VN = timezone(timedelta(hours=7))


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "")


def tokens(text: str | None) -> list[str]:
    """Runs of Unicode word characters (regex \\w+), case kept, over NFC text."""
    return WORD.findall(nfc(text or ""))


def normalise(text: str | None) -> str:
    """NFC, whitespace collapsed and stripped (for exact comparisons of titles, authors)."""
    return re.sub(r"\s+", " ", nfc(text or "")).strip()


def fold(text: str | None) -> str:
    """normalise() + casefold (for clutter and caption matching)."""
    return normalise(text).casefold()


# ---------------------------------------------------------------- token F1 (own corpus)

def token_counts(truth: str, pred: str) -> tuple[int, int, int]:
    """(matched, predicted, expected) token counts, multiset intersection."""
    t, p = Counter(tokens(truth)), Counter(tokens(pred))
    return sum((t & p).values()), sum(p.values()), sum(t.values())


def prf(matched: int, predicted: int, expected: int) -> tuple[float, float, float]:
    """Precision, recall, F1 from counts. Nothing expected and nothing predicted is a perfect score;
    nothing predicted (or nothing expected) otherwise scores 0."""
    if predicted == 0 and expected == 0:
        return 1.0, 1.0, 1.0
    p = matched / predicted if predicted else 0.0
    r = matched / expected if expected else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def token_prf(truth: str, pred: str) -> tuple[float, float, float]:
    return prf(*token_counts(truth, pred))


# ---------------------------------------------------------------- clutter, captions

def clutter_leaks(text: str | None, clutter: list[str]) -> list[str]:
    """The clutter strings found in `text` (case-insensitive, NFC, whitespace-collapsed)."""
    hay = fold(text)
    return [c for c in clutter if fold(c) and fold(c) in hay]


def _caption_key(s: str) -> str:
    return fold(s).strip(" .,;:-–—()[]")


def captions_found(truth: list[str], pred: list[str] | None) -> int:
    """How many truth captions occur in the predicted caption list (normalised, exact)."""
    have = Counter(_caption_key(c) for c in (pred or []))
    n = 0
    for c in truth:
        k = _caption_key(c)
        if have[k] > 0:
            have[k] -= 1
            n += 1
    return n


# ---------------------------------------------------------------- dates

def parse_when(value: str | None) -> tuple[datetime, bool] | None:
    """(aware datetime, date_only) for an ISO 8601 date or date-time; naive times are +07:00."""
    if not value:
        return None
    v = value.strip()
    date_only = bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", v))
    try:
        d = datetime.fromisoformat(v.replace("Z", "+00:00"))
    except ValueError:
        return None
    if d.tzinfo is None:
        d = d.replace(tzinfo=VN)
    return d, date_only


def date_correct(truth: str | None, precision: str | None, pred: str | None) -> bool:
    """Same instant; for a day-precision truth the same calendar day (in Vietnam) is enough.
    A date-only prediction cannot match a truth that has a time."""
    t, p = parse_when(truth), parse_when(pred)
    if t is None or p is None:
        return t is None and p is None
    (td, _), (pd, p_day) = t, p
    if precision == "day":
        return td.astimezone(VN).date() == (pd.date() if p_day else pd.astimezone(VN).date())
    if p_day:
        return False
    return td == pd


def same_day(truth: str | None, pred: str | None) -> bool:
    """Lenient: the same calendar day in Vietnam, whatever the precision."""
    t, p = parse_when(truth), parse_when(pred)
    if t is None or p is None:
        return t is None and p is None
    return t[0].astimezone(VN).date() == (p[0].date() if p[1] else p[0].astimezone(VN).date())


# ---------------------------------------------------------------- shingles (external benchmark)

def shingles(text: str | None, n: int = 4) -> Counter:
    """Multiset of n-token shingles; fewer than n tokens make one shingle; empty text none."""
    toks = tokens(text)
    if not toks:
        return Counter()
    if len(toks) < n:
        return Counter([tuple(toks)])
    return Counter(tuple(toks[i:i + n]) for i in range(len(toks) - n + 1))


def shingle_page(truth: str | None, pred: str | None, n: int = 4) -> tuple[float, float, float]:
    """(TP, FP, FN) for one page, each divided by TP+FP+FN (all zero when both are empty)."""
    t, p = shingles(truth, n), shingles(pred, n)
    tp = sum((t & p).values())
    fp = sum((p - t).values())
    fn = sum((t - p).values())
    s = tp + fp + fn
    return (tp / s, fp / s, fn / s) if s else (0.0, 0.0, 0.0)


def shingle_summary(pages: list[tuple[float, float, float]]) -> dict:
    """Mean precision over pages with a prediction, mean recall over pages with a reference,
    F1 = harmonic mean of the two means (the upstream benchmark's definition)."""
    precs = [tp / (tp + fp) for tp, fp, fn in pages if tp + fp > 0]
    recs = [tp / (tp + fn) for tp, fp, fn in pages if tp + fn > 0]
    p = mean(precs) if precs else 0.0
    r = mean(recs) if recs else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f}


def bootstrap_std(pages: list[tuple[float, float, float]], n: int = 1000, seed: int = 0) -> dict:
    """Standard deviation of precision/recall/F1 over `n` bootstrap resamples of the pages."""
    rng = random.Random(seed)
    vals = {"precision": [], "recall": [], "f1": []}
    for _ in range(n):
        sample = [pages[rng.randrange(len(pages))] for _ in pages]
        s = shingle_summary(sample)
        for k in vals:
            vals[k].append(s[k])

    def std(xs):
        m = mean(xs)
        return (sum((x - m) ** 2 for x in xs) / len(xs)) ** 0.5

    return {k: std(v) for k, v in vals.items()}


def median(xs: list[float]) -> float:
    s = sorted(xs)
    if not s:
        return 0.0
    k = len(s) // 2
    return s[k] if len(s) % 2 else (s[k - 1] + s[k]) / 2
