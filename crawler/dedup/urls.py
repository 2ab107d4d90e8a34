"""One URL per article: `canonical_url(url, declared=None) -> str`.

Rules (the lists live in urls.toml next to this file):

* scheme and host are lower-cased; the default port (:80 for http, :443 for https)
  and the fragment are dropped; user info is kept as is (never seen on portals).
* "www." is NOT removed from the host: `https://www.x.vn/a` and `https://x.vn/a` stay
  different strings, because some portals serve different sites on the two names. The
  *same-site* test used for a declared canonical ignores "www." (and the mobile/AMP
  prefixes), so a page on one name declaring the other is accepted.
* the path: ";jsessionid=…"-style session path parameters and ASP.NET cookieless
  "(S(…))" segments are removed, runs of "/" collapse to one, a trailing "/" is
  removed except for the root, percent-escapes get upper-case hex and escaped
  unreserved characters (A-Z a-z 0-9 - . _ ~) are decoded.
* the query: tracking parameters (utm_*, fbclid, gclid, zarsrc, _ga, mc_cid, …) and
  session ids (jsessionid, PHPSESSID, sid, ASPSESSIONID…) are dropped by name,
  case-insensitively; the rest is sorted by (name, value) and re-encoded; an empty
  query leaves no "?".
* variants: when `declared` (the page's rel=canonical, absolute) is given and usable
  it wins, canonicalised by these same rules. It is NOT usable when it is on another
  site (host differs after dropping "www."/"m."/"amp."/"mobile.") or when it is the
  site's home page (root or a `home_paths` entry) while the fetched page is not — a
  common CMS template bug. Otherwise variant markers are stripped from the fetched URL:
  path segments /amp/, /print/, /in-bai/…, suffixes "/amp", ".amp", "/print", query
  markers amp=…, print=1|true, view=print, printable=yes, format=print (with
  Joomla's companion tmpl=component when print is present), and a leading "m." /
  "amp." / "mobile." host label (→ the bare domain, only when two labels remain:
  "m.baobacninh.vn" → "baobacninh.vn"). The mobile host maps to the *bare* domain;
  if the desktop site lives on "www." the two differ — the declared canonical, when
  the page has one, settles it.

Non-http(s) URLs and strings that do not parse are returned stripped but unchanged.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import parse_qsl, quote, urljoin, urlsplit, urlunsplit

RULES_PATH = Path(__file__).with_name("urls.toml")

_UNRESERVED = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_PCT = re.compile(r"%([0-9A-Fa-f]{2})")


@dataclass(frozen=True)
class Rules:
    tracking_names: frozenset
    tracking_prefixes: tuple
    session_names: frozenset
    session_prefixes: tuple
    session_segments: tuple          # compiled regexes
    variant_segments: frozenset
    variant_suffixes: tuple
    variant_hosts: tuple
    variant_query: dict              # name → (values frozenset, companions tuple)
    home_paths: frozenset
    ports: dict
    calendar_names: frozenset
    calendar_value: re.Pattern
    calendar_paths: tuple            # compiled regexes


@lru_cache(maxsize=4)
def load_rules(path: str | Path = RULES_PATH) -> Rules:
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    low = lambda xs: tuple(x.lower() for x in xs)  # noqa: E731
    var = data["variants"]
    return Rules(
        tracking_names=frozenset(low(data["tracking"]["names"])),
        tracking_prefixes=low(data["tracking"]["prefixes"]),
        session_names=frozenset(low(data["session"]["names"])),
        session_prefixes=low(data["session"]["prefixes"]),
        session_segments=tuple(re.compile(p, re.I) for p in data["session"].get("path_segment_patterns", [])),
        variant_segments=frozenset(low(var["path_segments"])),
        variant_suffixes=low(var["path_suffixes"]),
        variant_hosts=low(var["host_prefixes"]),
        variant_query={q["name"].lower(): (frozenset(v.lower() for v in q["values"]), low(q.get("with", [])))
                       for q in var["query"]},
        home_paths=frozenset(p.lower().rstrip("/") or "/" for p in data["declared"]["home_paths"]),
        ports={k.lower(): int(v) for k, v in data["ports"].items()},
        calendar_names=frozenset(low(data["calendar"]["query_names"])),
        calendar_value=re.compile(data["calendar"]["value_pattern"]),
        calendar_paths=tuple(re.compile(p, re.I) for p in data["calendar"]["path_patterns"]),
    )


def is_calendar_url(url: str, rules: Rules | None = None) -> bool:
    """A page of a calendar: a date-named query parameter holding a date (or
    a number), or a calendar path ending in a date (urls.toml [calendar])."""
    rules = rules or load_rules()
    parts = urlsplit(url)
    if any(name.lower() in rules.calendar_names and rules.calendar_value.match(value)
           for name, value in parse_qsl(parts.query)):
        return True
    return any(p.search(parts.path) for p in rules.calendar_paths)


def _norm_pct(s: str) -> str:
    def fix(m):
        ch = chr(int(m.group(1), 16))
        return ch if ch in _UNRESERVED else "%" + m.group(1).upper()
    return _PCT.sub(fix, s)


def _is_dropped(name: str, rules: Rules) -> bool:
    n = name.lower()
    return (n in rules.tracking_names or n.startswith(rules.tracking_prefixes)
            or n in rules.session_names or n.startswith(rules.session_prefixes))


def _strip_host_prefix(host: str, rules: Rules) -> str:
    for p in rules.variant_hosts:
        if host.startswith(p) and host.count(".") >= 2:
            return host[len(p):]
    return host


def _site(host: str, rules: Rules) -> str:
    """Host for the same-site test: lower-case, no www./m./amp./mobile. label."""
    host = host.lower()
    if host.startswith("www."):
        host = host[4:]
    return _strip_host_prefix(host, rules)


def _clean_path(path: str, rules: Rules, variants: bool) -> str:
    segs = []
    for seg in path.split("/"):
        if ";" in seg:                                    # path parameters: drop session ids
            head, *params = seg.split(";")
            kept = [p for p in params if not _is_dropped(p.split("=", 1)[0], rules)]
            seg = ";".join([head, *kept])
        if not seg:
            continue                                      # collapses "//" and the edges
        if any(rx.match(seg) for rx in rules.session_segments):
            continue
        if variants and seg.lower() in rules.variant_segments:
            continue
        segs.append(_norm_pct(seg))
    out = "/" + "/".join(segs)
    if variants:
        changed = True
        while changed and out != "/":
            changed = False
            for suf in rules.variant_suffixes:
                if out.lower().endswith(suf) and len(out) > len(suf):
                    out = out[: -len(suf)] or "/"
                    changed = True
    return out


def _clean_query(query: str, rules: Rules, variants: bool) -> str:
    pairs = parse_qsl(query, keep_blank_values=True)
    drop = set()
    if variants:
        for name, value in pairs:
            spec = rules.variant_query.get(name.lower())
            if spec and ("*" in spec[0] or value.lower() in spec[0]):
                drop.add(name.lower())
                drop.update(spec[1])
    kept = sorted((n, v) for n, v in pairs if not _is_dropped(n, rules) and n.lower() not in drop)
    return "&".join(f"{quote(n, safe='')}={quote(v, safe='')}" if v != "" else quote(n, safe="")
                    for n, v in kept)


def _canon(url: str, rules: Rules, variants: bool) -> str | None:
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower().rstrip(".")
    if variants:
        host = _strip_host_prefix(host, rules)
    netloc = host
    if parts.username:
        netloc = parts.username + (":" + parts.password if parts.password else "") + "@" + netloc
    if port is not None and port != rules.ports.get(scheme):
        netloc += f":{port}"
    path = _clean_path(parts.path, rules, variants)
    query = _clean_query(parts.query, rules, variants)
    return urlunsplit((scheme, netloc, path, query, ""))


def _is_home(url: str, rules: Rules) -> bool:
    parts = urlsplit(url)
    return (parts.path.lower().rstrip("/") or "/") in rules.home_paths and not parts.query


def canonical_url(url: str, declared: str | None = None, *, rules: Rules | None = None) -> str:
    """The canonical form of `url`; `declared` is the page's rel=canonical (absolute).

    See the module docstring for every rule. Deterministic and idempotent:
    canonical_url(canonical_url(u)) == canonical_url(u).
    """
    rules = rules or load_rules()
    fetched = _canon(url, rules, variants=False)
    if fetched is None:
        return url.strip()
    if declared and declared.strip():
        full = urljoin(url, declared.strip())
        dec = _canon(full, rules, variants=True)
        if dec is not None:
            same_site = _site(urlsplit(dec).hostname or "", rules) == _site(urlsplit(fetched).hostname or "", rules)
            home_bug = _is_home(dec, rules) and not _is_home(_canon(url, rules, variants=True) or fetched, rules)
            if same_site and not home_bug:
                return dec
    return _canon(url, rules, variants=True)


def same_site(a: str, b: str, *, rules: Rules | None = None) -> bool:
    """True when two URLs are on one site (host equal after dropping www./m./amp./mobile.)."""
    rules = rules or load_rules()
    return _site(urlsplit(a).hostname or "", rules) == _site(urlsplit(b).hostname or "", rules)
