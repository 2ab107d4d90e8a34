"""Build the labelled extraction corpus (tests/corpus/extraction) from data files.

    python -m crawler.evaluate.build_extraction_corpus [--out DIR]

Inputs, all in crawler/evaluate/corpus_templates/:

    articles.toml   article bodies (title, paragraphs, photos with captions)
    sites.toml      portal chrome per site (menus, counters, footers, clutter strings)
    pages.toml      one entry per page: article × site, date/byline/origin/charset variant
    <style>.html.j2 one Jinja2 page template per portal style (not the demo network's styles)

Outputs: DIR/pages/<style>-<n>.html and DIR/truth.json, a list of
    {file, url, style, site, charset, nfd, title, published (ISO 8601 +07:00),
     published_precision ("day": compare the date only | "minute"), author, origin,
     captions [...], paragraphs [...] (the clean body, lead included; no captions,
     byline, origin line or end mark), clutter [...] (page strings that must not
     appear in the extracted text; none of them occurs in the body)}.
The build is deterministic and checks its own output: every truth paragraph, caption and
clutter string must be visible on the page, and no clutter string may occur in the body.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import re
import sys
import tomllib
import unicodedata
from datetime import date, datetime, timedelta
from pathlib import Path

import jinja2
from lxml import html as lxml_html
from markupsafe import Markup, escape

HERE = Path(__file__).resolve().parent
DATA = HERE / "corpus_templates"
DEFAULT_OUT = HERE.parent.parent / "tests" / "corpus" / "extraction"

WEEKDAYS = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"]

# name -> (needs a time?, formatter)
DATE_FORMS = {
    "capnhat": (True, lambda d: f"Cập nhật lúc {d:%H:%M} ngày {d:%d/%m/%Y}"),
    "capnhat_colon": (True, lambda d: f"Cập nhật: {d:%d/%m/%Y %H:%M}"),
    "thu_dash": (True, lambda d: f"{WEEKDAYS[d.weekday()]}, {d:%d/%m/%Y - %H:%M}"),
    "ampm": (True, lambda d: f"{d:%d/%m/%Y %I:%M:%S %p}"),
    "dmy_hm": (True, lambda d: f"{d:%d/%m/%Y %H:%M}"),
    "dmy_pipe": (True, lambda d: f"{d:%d/%m/%Y | %H:%M}"),
    "gmt7": (True, lambda d: f"{WEEKDAYS[d.weekday()]}, {d:%d/%m/%Y, %H:%M} (GMT+7)"),
    "joomla": (True, lambda d: f"Được đăng: {WEEKDAYS[d.weekday()].lower()}, {d.day} Tháng {d.month} {d.year} {d:%H:%M}"),
    "ngaydang": (False, lambda d: f"Ngày đăng: {d:%d-%m-%Y}"),
    "long": (False, lambda d: f"ngày {d.day} tháng {d.month} năm {d.year}"),
    "dmy": (False, lambda d: f"{d:%d/%m/%Y}"),
    "thu_comma": (False, lambda d: f"{WEEKDAYS[d.weekday()]}, {d:%d/%m/%Y}"),
}

# The "today" banner each style prints (a different date from the article's).
TODAY_FORMS = {
    "dnn": lambda d: f"{WEEKDAYS[d.weekday()]}, ngày {d:%d/%m/%Y}",
    "sharepoint": lambda d: f"{WEEKDAYS[d.weekday()]}, {d:%d/%m/%Y}",
    "joomla": lambda d: f"{WEEKDAYS[d.weekday()].lower()}, {d.day}/{d.month}/{d.year}",
    "liferay": lambda d: f"{WEEKDAYS[d.weekday()]}, ngày {d.day} tháng {d.month} năm {d.year}",
    "bignews": lambda d: f"{WEEKDAYS[d.weekday()]}, {d.day}/{d.month}/{d.year}",
    "legacy": lambda d: f"Hôm nay: {WEEKDAYS[d.weekday()].lower()}, {d:%d/%m/%Y}",
}

TAGS = {
    "ktgs": ["Công tác kiểm tra", "Ủy ban Kiểm tra", "Xây dựng Đảng"],
    "local": ["Dân sinh", "Tin địa phương", "Nông thôn mới"],
}

_MARKS_KEEP = {"\u0302", "\u0306", "\u031b"}  # circumflex, breve, horn: precomposed in cp1258


def slugify(text: str) -> str:
    s = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip().casefold()


def encode_cp1258(text: str) -> bytes:
    """Windows-1258 as old Vietnamese sites wrote it: base letters (â, ê, ơ…) precomposed,
    tone marks as separate combining characters when no precomposed form exists."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", parts[0] + "".join(m for m in parts[1:] if m in _MARKS_KEEP))
        tones = "".join(m for m in parts[1:] if m not in _MARKS_KEEP)
        out += (base + tones).encode("cp1258")  # raises if truly unencodable: a bug in the data
    return bytes(out)


def _det(seed: str, n: int = 8) -> bytes:
    return hashlib.sha256(seed.encode()).digest()[:n]


def _det_int(seed: str, lo: int, hi: int) -> int:
    return lo + int.from_bytes(_det(seed, 4), "big") % (hi - lo)


def article_url(style: str, site: dict, title: str, pid: int, n: int) -> str:
    host, slug = site["host"], slugify(title)
    return {
        "dnn": f"https://{host}/tin-tuc/tabid/{60 + n}/ArticleID/{pid}/{slug}.aspx",
        "sharepoint": f"https://{host}/tintuc/Pages/chi-tiet-tin.aspx?ItemID={pid}",
        "wordpress": f"https://{host}/{slug}/",
        "joomla": f"https://{host}/index.php/tin-tuc-su-kien/{pid}-{slug}",
        "liferay": f"https://{host}/web/guest/-/{slug}",
        "bignews": f"https://{host}/chinh-tri/{slug}-post{pid}.html",
        "amp": f"https://{host}/amp/{slug}-{pid}.html",
        "legacy": f"https://{host}/tintuc/chitiet.asp?ID={pid}",
    }[style]


def load():
    articles = {a["id"]: a for a in tomllib.loads((DATA / "articles.toml").read_text("utf-8"))["article"]}
    sites = tomllib.loads((DATA / "sites.toml").read_text("utf-8"))["site"]
    pages = tomllib.loads((DATA / "pages.toml").read_text("utf-8"))["page"]
    return articles, sites, pages


def visible_text(doc: str) -> str:
    tree = lxml_html.document_fromstring(doc)
    for el in tree.xpath("//script|//style|//noscript|//head"):
        el.getparent().remove(el)
    return " ".join(tree.itertext())


def build_page(i, spec, articles, sites, env):
    site = sites[spec["site"]]
    style = site["style"]
    assert spec["id"].startswith(style + "-"), spec["id"]
    n = int(spec["id"].rsplit("-", 1)[1])
    art = articles[spec["article"]]
    pid = 31000 + i * 137
    event = date.fromisoformat(art["event"])

    # published: a day or a minute, local time (+07:00)
    pub_s = spec["published"]
    day_only = "T" not in pub_s
    pub = datetime.fromisoformat(pub_s if not day_only else pub_s + "T00:00")
    assert pub.date() >= event, (spec["id"], "published before the event")
    form = spec.get("date_form", "none")
    if form != "none":
        needs_time, fmt = DATE_FORMS[form]
        # a time needs a printed time or a <meta>; a printed time needs a time
        assert not (needs_time and day_only) and (needs_time or day_only or spec.get("meta")), \
            (spec["id"], form, "date form and precision disagree")
        date_display = fmt(pub)
    else:
        date_display = None
    meta_iso = pub.isoformat(timespec="seconds") + "+07:00" if spec.get("meta") else None
    if spec.get("meta"):
        assert not day_only, (spec["id"], "meta dates carry a time")

    # body
    when = spec.get("when") or f"Ngày {event.day}/{event.month}"
    paragraphs = [p.replace("{when}", when) for p in art["paragraphs"]]
    assert "{when}" not in "".join(paragraphs)
    assert 4 <= len(paragraphs) <= 12
    images = [] if spec.get("images") is False else art.get("images", [])
    author = spec.get("author")
    author_display = spec.get("author_display", author)
    byline = spec.get("byline", "none") if author else "none"
    origin_display = spec.get("origin_display")

    blocks = []
    for k, p in enumerate(paragraphs):
        h = escape(p)
        if k == 0 and byline == "top-pipe":
            h = Markup("<strong>") + escape(author_display) + Markup(" |</strong> ") + h
        if k == len(paragraphs) - 1 and spec.get("end_mark"):
            h = h + Markup("/.")
        blocks.append({"kind": "p", "html": h})
        for j, img in enumerate(x for x in images if x["after"] == k):
            blocks.append({"kind": "img", "caption": img["caption"],
                           "src": f"https://{site['host']}/uploads/{event:%Y/%m}/{pid}-{k}{j}.jpg"})
    lead, rest = blocks[0]["html"], blocks[1:]

    url = spec.get("url", "").replace("{pid}", str(pid)) or article_url(style, site, art["title"], pid, n)
    if spec.get("print"):
        url += f"?p_p_state=pop_up&_56_INSTANCE_x{pid}_viewMode=print"
    canonical = url.replace("/amp/", "/") if style == "amp" else url.split("?p_p_state")[0]
    path = "/" + url.split("/", 3)[3]

    # related items: other articles, dated before this one
    others = [a for a in articles.values() if a["id"] != art["id"]]
    start = _det_int(spec["id"], 0, len(others))
    related = []
    for k in range(4):
        o = others[(start + k * 5) % len(others)]
        rd = pub - timedelta(days=1 + k * 3)
        related.append({"title": o["title"], "date": f"{rd:%d/%m/%Y}",
                        "href": article_url(style, site, o["title"], pid - 11 * (k + 1), n)})
    kind = "ktgs" if any(w in art["title"] for w in ("kiểm tra", "giám sát", "Kiểm tra", "kỷ luật")) else "local"
    tags = TAGS[kind]

    today = None
    if spec.get("today"):
        t = date.fromisoformat(spec["today"])
        assert t != pub.date()
        today = TODAY_FORMS.get(style, TODAY_FORMS["dnn"])(t)

    jsonld = None
    if spec.get("jsonld"):
        obj = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": art["title"],
               "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
               "image": [f"https://{site['host']}/images/share/{pid}.jpg"]}
        if spec["jsonld"] == "full":
            obj["datePublished"] = meta_iso
            obj["dateModified"] = meta_iso
        obj["author"] = ({"@type": "Person", "name": author} if author
                         else {"@type": "Organization", "name": site["name"]})
        obj["publisher"] = {"@type": "Organization", "name": site["name"],
                            "logo": {"@type": "ImageObject", "url": f"https://{site['host']}/logo.png"}}
        jsonld = Markup(json.dumps(obj, ensure_ascii=False))

    charset = spec.get("charset", "utf-8")
    ctx = dict(
        site=site, title=art["title"], url=url, canonical=canonical, path=path, pid=pid, n=n, variant=n,
        description=paragraphs[0][:160], date_display=date_display, meta_iso=meta_iso,
        modified_iso=meta_iso, author_display=author_display, byline=byline, origin_display=origin_display,
        lead=lead, rest=rest, blocks=blocks, related=related, tags=tags, today=today, jsonld=jsonld,
        views=_det_int(spec["id"] + "v", 120, 4800), print=bool(spec.get("print")),
        mid=400 + 17 * n, instance=base64.b32encode(_det(spec["id"], 5)).decode().rstrip("="),
        viewstate=base64.b64encode(_det(spec["id"] + "vs", 96) * 3).decode(),
        digest_date=f"{(today and pub + timedelta(days=3)) or pub:%d %b %Y %H:%M:%S} -0000",
        charset_label="windows-1258" if charset == "windows-1258" else "utf-8",
    )
    doc = env.get_template(f"{style}.html.j2").render(**ctx)
    if spec.get("nfd"):
        doc = unicodedata.normalize("NFD", doc)
    data = encode_cp1258(doc) if charset == "windows-1258" else doc.encode("utf-8")

    # ---- truth + self-checks
    decoded = unicodedata.normalize("NFC", data.decode("cp1258" if charset == "windows-1258" else "utf-8"))
    assert decoded == unicodedata.normalize("NFC", doc), spec["id"]
    page_text = norm(visible_text(decoded))
    body = norm("\n".join(paragraphs))
    captions = [b["caption"] for b in blocks if b["kind"] == "img"]
    for s in [art["title"], *paragraphs, *captions]:
        assert norm(s) in page_text, (spec["id"], "not visible", s[:60])
    candidates = list(site["clutter"])
    if today:
        candidates += [today, *re.findall(r"\d+/\d+/\d{4}", today)]
    candidates += [r["title"] for r in related] + tags
    if byline != "none":
        candidates.append(author_display)
    if origin_display:
        candidates.append(origin_display)
    clutter, seen = [], set()
    for c in candidates:
        k = norm(c)
        if k in seen or k not in page_text or k in body or any(k in norm(x) for x in captions):
            continue
        seen.add(k)
        clutter.append(c)
    truth = {
        "file": f"pages/{spec['id']}.html",
        "url": url,
        "style": style,
        "site": spec["site"],
        "charset": charset,
        "nfd": bool(spec.get("nfd")),
        "title": art["title"],
        "published": pub.isoformat(timespec="seconds") + "+07:00",
        "published_precision": "day" if day_only else "minute",
        "author": author,
        "origin": spec.get("origin"),
        "captions": captions,
        "paragraphs": paragraphs,
        "clutter": clutter,
    }
    return data, truth


def build(out: Path) -> list[dict]:
    articles, sites, pages = load()
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(DATA)), autoescape=True,
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    (out / "pages").mkdir(parents=True, exist_ok=True)
    truths = []
    ids = [p["id"] for p in pages]
    assert len(ids) == len(set(ids))
    for i, spec in enumerate(pages):
        data, truth = build_page(i, spec, articles, sites, env)
        (out / truth["file"]).write_bytes(data)
        truths.append(truth)
    (out / "truth.json").write_text(json.dumps(truths, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return truths


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)
    truths = build(args.out)
    styles = sorted({t["style"] for t in truths})
    print(f"{len(truths)} pages, {len(styles)} styles ({', '.join(styles)}) -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
