"""Figures (counts of inspections, supervisions, disciplinary sanctions …) from report text.

Pure: no I/O beyond reading the packaged lexicon once. All vocabulary is data in
lexicon.toml; this module only knows the shapes:

  sentence → clauses (";") → events in order:
      COUNT    number [multiplier] [lượt] SUBJECT      ("trên 7.000 lượt tổ chức Đảng")
      BARE     number next to a discipline form        ("khiển trách 15", "42 khiển trách")
      TRIGGER  a verb phrase naming the metric          ("giám sát chuyên đề")
      POSTFIX  a phrase after a count renaming it       ("… có vi phạm", "… bị kỷ luật")
      BLOCK / MODAL / RESET / REALIS, "(" ")" ";"

A count takes the metric of the nearest trigger before it (one verb shared by a coordinated
pair: "kiểm tra 57.486 tổ chức đảng và 323.979 đảng viên"); parentheses are a nested scope;
blocks (percent/comparisons/rewards/plans) and modals (future) suppress counts.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

LEXICON_PATH = Path(__file__).resolve().parent / "lexicon.toml"

METRICS = (
    "inspected", "inspected_signs_of_violation", "inspected_task_execution", "finance_inspected",
    "supervised", "supervised_thematic", "inspected_supervised", "found_violations", "must_discipline",
    "disciplined", "reprimanded", "warned", "dismissed", "expelled", "suspended", "removed_from_rolls",
    "denunciations", "complaints", "assets_verified", "inspection_teams", "inspections",
)
SUBJECTS = ("party_organization", "party_member", "committee_member", "cadre", "case", "other")
QUALIFIERS = ("exact", "over", "about", "under")


# ---------------------------------------------------------------- folding

def fold(text: str) -> str:
    """Lowercase, strip combining marks, đ→d — one output character per input character,
    so offsets in the folded string are offsets in the original."""
    out = []
    for ch in text:
        lo = ch.lower()
        if len(lo) != 1:
            lo = ch
        base = unicodedata.normalize("NFD", lo)[0]
        if base == "đ":
            base = "d"
        out.append(base)
    return "".join(out)


def _lower_keep_len(text: str) -> str:
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _word(pattern: str) -> str:
    return rf"(?<!\w)(?:{pattern})(?!\w)"


# ---------------------------------------------------------------- lexicon

@dataclass
class Entry:
    kind: str                      # metric form reset block modal realis mask postfix
    regex: re.Pattern
    metric: str | None = None
    prefix: str | None = None      # postfix used as a trigger
    sources: frozenset = frozenset()
    priority: int = 2
    binds_back: bool = False       # postfix: right after a count, names it even if a count follows


@dataclass
class Lexicon:
    multipliers: dict
    skip_after: re.Pattern
    percent_after: re.Pattern
    num_words: dict
    num_word_re: re.Pattern
    num_start: set
    qualifiers: list               # (folded phrase, label), longest first
    subjects: list                 # (regex, subject, metric, carry)
    entries: list
    actors: list
    periods: dict
    not_review_year: re.Pattern
    same_period: re.Pattern
    report_year: re.Pattern
    year_re: re.Pattern
    subject_first: re.Pattern
    subject_first_gap: int


@lru_cache(maxsize=4)
def load_lexicon(path: str | None = None) -> Lexicon:
    data = tomllib.loads(Path(path or LEXICON_PATH).read_text(encoding="utf-8"))
    num = data["numbers"]
    words = num["words"]
    num_words: dict[str, tuple[str, int]] = {}
    for w, v in words["units"].items():
        num_words[w] = ("unit", v)
    for w, v in words["units_after_tens"].items():
        num_words[w] = ("unit_after_tens", v)
    for kind in ("ten", "tens_multiplier", "hundred", "zero_tens", "thousand", "million"):
        for w in words[kind]:
            num_words[w] = (kind, 0)
    alt = "|".join(sorted(map(re.escape, num_words), key=len, reverse=True))
    num_word_re = re.compile(rf"(?<!\w)(?:{alt})(?:\s+(?:{alt}))*(?!\w)")
    num_start = {w for w, (k, _) in num_words.items() if k in ("unit", "ten")}

    def alts(items):
        return "|".join(sorted((re.escape(fold(x)) for x in items), key=len, reverse=True))

    skip_after = re.compile(rf"(?<!\w)(?:{alts(num['skip_after'])})\s*$")
    percent_after = re.compile(rf"^\s*(?:{alts(num['percent_after'])})")
    quals = [(fold(p), label) for label, ps in data["qualifiers"].items() for p in ps]
    quals.sort(key=lambda x: len(x[0]), reverse=True)

    subjects = [(re.compile(_word(fold(s["pattern"]))), s["subject"], s.get("metric"), bool(s.get("carry")))
                for s in data["subjects"]]

    entries: list[Entry] = []
    for t in data["triggers"]:
        entries.append(Entry(t["kind"], re.compile(_word(fold(t["pattern"]))), t.get("metric")))
    guard = data["trigger_guard"]
    behind = "|".join(f"(?<={re.escape(fold(w))} )" for w in sorted(set(guard["words"]), key=len))
    entries.append(Entry("mask", re.compile(rf"(?:{behind})(?:{fold(guard['phrase'])})(?!\w)"), priority=1))
    for p in data["postfixes"]:
        entries.append(Entry("postfix", re.compile(_word(fold(p["pattern"]))), p["metric"], p.get("prefix"),
                             frozenset(None if s == "none" else s for s in p["from"]), priority=0,
                             binds_back=p.get("binds_back", False)))

    actors = [re.compile(_word(fold(a))) for a in data["actors"]["patterns"]]
    per = data["periods"]
    periods = {k: re.compile(_word(fold(per[k]))) for k in ("half", "nine", "quarter")}
    return Lexicon(
        multipliers={fold(k): v for k, v in num["multipliers"].items()},
        skip_after=skip_after, percent_after=percent_after,
        num_words=num_words, num_word_re=num_word_re, num_start=num_start,
        qualifiers=quals, subjects=subjects, entries=entries, actors=actors,
        periods=periods,
        not_review_year=re.compile(rf"(?:{alts(per['not_review_year_before'])})\s*$"),
        same_period=re.compile(_word(fold(per["same_period"]))),
        report_year=re.compile(fold(per["report_year"])),
        year_re=re.compile(_word(fold(per["year"]))),
        subject_first=re.compile(_word(fold(data["subject_first"]["pattern"]).rstrip())),
        subject_first_gap=int(data["subject_first"]["max_gap"]),
    )


# ---------------------------------------------------------------- sentences

_ABBREV = {"tp", "tt", "ts", "ths", "pgs", "gs", "bs", "ks", "th", "q", "p", "tx", "ông", "bà", "st"}
_END = ".!?…"


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence; paragraphs (lines) never share a sentence."""
    spans = []
    pos = 0
    for line in text.split("\n"):
        n = len(line)
        i = 0
        start = 0
        while i < n:
            ch = line[i]
            if ch in _END:
                j = i + 1
                while j < n and (line[j] in _END or line[j] in "\"”’)/"):
                    j += 1
                if j >= n or line[j].isspace():
                    k = j
                    while k < n and line[k].isspace():
                        k += 1
                    word = re.findall(r"\w+$", line[start:i])
                    abbrev = ch == "." and word and word[-1].lower() in _ABBREV
                    if k >= n or (not abbrev and (line[k].isupper() or line[k].isdigit() or line[k] in "\"“(")):
                        spans.append((pos + start, pos + j))
                        start = k
                        i = k
                        continue
                i = j
                continue
            i += 1
        if start < n:
            spans.append((pos + start, pos + n))
        pos += n + 1
    out = []
    for s, e in spans:
        seg = text[s:e]
        ls = len(seg) - len(seg.lstrip())
        rs = len(seg.rstrip())
        if rs > ls:
            out.append((s + ls, s + rs))
    return out


# ---------------------------------------------------------------- numbers and counts

_DIGITS = re.compile(r"(?<![\w/.,\-])(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?(?![\w/]|[.,]\d|-\w)")


@dataclass
class Count:
    start: int
    end: int
    num_end: int
    value: int
    qualifier: str
    subject: str | None            # None: bare number
    noun_metric: str | None = None
    carry: bool = False
    metric: str | None = None
    blocked: bool = False
    gov: int = 0                   # position of the governing trigger (for the actor)


def _parse_words(tokens: list[str], lex: Lexicon) -> int | None:
    total = group = cur = 0
    prev = None
    for t in tokens:
        kind, v = lex.num_words[t]
        if kind == "unit":
            if prev in ("unit", "unit_after_tens"):
                return None
            cur += v
        elif kind == "unit_after_tens":
            if prev not in ("tens_multiplier", "ten"):
                return None
            cur += v
        elif kind == "ten":
            cur += 10
        elif kind == "tens_multiplier":
            if prev != "unit" or not 1 <= cur % 10 <= 9:
                return None
            cur = (cur - cur % 10) + (cur % 10) * 10
        elif kind == "hundred":
            group += (cur or 1) * 100
            cur = 0
        elif kind == "zero_tens":
            pass
        elif kind == "thousand":
            total += (group + cur or 1) * 1000
            group = cur = 0
        elif kind == "million":
            total += (group + cur or 1) * 1_000_000
            group = cur = 0
        prev = kind
    return total + group + cur


def _numbers(sent: str, folded: str, lex: Lexicon) -> list[tuple[int, int, int]]:
    """(start, end, value) of every integer the sentence states, digits or words."""
    found = []
    for m in _DIGITS.finditer(sent):
        if lex.skip_after.search(folded[: m.start()]):
            continue
        intpart, dec = m.group(1).replace(".", ""), m.group(2)
        end = m.end()
        mult = 1
        mm = re.match(r"\s+(\w+)", folded[end:])
        if mm and mm.group(1) in lex.multipliers:
            mult = lex.multipliers[mm.group(1)]
            end += mm.end()
        value = Decimal(intpart + ("." + dec if dec else "")) * mult
        if value != value.to_integral_value():
            continue
        found.append((m.start(), end, int(value)))
    low = _lower_keep_len(sent)
    for m in lex.num_word_re.finditer(low):
        toks = m.group(0).split()
        # trim to a parseable prefix starting with a number word proper
        if toks[0] not in lex.num_start:
            continue
        value = None
        while toks:
            value = _parse_words(toks, lex)
            if value:
                break
            toks = toks[:-1]
        if not value:
            continue
        end = m.start() + len(" ".join(toks)) if len(toks) == len(m.group(0).split()) else None
        if end is None:  # recompute end for the trimmed token list
            end = m.start()
            for t in toks:
                end = low.index(t, end) + len(t)
        if re.match(r"\s*\d", sent[end:]):   # "năm 2023"
            continue
        found.append((m.start(), end, value))
    found.sort()
    return found


def _counts(sent: str, folded: str, lex: Lexicon) -> list[Count]:
    out = []
    for start, end, value in _numbers(sent, folded, lex):
        if lex.percent_after.match(folded[end:]):
            continue
        before = folded[:start].rstrip()
        qualifier = "exact"
        for phrase, label in lex.qualifiers:
            if before.endswith(phrase) and (len(before) == len(phrase) or not before[-len(phrase) - 1].isalnum()):
                qualifier = label
                break
        rest = re.match(r"\s+(?:luot\s+)?", folded[end:])
        best = None
        if rest:
            at = end + rest.end()
            for regex, subject, metric, carry in lex.subjects:
                m = regex.match(folded, at)
                if m and (best is None or m.end() > best[0]):
                    best = (m.end(), subject, metric, carry)
        if best:
            out.append(Count(start, best[0], end, value, qualifier, best[1], best[2], best[3]))
        else:
            out.append(Count(start, end, end, value, qualifier, None))
    return out


# ---------------------------------------------------------------- spans

@dataclass(order=True)
class Span:
    start: int
    end: int
    kind: str = field(compare=False)
    entry: Entry | None = field(compare=False, default=None)
    count: Count | None = field(compare=False, default=None)


def _select(cands: list[tuple[int, int, int, object]], taken: list[tuple[int, int]]) -> list:
    """Leftmost-longest, non-overlapping with each other and with `taken`."""
    cands.sort(key=lambda c: (c[0], -(c[1] - c[0]), c[2]))
    chosen = []
    occupied = list(taken)
    for s, e, _, obj in cands:
        if any(s < oe and os_ < e for os_, oe in occupied):
            continue
        chosen.append((s, e, obj))
        occupied.append((s, e))
    return chosen


# ---------------------------------------------------------------- the walk

_CONNECTOR = re.compile(r"^\s*(?:,|,?\s*va)?\s*$")
_POSTFIX_GAP = re.compile(r"^[\s,]*$")
_PREFIX_GAP = re.compile(r"^[\s,:]*(?:doi voi|voi)?\s*$")
_SUBCLAUSE = re.compile(r"\s*(?:trong do|gom|bao gom)(?!\w)")
_BARE_GAP = re.compile(r"^[\s:]*(?:la\s*)?$")


@dataclass
class State:
    metric: str | None = None
    blocked: bool = False
    modal: bool = False
    form: bool = False
    gov: int = 0

    def copy(self):
        return State(self.metric, self.blocked, self.modal, self.form, self.gov)


def _walk(sent: str, folded: str, lex: Lexicon, review_year: int | None) -> list[Count]:
    counts = _counts(sent, folded, lex)
    taken = [(c.start, c.end) for c in counts if c.subject]
    cands = []
    for e in lex.entries:
        for m in e.regex.finditer(folded):
            if m.end() > m.start():
                cands.append((m.start(), m.end(), e.priority, e))
    spans = [Span(s, e, "entry", entry=obj) for s, e, obj in _select(cands, taken)]
    # a bare number inside a phrase ("đúng một phần") is part of that phrase
    counts = [c for c in counts if c.subject or not any(c.start < sp.end and sp.start < c.end for sp in spans)]
    spans += [Span(c.start, c.end, "count", count=c) for c in counts]
    for m in re.finditer(r"[;()]", sent):
        if not any(c.start <= m.start() < c.end for c in counts):
            spans.append(Span(m.start(), m.start() + 1, m.group(0)))
    spans.sort(key=lambda s: (s.start, s.end))

    # clauses mentioning a later year than the one under review are plans, not results
    future_from = []
    if review_year:
        for m in lex.year_re.finditer(folded):
            y = int(m.group(1))
            if y > review_year and not lex.not_review_year.search(folded[: m.start()]):
                future_from.append(m.start())

    st = State()
    stack: list[State] = []
    group: list[Count] = []          # the coordinated counts just before the cursor
    last: Span | None = None         # previous event
    last_postfix_group: list[Count] | None = None
    last_subject = "party_member"

    def clause_future(pos: int) -> bool:
        cl_start = folded.rfind(";", 0, pos) + 1
        return any(cl_start <= f < pos for f in future_from)

    for i, sp in enumerate(spans):
        nxt = spans[i + 1] if i + 1 < len(spans) else None
        if sp.kind == ";":
            if not _SUBCLAUSE.match(folded, sp.end):   # "…; trong đó …" continues the clause
                st = State()
            group, last_postfix_group = [], None
        elif sp.kind == "(":
            stack.append(st.copy())
            group, last_postfix_group = [], None
        elif sp.kind == ")":
            if stack:
                st = stack.pop()
            group, last_postfix_group = [], None
        elif sp.kind == "count":
            c = sp.count
            if c.subject is None:   # bare number: only next to a discipline form
                if last is not None and last.kind == "entry" and last.entry.kind == "form" \
                        and _BARE_GAP.match(folded[last.end:c.start]) and not st.blocked:
                    c.subject, c.metric = last_subject, last.entry.metric
                elif nxt is not None and nxt.kind == "entry" and nxt.entry.kind == "form" \
                        and _BARE_GAP.match(folded[c.end:nxt.start]) and not st.blocked and not st.modal:
                    c.subject, c.metric = last_subject, nxt.entry.metric
                    st.gov = nxt.start
                else:
                    last = sp
                    continue
                c.gov = st.gov
            else:
                last_subject = c.subject
                if st.blocked or st.modal or clause_future(c.start):
                    c.blocked = True
                elif c.noun_metric:
                    c.metric = c.noun_metric
                    if c.carry:
                        st.metric, st.gov = c.noun_metric, c.start
                else:
                    c.metric = st.metric
                c.gov = st.gov if c.metric and not c.noun_metric else c.start
            if last is not None and last.kind == "count" and _CONNECTOR.match(folded[last.end:c.start]):
                group.append(c)
            else:
                group = [c]
            last_postfix_group = None
        else:
            e = sp.entry
            k = e.kind
            if k == "postfix":
                target = None
                if last is not None and _POSTFIX_GAP.match(folded[last.end:sp.start]):
                    if last.kind == "count" and group:
                        target = group
                    elif last.kind == "entry" and last.entry.kind == "postfix" and last_postfix_group:
                        target = last_postfix_group
                followed = nxt is not None and nxt.kind == "count" and nxt.count.subject is not None \
                    and _PREFIX_GAP.match(folded[sp.end:nxt.start])
                if target and not (followed and e.prefix and not e.binds_back):
                    picked, seen = [], set()
                    for c in reversed(target):
                        if c.subject in seen or c.blocked or c.metric not in e.sources:
                            break
                        seen.add(c.subject)
                        picked.append(c)
                    for c in picked:
                        c.metric = e.metric
                    if picked:
                        st.metric, st.blocked, st.gov = e.metric, False, picked[-1].start
                        last_postfix_group = picked
                        last = sp
                        continue
                if e.prefix and not st.modal:
                    st.metric, st.blocked, st.form, st.gov = e.prefix, False, False, sp.start
                elif not st.modal and _subject_first(folded, sp.start, lex):
                    st.metric, st.blocked, st.form, st.gov = e.metric, False, False, sp.start
                else:
                    st.metric, st.blocked = None, st.blocked
                last_postfix_group = None
            elif k in ("metric", "form"):
                if not st.modal:
                    st.metric, st.blocked, st.form, st.gov = e.metric, False, k == "form", sp.start
            elif k == "reset":
                st.metric, st.blocked = None, False
            elif k == "block":
                st.metric, st.blocked = None, True
            elif k == "modal":
                st.metric, st.modal = None, True
            elif k == "realis":
                st.modal = False
            elif k == "mask":
                pass
            group = [] if k != "mask" else group
        last = sp
    return [c for c in counts if c.metric and not c.blocked and c.subject]


def _subject_first(folded: str, pos: int, lex: Lexicon) -> bool:
    """Is `pos` right after "số <subject>" ("Số đảng viên | bị kỷ luật …")?"""
    window = folded[max(0, pos - lex.subject_first_gap):pos]
    for m in lex.subject_first.finditer(window):
        rest = window[m.end():].strip()
        if any(regex.fullmatch(rest) for regex, *_ in lex.subjects):
            return True
    return False


# ---------------------------------------------------------------- actor, period

def _actor_spans(folded: str, counts: list[Count], lex: Lexicon) -> list[tuple[int, int]]:
    cands = []
    for regex in lex.actors:
        for m in regex.finditer(folded):
            cands.append((m.start(), m.end(), 0, None))
    return [(s, e) for s, e, _ in _select(cands, [(c.start, c.end) for c in counts])]


def _period_in(folded: str, lex: Lexicon) -> str | None:
    best = None
    for key, regex in lex.periods.items():
        m = regex.search(folded)
        if m and (best is None or m.start() < best[0]):
            if key == "half":
                label = "6 tháng"
            elif key == "nine":
                label = "9 tháng"
            else:
                q = m.group(1)
                label = "quý " + ({"1": "I", "2": "II", "3": "III", "4": "IV"}.get(q) or q.upper())
            best = (m.start(), label)
    return best[1] if best else None


def _year_in(folded: str, lex: Lexicon) -> str | None:
    for m in lex.year_re.finditer(folded):
        if not lex.not_review_year.search(folded[: m.start()]):
            return m.group(1)
    return None


# ---------------------------------------------------------------- public

def extract_figures(text: str, report_year: int | None = None) -> list[dict]:
    """Every figure stated in `text` (clean article text, one paragraph per line).

    Returns dicts with exactly: metric, subject, count (int), qualifier, actor, period,
    sentence, start, end — where text[start:end] == sentence.
    """
    if not text:
        return []
    lex = load_lexicon()
    folded_text = fold(text)
    review_year = report_year
    if review_year is None:
        m = lex.report_year.search(folded_text)
        review_year = int(m.group(1)) if m else None
    first_para = folded_text.split("\n", 1)[0]
    doc_period = _period_in(first_para, lex)
    last_period = doc_period

    figures = []
    for s, e in split_sentences(text):
        sent = text[s:e]
        folded = folded_text[s:e]
        explicit = _period_in(folded, lex)
        if explicit:
            last_period = explicit
        if not re.search(r"\d", sent) and not lex.num_word_re.search(_lower_keep_len(sent)):
            continue
        counts = _walk(sent, folded, lex, review_year)
        if not counts:
            continue
        if explicit:
            period = explicit
        elif lex.same_period.search(folded) and last_period:
            period = last_period
        elif doc_period:
            period = doc_period
        elif report_year is not None:
            period = str(report_year)
        else:
            period = _year_in(folded, lex) or (str(review_year) if review_year else None)
        actors = _actor_spans(folded, counts, lex)
        for c in counts:
            actor = None
            for a_s, a_e in actors:
                if a_e <= c.gov:
                    actor = sent[a_s:a_e]
            figures.append({
                "metric": c.metric, "subject": c.subject, "count": c.value,
                "qualifier": c.qualifier, "actor": actor, "period": period,
                "sentence": sent, "start": s, "end": e,
            })
    return figures
