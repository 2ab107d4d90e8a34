"""The article's own publication date, never the portal's "today" banner.

Candidates, best first: JSON-LD datePublished, meta tags, <time datetime>,
date lines next to the headline (in or by the article container), a date
opening the lead ("Sáng ngày 29/11/2024, …"), the URL. Strings go through a
small Vietnamese normaliser (words in lexicon/dates.toml) and then dateparser.
"""

import re
from datetime import datetime, timedelta, timezone
from functools import lru_cache

import dateparser

from . import lexicon
from .dom import loose_text, text as dom_text
from .dom import is_element, tokens
from .text import collapse, fold, phrase_regex

TZ = timezone(timedelta(hours=7))

# on folded text
_DMY = r"(?P<d>\d{1,2})\s*[/.\-]\s*(?P<m>\d{1,2})\s*[/.\-]\s*(?P<y>(?:19|20)\d{2})(?!\d)"
_VN = r"ngay\s+(?P<d2>\d{1,2})\s+thang\s+(?P<m2>\d{1,2})(?:\s*(?:,\s*)?(?:nam\s+)?(?P<y2>(?:19|20)\d{2})(?!\d))?"
# "19 Tháng 12 2024 16:02" (Joomla): without "ngày", only with a year
_VN_Y = r"(?P<d5>\d{1,2})\s+thang\s+(?P<m5>\d{1,2})\s*,?\s*(?:nam\s+)?(?P<y5>(?:19|20)\d{2})(?!\d)"
_ISO = r"(?P<y3>(?:19|20)\d{2})-(?P<m3>\d{1,2})-(?P<d3>\d{1,2})(?:[t ](?P<iso_t>\d{1,2}:\d{2}(?::\d{2})?))?"
_DM = r"(?:(?P<cue>ngay|sang|chieu|toi|trua|dem|hom)\s+(?:ngay\s+)?)(?P<d4>\d{1,2})\s*/\s*(?P<m4>\d{1,2})(?!\d)(?!\s*[/.\-]\s*\d)"
DATE_RE = re.compile(rf"(?<!\d)(?:{_ISO}|{_DMY}|{_VN}|{_VN_Y}|{_DM})")
TIME_RE = re.compile(r"(?<![\d/.\-])(?P<h>[01]?\d|2[0-3])\s*(?::|h|gio)\s*(?P<mi>[0-5]\d)(?:\s*:\s*(?P<s>[0-5]\d))?(?:\s*(?P<ap>am|pm|sa|ch)\b)?")
_UPLOAD_RE = re.compile(r"/((?:19|20)\d{2})/(0[1-9]|1[0-2])/")
URL_RES = (
    re.compile(r"/((?:19|20)\d{2})[/\-_]?(0[1-9]|1[0-2])[/\-_]?(0[1-9]|[12]\d|3[01])(?=[/\-_.]|$)"),
    re.compile(r"[\-_/.]((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])\d{0,12}(?=[/\-_.]|$|\?)"),
)


@lru_cache(maxsize=1)
def _lex():
    data = lexicon.load("dates")
    n = data["normalise"]
    return {
        "strip": phrase_regex(lexicon.folded(n["strip"])),
        "weekday": phrase_regex(lexicon.folded(n["weekdays"])),
        "pm": phrase_regex(lexicon.folded(n["pm"])),
        "am": phrase_regex(lexicon.folded(n["am"])),
        "meta": lexicon.folded(data["meta"]["published"]),
        "tokens": frozenset(t.lower() for t in data["elements"]["tokens"]),
    }


_SETTINGS = {"DATE_ORDER": "DMY", "TIMEZONE": "Asia/Ho_Chi_Minh", "TO_TIMEZONE": "Asia/Ho_Chi_Minh",
             "RETURN_AS_TIMEZONE_AWARE": True, "PREFER_DATES_FROM": "past", "REQUIRE_PARTS": ["day", "month", "year"]}


@lru_cache(maxsize=4096)
def _dateparser(text: str):
    try:
        return dateparser.parse(text, languages=["vi"], settings=_SETTINGS)
    except Exception:
        return None


def normalise(text: str) -> str:
    """Vietnamese date phrase → 'D/M/Y H:M' style text dateparser reads.

    'Sáng ngày 29/11/2024' → '29/11/2024'; 'Cập nhật lúc 15:20 ngày 28/12/2024' →
    '28/12/2024 15:20'; 'ngày 28 tháng 12 năm 2024' → '28/12/2024'.
    """
    f = fold(text)
    m = DATE_RE.search(f)
    if not m:
        return ""
    g = m.groupdict()
    if g["y3"]:
        d, mo, y = g["d3"], g["m3"], g["y3"]
    elif g["y"]:
        d, mo, y = g["d"], g["m"], g["y"]
    elif g["d2"]:
        d, mo, y = g["d2"], g["m2"], g["y2"] or ""
    elif g["d5"]:
        d, mo, y = g["d5"], g["m5"], g["y5"]
    else:
        d, mo, y = g["d4"], g["m4"], ""
    out = f"{int(d)}/{int(mo)}" + (f"/{y}" if y else "")
    clock = g.get("iso_t")
    if not clock:
        rest = f[max(0, m.start() - 40):m.start()] + " | " + f[m.end():m.end() + 40]
        t = TIME_RE.search(rest)
        if t:
            h, mi = int(t["h"]), t["mi"]
            lx = _lex()
            ap = t["ap"] or ("pm" if lx["pm"].search(f) else "am" if lx["am"].search(f) else "")
            if ap in ("pm", "ch") and h < 12:
                h += 12
            elif ap in ("am", "sa") and h == 12:
                h = 0
            clock = f"{h:02d}:{mi}" + (f":{t['s']}" if t["s"] else "")
    return out + (f" {clock}" if clock else "")


def parse(text: str, *, fetched: datetime | None = None, context_years=()) -> datetime | None:
    """A date phrase → aware datetime (+07:00), or None. A date without a year
    takes the year from `context_years` or the fetch date, never landing in the future."""
    if not text:
        return None
    iso = _parse_iso(text)
    if iso:
        return iso
    norm = normalise(text)
    if not norm:
        return None
    date_part, _, clock = norm.partition(" ")
    if date_part.count("/") == 1:
        date_part = _with_year(date_part, fetched, context_years)
        if not date_part:
            return None
    dt = _dateparser(f"{date_part} {clock}".strip())
    if dt is None:
        dt = _manual(date_part, clock)
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=TZ)
    return dt.astimezone(TZ)


def _manual(date_part, clock):
    try:
        d, m, y = (int(x) for x in date_part.split("/"))
        h, mi, s = ([int(x) for x in clock.split(":")] + [0, 0, 0])[:3] if clock else (0, 0, 0)
        return datetime(y, m, d, h, mi, s, tzinfo=TZ)
    except ValueError:
        return None


def _with_year(dm: str, fetched, context_years) -> str | None:
    d, m = (int(x) for x in dm.split("/"))
    ref = (fetched or datetime.now(TZ)).astimezone(TZ)
    years = list(dict.fromkeys([*context_years, ref.year, ref.year - 1]))
    for y in years:
        try:
            cand = datetime(y, m, d, tzinfo=TZ)
        except ValueError:
            continue
        if cand <= ref + timedelta(days=1):
            return f"{d}/{m}/{y}"
    return None


_ISO_FULL = re.compile(r"^\s*((?:19|20)\d{2})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*(Z|[+\-]\d{2}:?\d{2})?)?\s*$", re.I)


def _parse_iso(text: str):
    m = _ISO_FULL.match(text)
    if not m:
        return None
    y, mo, d, h, mi, s, tz = m.groups()
    try:
        dt = datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0))
    except ValueError:
        return None
    if tz:
        if tz.upper() == "Z":
            dt = dt.replace(tzinfo=timezone.utc)
        else:
            tz = tz.replace(":", "")
            sign = 1 if tz[0] == "+" else -1
            dt = dt.replace(tzinfo=timezone(sign * timedelta(hours=int(tz[1:3]), minutes=int(tz[3:5]))))
        return dt.astimezone(TZ)
    return dt.replace(tzinfo=TZ)


def iso(dt: datetime | None) -> str | None:
    return dt.astimezone(TZ).isoformat(timespec="seconds") if dt else None


def has_time(text: str) -> bool:
    return bool(TIME_RE.search(fold(text)))


def is_date_line(text: str) -> bool:
    """A line made of a date (and time, weekday, 'Cập nhật', views…) only."""
    f = fold(text)
    if not DATE_RE.search(f) or len(f) > 120:
        return False
    lx = _lex()
    rest = DATE_RE.sub(" ", f)
    rest = TIME_RE.sub(" ", rest)
    rest = lx["strip"].sub(" ", rest)
    rest = lx["weekday"].sub(" ", rest)
    rest = re.sub(r"\b(am|pm|sa|ch|gmt|utc|\+ ?7|luot xem|da xem|views?|luot doc)\b", " ", rest)
    rest = re.sub(r"[\W\d_]+", "", rest)
    return len(rest) <= 3


# --- choosing ------------------------------------------------------------------------------------

def _fetched(fetched_at) -> datetime | None:
    if not fetched_at:
        return None
    if isinstance(fetched_at, datetime):
        return fetched_at if fetched_at.tzinfo else fetched_at.replace(tzinfo=timezone.utc)
    try:
        dt = datetime.fromisoformat(str(fetched_at).replace("Z", "+00:00"))
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


def _plausible(dt, fetched) -> bool:
    if dt is None or dt.year < 1995:
        return False
    ref = fetched or datetime.now(TZ)
    return dt <= ref + timedelta(days=2)


def from_url(url: str):
    for rx in URL_RES:
        m = rx.search(url or "")
        if m:
            try:
                return datetime(int(m[1]), int(m[2]), int(m[3]), tzinfo=TZ)
            except ValueError:
                continue
    return None


def _jsonld_date(info):
    for obj in info["jsonld"]:
        value = obj.get("datePublished") or obj.get("dateCreated")
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def pick(root, info, *, url, fetched_at=None, chrome=(), main=None, title_el=None, order=None, stats=None):
    """→ (ISO string or None, element the date was read from or None)."""
    fetched = _fetched(fetched_at)
    lx = _lex()
    # 1. JSON-LD, 2. meta tags
    structured = [_jsonld_date(info)]
    structured += [info["meta"][k][0] for k in lx["meta"] if k in info["meta"]]
    chrome_set = set()
    for c in chrome:
        chrome_set.update(c.iter())
    for value in structured:
        if value:
            dt = parse(value, fetched=fetched)
            if _plausible(dt, fetched):
                # the date printed by the headline is the same date: find it, so it leaves the
                # body. It sits between the headline and the text: only that part is searched.
                scope = _common_ancestor(title_el, main) if title_el is not None else main
                seen = _text_candidates(scope if scope is not None else root, chrome_set, main, title_el, order,
                                        fetched, from_url(url), stats, any_line=True)
                el = seen[1] if seen and seen[0][:10] == iso(dt)[:10] else None
                return iso(dt), el
    # 3. <time datetime>, itemprop=datePublished: outside chrome, or in the
    #    headline's own header block (a meta/byline bar pruned as chrome for the
    #    body still dates the article; a related-posts widget's dates do not).
    def usable(el):
        return el not in chrome_set or _beside_headline(el, title_el)

    for t in root.iter("time"):
        if not usable(t):
            continue
        value = t.get("datetime") or t.get("content") or dom_text(t)
        dt = parse(collapse(value), fetched=fetched)
        if _plausible(dt, fetched):
            return iso(dt), t
    for el in root.iter():
        if is_element(el) and el.get("itemprop", "").lower() == "datepublished" and usable(el):
            dt = parse(collapse(el.get("content") or el.get("datetime") or dom_text(el)), fetched=fetched)
            if _plausible(dt, fetched):
                return iso(dt), el
    for value in info.get("time_values", ()):
        dt = parse(value, fetched=fetched)
        if _plausible(dt, fetched):
            return iso(dt), None
    # 4. date lines near the headline; a date inside a sentence (the lead's "Ngày 8/7, …" is when
    #    the meeting happened) loses to the URL's date
    url_dt = from_url(url)
    best = _text_candidates(root, chrome_set, main, title_el, order, fetched, url_dt, stats, detail=True,
                            page_years=info.get("page_years", ()))
    if best:
        value, el, date_line = best
        if date_line or not _plausible(url_dt, fetched):
            return value, el
    # 5. URL
    if _plausible(url_dt, fetched):
        return iso(url_dt), None
    return None, None


def _common_ancestor(a, b):
    """The nearest element holding both a and b (None when either is missing)."""
    if a is None or b is None:
        return None
    mine = {a, *a.iterancestors()}
    return next((x for x in (b, *b.iterancestors()) if x in mine), None)


def _beside_headline(el, title_el, levels: int = 3) -> bool:
    """True when `el` and the headline share an ancestor at most `levels` up
    from the headline, and `el` is not an item of a list."""
    if title_el is None or any(a.tag == "li" for a in el.iterancestors()):
        return False
    near = set()
    node = title_el
    for _ in range(levels):
        node = node.getparent()
        if node is None:
            break
        near.add(node)
    return any(a in near for a in el.iterancestors())


def _img_dates(main):
    """(year, month) of upload paths of the article's own images ('/uploads/2024/12/…')."""
    out = []
    if main is None:
        return out
    for img in main.iter("img"):
        m = _UPLOAD_RE.search(img.get("src") or img.get("data-src") or "")
        if m:
            out.append((int(m[1]), int(m[2])))
    return out


_YEAR_WORD = re.compile(r"\bnam\s+((?:19|20)\d{2})(?!\d)")


def _year_hints(month, url_dt, img_dates, years, own=""):
    """Years to try, best first, for a date printed without one ('Chiều 26/12'): the URL's,
    then an image uploaded in that month or the next, then full dates printed on the page
    (never the "today" banner's), then a year its own sentence names ('… tổng kết năm 2024')
    — except in January/February, when reports name the year just ended."""
    hints = []
    if url_dt:
        hints.append(url_dt.year if url_dt.month >= month else url_dt.year - 1)
    for y, m in img_dates:
        if m == month or m == month % 12 + 1:
            hints.append(y if m >= month else y - 1)
    hints.extend(years)
    if month >= 3:
        hints.extend(int(y) for y in _YEAR_WORD.findall(own))
    return tuple(dict.fromkeys(hints))


def _text_candidates(root, chrome_set, main, title_el, order, fetched, url_dt, stats=None, any_line=False,
                     detail=False, page_years=()):
    lx = _lex()
    inside = set(main.iter()) if main is not None else set()
    title_pos = order.get(title_el) if (order and title_el is not None) else None
    main_pos = order.get(main) if (order and main is not None) else None
    anchor = title_pos if title_pos is not None else main_pos
    cands = []
    for el in root.iter():
        if not is_element(el) or el in chrome_set or el.tag in ("script", "style", "title", "head", "meta"):
            continue
        text = el.text or ""
        own = text + "".join((c.tail or "") for c in el)
        # short elements: look at the whole text; else only own text at the start
        if stats is not None and stats.text.get(el, 0) > 200:
            full = own
        else:
            full = loose_text(el)
        if len(full) <= 160:
            if not DATE_RE.search(fold(full)):
                continue
            if any(is_element(c) and DATE_RE.search(fold(loose_text(c))) for c in el):
                continue  # a child carries it; judge the child
            sample = collapse(full)
        else:
            sample = own[:160]
        f = fold(sample)
        if not DATE_RE.search(f):
            continue
        cands.append((el, sample, f))
    scored = []
    years = []
    for el, sample, f in cands:
        if el not in inside and lx["weekday"].search(f) and not has_time(sample):
            continue  # a "today" banner: its year says when the page was served, not written
        m = DATE_RE.search(f)
        if m.group("y") or m.group("y3"):
            years.append(int(m.group("y") or m.group("y3")))
        elif m.group("y2") or m.group("y5"):
            years.append(int(m.group("y2") or m.group("y5")))
    years.extend(y for y in page_years if y not in years)
    img_dates = _img_dates(main)
    for el, sample, f in cands:
        m = DATE_RE.search(f)
        month = m.group("m4") or (m.group("m2") if not m.group("y2") else None)
        hints = _year_hints(int(month), url_dt, img_dates, years, f) if month else ()
        dt = parse(sample, fetched=fetched, context_years=hints)
        if not _plausible(dt, fetched):
            continue
        pos = order.get(el, 0) if order else 0
        score = 0.0
        date_line = is_date_line(sample)
        timed = has_time(sample)
        weekday = bool(lx["weekday"].search(f))
        classy = bool(tokens(el) & lx["tokens"]) or any(bool(tokens(a) & lx["tokens"]) for a in _parents(el, 2))
        if _teaser_date(el, title_el):
            score -= 5  # "Headline (25/12/2021)" in a list of other articles
        if el in inside:
            score += 3
        if date_line:
            score += 2
        if timed:
            score += 2
        if classy:
            score += 2
        if anchor is not None:
            dist = pos - anchor
            if 0 <= dist <= 25:
                score += 4 - dist / 10
            elif -8 <= dist < 0:
                score += 2
            elif dist < 0:
                score -= 3
            else:
                score -= min(3, dist / 200)
        if weekday and not timed and el not in inside:
            score -= 3  # a "today" banner
        if fetched and dt.date() == fetched.astimezone(TZ).date() and not timed and el not in inside:
            score -= 2
        if not date_line and len(sample) > 40:
            score -= 3  # a date inside a sentence ("Sáng ngày 29/11/2024, …")
            if not re.match(r"^\W*(?:" + DATE_RE.pattern + r"|\w+\s+(?:ngay\s+)?\d)", f[:40]):
                if not DATE_RE.search(f[:40]):
                    continue
        if url_dt and dt.date() == url_dt.date():
            score += 2
        scored.append((score, -pos, dt, el, date_line))
    if not scored:
        return None
    scored.sort(key=lambda s: (s[0], s[1]), reverse=True)
    score, _, dt, el, date_line = scored[0]
    if detail:
        return iso(dt), el, date_line
    return iso(dt), (el if (date_line or any_line) else None)


def _teaser_date(el, title_el=None) -> bool:
    """A date printed by a link to another article (a related list entry)."""
    for holder in (el, el.getparent()):
        if holder is None:
            continue
        for a in holder.iter("a"):
            if a is el or len((a.text_content() or "").split()) < 4:
                continue
            if title_el is not None and (a is title_el or title_el in set(a.iterancestors())
                                         or a in set(title_el.iterancestors())):
                continue  # the headline itself, linked
            return True
    return False


def _parents(el, n):
    out = []
    p = el.getparent()
    while p is not None and len(out) < n:
        out.append(p)
        p = p.getparent()
    return out
