"""Recognise year-end / term inspection-and-supervision review reports.

Pure functions, no I/O beyond reading the two data files next to this module once:
lexicon.toml (the cues, weights and organiser patterns) and gazetteer.toml (provinces).

    recognise(title, text, published, source) -> dict with exactly the keys
        doc_type, is_relevant, relevance_cues, report_year, event_date,
        level, province, province_current
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

from .fold import fold, fold_phrase, nfc
from .gazetteer import gazetteer

LEXICON = Path(__file__).with_name("lexicon.toml")
DOC_TYPES = ("year_end_review", "term_review", "mid_year_review", "periodic_briefing",
             "commission_session", "discipline_case", "other")
LEVELS = ("central", "provincial", "bloc", "district", "commune", "other")
ZONES = ("title", "lead", "body")
PUBLISHED_SLACK = timedelta(days=3)   # a meeting may be reported a little before its date is stamped

# dates of the meeting: "Ngày 27/12", "Sáng ngày 29/11/2024", "Chiều 26-12", "ngày 4 tháng 1 năm 2024"
_DATE_RX = re.compile(
    r"(?<![a-z0-9])(?:ngay|sang|chieu|toi|trua|dem)\s+(?:ngay\s+)?(?:(?:hom\s+)?nay\s*\(\s*)?(?:mai\s+)?"
    r"(?:(?P<d>\d{1,2})\s*[/.\-]\s*(?P<m>\d{1,2})(?:\s*[/.\-]\s*(?P<y>\d{4}))?(?![\d/]|\s*[/.\-]\s*\d)"
    r"|(?P<d2>\d{1,2})\s+thang\s+(?P<m2>\d{1,2})(?:\s+nam\s+(?P<y2>\d{4}))?)")
_CLAUSE_END = re.compile(r"[.;:!?\n(]|,\s")


@dataclass(frozen=True)
class Cue:
    type: str
    weight: float
    rx: re.Pattern
    label: str | None = None


class Lexicon:
    def __init__(self, path: Path = LEXICON):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        self.settings = data["settings"]
        self.zone_weight = data["zones"]
        macros = data.get("macros", {})

        def expand(p: str) -> str:
            for _ in range(3):
                p = re.sub(r"\{([A-Z]+)\}", lambda m: macros[m.group(1)], p)
            return p

        self.cues = [Cue(c["type"], float(c["weight"]), re.compile(expand(c["pattern"])), c.get("label"))
                     for c in data["cue"]]
        for c in self.cues:
            if c.type not in DOC_TYPES:
                raise ValueError(f"{path}: unknown cue type {c.type!r}")
        self.topic = [re.compile(expand(p)) for p in data["topic"]["patterns"]]
        self.vocabulary = tuple(data["vocabulary"]["words"])
        org = data["organiser"]
        self.central_event = [re.compile(expand(p)) for p in org["central_event"]]
        self.verbs = re.compile(r"\s*(?:[^.;\n]{0,70}?\s)?" + expand(org["verbs"]) + r"\b")
        self.role = re.compile(expand(org["role_words"]))
        self.national_org = re.compile(expand(org["national_org"]))
        self.orgs = [(o["level"], re.compile(r"(?<![a-z])(?:" + expand(o["pattern"]) + r")")) for o in data["org"]]


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    return Lexicon()


# ---------------------------------------------------------------------------- helpers

def _zones(title: str, text: str, lex: Lexicon) -> dict[str, str]:
    paras = [p.strip() for p in nfc(text).split("\n") if p.strip()]
    n = int(lex.settings.get("lead_paragraphs", 3))
    limit = int(lex.settings.get("lead_chars", 900))
    lead, size = [], 0
    for p in paras[:n]:
        if lead and size + len(p) > limit:
            break
        lead.append(p)
        size += len(p)
    return {"title": nfc(title).strip(), "lead": "\n".join(lead), "body": "\n".join(paras[len(lead):])}


def _parse_published(published: str | None) -> date | None:
    if not published:
        return None
    try:
        return datetime.fromisoformat(published.replace("Z", "+00:00")).date()
    except ValueError:
        m = re.match(r"(\d{4})-(\d{2})-(\d{2})", published)
        return date(int(m[1]), int(m[2]), int(m[3])) if m else None


def _source_attr(source, key):
    if source is None:
        return None
    if isinstance(source, dict):
        return source.get(key) or None
    return getattr(source, key, None) or None


def _surface(raw: str, m: re.Match) -> str:
    return raw[m.start():m.end()].strip(" ,;:\n")


# ---------------------------------------------------------------------------- classification

def _score(zones: dict[str, str], folded: dict[str, str], lex: Lexicon):
    scores = {t: 0.0 for t in DOC_TYPES}
    hits = []   # (type, zone, weighted, surface, year, end, label, start)
    for cue in lex.cues:
        for zone in ZONES:
            first = True
            for m in cue.rx.finditer(folded[zone]):
                gd = m.groupdict()
                w = cue.weight * lex.zone_weight[zone]
                if first:
                    scores[cue.type] += w
                hits.append((cue.type, zone, w if first else 0.0, _surface(zones[zone], m),
                             gd.get("year"), gd.get("end"), cue.label, m.start()))
                first = False
    return scores, hits


def _classify(scores: dict[str, float], has_topic: bool, lex: Lexicon) -> str:
    priority = lex.settings["priority"]
    candidates = {t: s for t, s in scores.items() if s > 0}
    if not has_topic:
        for t in lex.settings["relevant"]:
            candidates.pop(t, None)
    if not candidates:
        return "other"
    best = max(candidates.items(), key=lambda kv: (kv[1], -priority.index(kv[0])))
    if best[1] < lex.settings["min_score"]:
        return "other"
    return best[0]


def _cues_for(doc_type: str, hits, limit: int = 5) -> list[str]:
    order = {z: i for i, z in enumerate(ZONES)}
    chosen = sorted((h for h in hits if h[0] == doc_type),
                    key=lambda h: (order[h[1]], -h[2], h[7]))
    out: list[str] = []
    for h in chosen:
        s = h[3][:140]
        key = fold(s)
        if s and not any(key in fold(o) for o in out):   # skip a cue inside one already listed
            out.append(s)
        if len(out) >= limit:
            break
    return out


# ---------------------------------------------------------------------------- years and dates

def _report_year_from_text(doc_type: str, hits) -> int | None:
    order = {z: i for i, z in enumerate(ZONES)}
    if doc_type == "term_review":
        ends = [h for h in hits if h[0] == "term_review" and h[5]]
        if ends:
            return int(sorted(ends, key=lambda h: order[h[1]])[0][5])
    years = [h for h in hits if h[0] in ("year_end_review", "term_review") and h[4]]
    if not years:
        return None
    best = sorted(years, key=lambda h: (order[h[1]], -h[2], h[7]))[0]
    return int(best[4])


def _find_date(zones: dict[str, str], folded: dict[str, str]):
    """(day, month, year|None) of the first meeting date in the title or the first paragraphs."""
    body_head = "\n".join(zones["body"].split("\n")[:2])
    for raw in (zones["title"], zones["lead"], body_head):
        for m in _DATE_RX.finditer(fold(raw)):
            d = int(m["d"] or m["d2"])
            mo = int(m["m"] or m["m2"])
            y = m["y"] or m["y2"]
            if 1 <= d <= 31 and 1 <= mo <= 12:
                return d, mo, int(y) if y else None
    return None


def _safe_date(y: int, mo: int, d: int) -> date | None:
    try:
        return date(y, mo, d)
    except ValueError:
        return None


def _infer_event(found, report_year: int | None, pub: date | None) -> date | None:
    if not found:
        return None
    d, mo, y = found
    if y:
        return _safe_date(y, mo, d)
    if report_year:
        # a review of year Y meets late in Y (Jul–Dec) or early in Y+1 (Jan–Jun)
        guess = _safe_date(report_year if mo >= 7 else report_year + 1, mo, d)
        if guess and (pub is None or guess <= pub + PUBLISHED_SLACK) and (pub is None or guess >= pub - timedelta(days=366)):
            return guess
    if pub:
        guess = _safe_date(pub.year, mo, d)
        if guess and guess > pub + PUBLISHED_SLACK:
            guess = _safe_date(pub.year - 1, mo, d)
        return guess
    return None


# ---------------------------------------------------------------------------- organiser, level, province

def _org_candidates(raw: str, low: str, lex: Lexicon, gz, pub_year: int | None, source_province: str | None):
    """Organisation mentions in one zone: dicts with start, end, level, province, role, verb."""
    found = []
    for kind, rx in lex.orgs:
        for m in rx.finditer(low):
            found.append((m.start(), m.end(), kind))
    # "tỉnh Quảng Ninh", "thành phố Cần Thơ", "Quảng Ninh:" opening a title → the province itself
    for p in gz.find_provinces(raw, folded=low):
        pre = low[max(0, p["start"] - 12):p["start"]]
        if re.search(r"(?:\btinh|thanh pho|\btp\.?)\s*$", pre) or low.startswith("tp", p["start"]):
            found.append((p["start"] - len(re.search(r"(?:tinh|thanh pho|tp\.?)\s*$", pre)[0]) if re.search(r"(?:tinh|thanh pho|tp\.?)\s*$", pre) else p["start"],
                          p["end"], "city" if re.search(r"(?:thanh pho|\btp\.?)\s*$", pre) or low.startswith("tp", p["start"]) else "provincial"))
        elif p["start"] == 0 and re.match(r"\s*[:\-–]", raw[p["end"]:]):
            found.append((p["start"], p["end"], "provincial"))
    for c in gz.find_cities(raw, folded=low):
        found.append((c["start"], c["end"], "city"))
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    out, last_end = [], -1
    for start, end, kind in found:
        if start < last_end:
            continue
        last_end = end
        line_start = raw.rfind("\n", 0, start) + 1
        if raw[line_start:start].strip(" (") == "" and re.match(r"\s*[-–—]\s", raw[end:end + 4]):
            continue   # a dateline ("TP. Vinh - Ngày 3/1, …"), not an organiser
        # the clause the organisation is named in, up to punctuation, a verb or 70 chars
        tail = raw[start:start + 90]
        cut = _CLAUSE_END.search(tail, end - start)
        clause_raw = tail[:cut.start()] if cut else tail
        clause_low = low[start:start + len(clause_raw)]
        provs = gz.find_provinces(clause_raw, folded=clause_low, strict_ok_at=tuple(range(len(clause_raw))))
        cities = gz.find_cities(clause_raw, folded=clause_low)
        province = provs[0]["name"] if provs else (cities[0]["province"] if cities else None)
        level = kind
        if kind == "city":
            if provs and gz.is_central_city(provs[0]["name"], pub_year) and not cities:
                level = "provincial"
            elif provs or cities:
                level = "district"
            else:
                level = "provincial" if gz.is_central_city(source_province, pub_year) else "district"
        # a bloc of the central bodies ("Đảng ủy Khối các cơ quan Trung ương") has no
        # province, whatever city its meeting is held in
        national = level == "bloc" and bool(lex.national_org.search(clause_low))
        if level == "central" or national:
            province = None
        before = low[max(0, start - 60):start]
        br = max(before.rfind(ch) for ch in ".,;:\n(")
        clause_before = before[br + 1:] if br >= 0 else before
        role = bool(lex.role.search(clause_before))
        verb = bool(lex.verbs.match(low, end)) or bool(re.search(r"\bdo\s*$", clause_before) and re.match(r"[^.;\n]{0,80}?\bto chuc\b", low[end:]))
        do_org = bool(re.search(r"\bdo\s*$", clause_before))
        out.append({"start": start, "end": end, "level": level, "province": province,
                    "role": role and not do_org, "verb": verb, "do": do_org, "national": national})
    return out


def _organiser(zones, folded, lex, gz, pub_year, source_province):
    for zone in ("title", "lead"):
        for rx in lex.central_event:
            if rx.search(folded[zone]):
                return {"level": "central", "province": None}
    cands = {z: _org_candidates(zones[z], folded[z], lex, gz, pub_year, source_province) for z in ("title", "lead")}
    for z in ("title", "lead"):
        for c in cands[z]:
            if c["do"] and c["verb"]:
                return c
    for z in ("lead", "title"):
        for c in cands[z]:
            if c["verb"] and not c["role"]:
                return c
    for z in ("title", "lead"):
        for c in cands[z]:
            if not c["role"]:
                return c
    return None


def _province(zones, folded, org, gz, source_province):
    if org and (org.get("level") == "central" or org.get("national")):
        return None
    if org and org.get("province"):
        return org["province"]
    for z in ("title", "lead"):
        ms = gz.find_provinces(zones[z], folded=folded[z])
        if ms:
            return ms[0]["name"]
    if source_province:
        return gz.canonical(source_province) or source_province
    ms = gz.find_provinces(zones["body"], folded=folded["body"])
    return ms[0]["name"] if ms else None


def _not_a_report(source, gz, cues) -> dict:
    """Not about the Party's inspection work at all (most of a portal's news): no
    report to date or place, only what the source says of itself."""
    province = _source_attr(source, "province")
    province = (gz.canonical(province) or province) if province else None
    level = _source_attr(source, "level")
    return {"doc_type": "other", "is_relevant": False, "relevance_cues": cues, "report_year": None,
            "event_date": None, "level": level if level in LEVELS else None, "province": province,
            "province_current": gz.current_unit(province) if province else None}


# ---------------------------------------------------------------------------- entry point

def recognise(title: str | None, text: str, published: str | None, source=None) -> dict:
    """Classify one article and pull out the review's year, meeting date, level and province.

    `source` is a crawler.registry.Source (or a dict with the same keys, or None)."""
    lex, gz = lexicon(), gazetteer()
    if not any(word in fold_phrase(f"{title or ''} {text or ''}") for word in lex.vocabulary):
        return _not_a_report(source, gz, [])
    zones = _zones(title or "", text or "", lex)
    folded = {z: fold(v) for z, v in zones.items()}

    scores, hits = _score(zones, folded, lex)
    all_low = "\n".join(folded.values())
    has_topic = any(rx.search(all_low) for rx in lex.topic)
    if not has_topic:
        return _not_a_report(source, gz, _cues_for("other", hits))
    doc_type = _classify(scores, has_topic, lex)
    relevant = doc_type in lex.settings["relevant"]
    cues = _cues_for(doc_type, hits)

    pub = _parse_published(published)
    ry_text = _report_year_from_text(doc_type, hits) if relevant or doc_type == "mid_year_review" else None
    found = _find_date(zones, folded)
    event = _infer_event(found, ry_text, pub)
    report_year = ry_text
    if report_year is None and relevant:
        ref = event or pub
        if ref:
            report_year = ref.year if ref.month >= 7 else ref.year - 1
    if report_year is None and doc_type == "mid_year_review" and (event or pub):
        report_year = (event or pub).year

    source_province = _source_attr(source, "province")
    source_level = _source_attr(source, "level")
    pub_year = pub.year if pub else None
    org = _organiser(zones, folded, lex, gz, pub_year, source_province)
    level = org["level"] if org else None
    if level is None or level not in LEVELS:
        level = source_level if source_level in LEVELS else None
    province = _province(zones, folded, org, gz, source_province)
    if level == "central":
        province = None
    if not relevant and not (org or source_level):
        level = None
    return {
        "doc_type": doc_type,
        "is_relevant": relevant,
        "relevance_cues": cues,
        "report_year": report_year,
        "event_date": event.isoformat() if event else None,
        "level": level,
        "province": province,
        "province_current": gz.current_unit(province) if province else None,
    }
