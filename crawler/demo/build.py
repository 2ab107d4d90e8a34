"""Regenerate the demo portal network from the seed texts.

    python -m crawler.demo.build SEEDS_DIR [--out crawler/demo]

Inputs, all kept as data next to this file:
    sites.toml        the five portals: names, URL layout, date styles, snippets
    annotations.toml  how each seed's lines become title, body, captions, byline
    extras.toml       ordinary (unrelated) articles that fill the listings
    templates/<site>/ layout.html, home.html, listing.html, article.html,
                      page.html, optional article_head.html, pages/*.html

Outputs: sites/<site>/… (static files whose paths mirror the URLs, see
server.url_to_file), sites/network.json (serving order and HTML content
type) and truth.json (what a perfect crawler and extractor should find).
The build checks its own output: every body paragraph is on its page, every
clutter string is on the page and absent from the body, every local link
resolves.
"""

import argparse
import html
import json
import re
import shutil
import string
import sys
import tomllib
import unicodedata
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from crawler.demo.server import url_to_file

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"

WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")

DATE_STYLES = {
    "capnhat": lambda d: f"Cập nhật lúc {d:%H:%M} ngày {d.day}/{d.month}/{d.year}",
    "paren_dmy": lambda d: f"({d:%d/%m/%Y})",
    "thu_dmy_hm": lambda d: f"{WEEKDAYS[d.weekday()]}, {d:%d/%m/%Y - %H:%M}",
    "dmy_hm": lambda d: f"{d:%d/%m/%Y %H:%M}",
    "dmy": lambda d: f"{d:%d/%m/%Y}",
    "ttxvn": lambda d: f"{WEEKDAYS[d.weekday()]}, {d:%d/%m/%Y %H:%M} (GMT+7)",
    "ampm": lambda d: f"{d:%d/%m/%Y %I:%M:%S %p}",
    "ngaydang_dash": lambda d: f"Ngày đăng: {d:%d-%m-%Y}",
    "dash_dmy": lambda d: f"{d:%d-%m-%Y}",
}

CP1258_META = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1258">'
UTF8_META = '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
GIF = (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00"
       b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")
PLACEHOLDERS = {".gif": GIF, ".css": b"/* demo portal stylesheet */\n", ".js": b"/* demo portal script */\n"}
TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
MIN_EXTRA_WORDS = 150


class BuildError(RuntimeError):
    pass


# ------------------------------------------------------------------ helpers

def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def esc(text: str) -> str:
    return html.escape(text, quote=False)


def attr(text: str) -> str:
    return html.escape(text, quote=True)


def fill(template: str, **values) -> str:
    return string.Template(template).substitute(values)


def template(site: str, name: str) -> str | None:
    path = TEMPLATES / site / name
    return path.read_text(encoding="utf-8") if path.exists() else None


def encode_cp1258(text: str) -> bytes:
    """Windows-1258 the way Vietnamese Windows software writes it.

    cp1258 has the base letters â ê ô ơ ư ă đ precomposed but the five tone
    marks only as combining characters, so each character is split into its
    toneless form plus a trailing tone mark. Characters outside the code page
    become numeric character references.
    """
    out = bytearray()
    for ch in nfc(text):
        decomposed = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in decomposed if c in TONE_MARKS)
        base = nfc("".join(c for c in decomposed if c not in TONE_MARKS))
        out += base.encode("cp1258", errors="xmlcharrefreplace") if tones else ch.encode("cp1258", errors="xmlcharrefreplace")
        out += tones.encode("cp1258")
    return bytes(out)


def page_text(markup: str) -> str:
    """Visible text of a page, whitespace collapsed (for the self-checks)."""
    import lxml.html

    doc = lxml.html.fromstring(markup)
    for bad in doc.xpath("//script|//style|//head"):
        bad.drop_tree()
    return squash(doc.text_content())


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", nfc(text)).strip()


def summary(text: str, words: int = 28) -> str:
    parts = text.split()
    return text if len(parts) <= words else " ".join(parts[:words]) + "..."


def when(article: dict) -> datetime:
    return datetime.fromisoformat(article["published"])


# ------------------------------------------------------------------ articles

def seed_article(seed_text: str, ann: dict, sites: dict) -> dict:
    """One seed + its annotation → an article: blocks of ('p', text) / ('fig', caption)."""
    roles = {}
    for role in ("title_lines", "chrome_lines", "caption_lines", "byline_lines"):
        for line in ann.get(role, []):
            roles[squash(line)] = role
    used = set()
    blocks = []
    for raw in seed_text.splitlines():
        line = nfc(raw.strip())
        if not line:
            continue
        role = roles.get(squash(line))
        if role:
            used.add(squash(line))
        if role == "caption_lines":
            blocks.append(("fig", line))
        elif role is None:
            blocks.append(("p", line))
    missing = set(roles) - used
    if missing:
        raise BuildError(f"seed {ann['id']}: annotated line not found: {sorted(missing)[0]!r}")
    end_mark = ann.get("end_mark", "")
    if end_mark:
        last = max(i for i, (kind, _) in enumerate(blocks) if kind == "p")
        text = blocks[last][1]
        if not text.endswith(end_mark):
            raise BuildError(f"seed {ann['id']}: last paragraph does not end with {end_mark!r}")
        blocks[last] = ("p", text[: -len(end_mark)].rstrip())
    for caption in ann.get("extra_captions", []):
        blocks.insert(1, ("fig", caption))
    return {
        "site": ann["site"], "path": ann["path"], "title": ann["title"],
        "published": ann["published"], "published_precision": ann.get("published_precision", "minute"),
        "author": ann.get("author"), "origin": ann.get("origin"), "category": ann["category"],
        "location": ann.get("location", ""), "lead": ann.get("lead", sites[ann["site"]]["sapo"]),
        "blocks": blocks, "end_mark": end_mark, "credit": None, "seed": ann["id"],
        "tags": ann.get("tags", [ann["category"]]), "chrome_lines": ann.get("chrome_lines", []),
    }


def republished(original: dict, rep: dict, sites: dict) -> dict:
    copy = dict(original)
    copy.update(site=rep["site"], path=rep["path"], published=rep["published"], location="",
                lead=rep.get("lead", sites[rep["site"]]["sapo"]), credit=rep.get("credit"),
                chrome_lines=[], duplicate_of={"site": original["site"], "path": original["path"]})
    return copy


def extra_article(ext: dict, sites: dict) -> dict:
    paragraphs = [nfc(p) for p in ext["paragraphs"]]
    words = sum(len(p.split()) for p in paragraphs)
    if words < MIN_EXTRA_WORDS:
        raise BuildError(f"extra article {ext['path']}: {words} words, want at least {MIN_EXTRA_WORDS}")
    blocks = [("p", p) for p in paragraphs]
    if ext.get("caption"):
        blocks.insert(1, ("fig", nfc(ext["caption"])))
    return {
        "site": ext["site"], "path": ext["path"], "title": nfc(ext["title"]),
        "published": ext["published"], "published_precision": ext.get("published_precision", "minute"),
        "author": ext.get("author"), "origin": ext.get("origin"), "category": ext["category"],
        "location": ext.get("location", ""), "lead": ext.get("lead", sites[ext["site"]]["sapo"]),
        "blocks": blocks, "end_mark": "", "credit": None, "seed": None,
        "tags": ext.get("tags", [ext["category"]]), "chrome_lines": [],
    }


def paragraphs(article: dict) -> list[str]:
    return [t for kind, t in article["blocks"] if kind == "p"]


def captions(article: dict) -> list[str]:
    return [t for kind, t in article["blocks"] if kind == "fig"]


# ------------------------------------------------------------------ rendering

class SiteBuilder:
    def __init__(self, sid: str, conf: dict, articles: list[dict], out: Path):
        self.sid, self.conf, self.out = sid, conf, out
        self.snip = conf["snippets"]
        self.articles = sorted(articles, key=when, reverse=True)
        self.files: dict[str, bytes] = {}  # rel file → bytes
        self.truth: list[dict] = []
        self.texts: dict[str, str] = {}  # url path → visible text

    # -- pieces
    def date(self, article, style_key="article_date"):
        return DATE_STYLES[self.conf[style_key]](when(article))

    def image_src(self, article, n):
        d = when(article)
        item_id = article["path"].rstrip("/").rsplit(".", 1)[0].rsplit("-", 1)[-1]
        return f"/uploads/{d:%Y/%m/%d}/{item_id}_{n}.gif"

    def item(self, article):
        figs = [i for i, (k, _) in enumerate(article["blocks"]) if k == "fig"]
        thumb = self.image_src(article, 1) if figs else "/uploads/no-image.gif"
        return fill(self.snip["item"], href=attr(article["path"]), title=esc(article["title"]),
                    date=esc(self.date(article, "list_date")), summary=esc(summary(paragraphs(article)[0])),
                    thumb=thumb)

    def related(self, article):
        others = [a for a in self.articles if a["path"] != article["path"]][:3]
        return "\n".join(fill(self.snip["related_item"], href=attr(a["path"]), title=esc(a["title"]),
                              date=esc(self.date(a, "list_date"))) for a in others)

    def layout(self, head_title, main, head_extra="", charset_meta=UTF8_META):
        return fill(template(self.sid, "layout.html"), head_title=esc(head_title), head_extra=head_extra,
                    main=main, charset_meta=charset_meta)

    def emit(self, url_path, markup, truth, encoding="utf-8"):
        path, _, query = url_path.partition("?")
        rel = url_to_file(path, query)
        if rel in self.files:
            raise BuildError(f"{self.sid}: two pages for {rel}")
        self.files[rel] = encode_cp1258(markup) if encoding == "windows-1258" else nfc(markup).encode("utf-8")
        self.texts[url_path] = page_text(markup)
        entry = {"site": self.sid, "path": url_path, "kind": truth.pop("kind"), "title": truth.pop("title"),
                 "published": None, "published_precision": None, "author": None, "origin": None,
                 "captions": [], "paragraphs": [], "clutter": [], "charset": encoding}
        entry.update(truth)
        self.truth.append(entry)

    def clutter(self, url_path, body, extra=()):
        text = self.texts[url_path]
        folded = [p.casefold() for p in body]
        keep = []
        for s in [*self.conf["clutter"], *extra]:
            s = squash(s)
            if s and s in text and not any(s.casefold() in p for p in folded) and s not in keep:
                keep.append(s)
        return keep

    # -- pages
    def article_page(self, a):
        s = self.snip
        blocks = list(a["blocks"])
        lead_html = ""
        if a["lead"]:
            if blocks[0][0] != "p":
                raise BuildError(f"{a['path']}: the sapo must be the first block")
            lead_html = fill(s["lead"], text=esc(blocks.pop(0)[1]))
        last_p = max((i for i, (k, _) in enumerate(blocks) if k == "p"), default=None)
        parts, n = [], 0
        for i, (kind, text) in enumerate(blocks):
            if kind == "fig":
                n += 1
                parts.append(fill(s["figure"], src=self.image_src(a, n), caption=attr(text)))
            else:
                printed = text + (a["end_mark"] if i == last_p and a["end_mark"] else "")
                parts.append(fill(s["para"], text=esc(printed)))
        if not a["lead"] and a["end_mark"] and last_p is None:
            raise BuildError(f"{a['path']}: end mark without a paragraph")
        body = s["joiner"].join(parts)
        listing = self.conf["listing"]["path"]
        values = dict(title=esc(a["title"]), date=esc(self.date(a)), lead=lead_html, body=body,
                      byline=fill(s["byline"], author=esc(a["author"])) if a["author"] else "",
                      credit=fill(s["credit"], credit=esc(a["credit"])) if a["credit"] else "",
                      category=esc(a["category"]), category_href=listing, location=esc(a["location"]),
                      related=self.related(a), path=a["path"],
                      tags=", ".join(f'<span class="tag">{esc(t)}</span>' for t in a["tags"]))
        head = template(self.sid, "article_head.html")
        head_extra = ""
        if head:
            head_extra = fill(head, path=a["path"], title=attr(a["title"]), iso=a["published"],
                              category=attr(a["category"]), description=attr(summary(paragraphs(a)[0], 40)),
                              jsonld=self.jsonld(a))
        main = fill(template(self.sid, "article.html"), **values)
        head_title = fill(self.conf["title_format"], title=a["title"], site_name=self.conf["name"])
        encoding = "windows-1258" if self.conf["charset"] == "windows-1258" else "utf-8"
        markup = self.layout(head_title, main, head_extra, CP1258_META if encoding != "utf-8" else UTF8_META)
        text = page_text(markup)
        body_paras = paragraphs(a)
        for p in body_paras + captions(a) + [a["title"]]:
            if squash(p) not in text:
                raise BuildError(f"{self.sid}{a['path']}: text not on the page: {p[:60]!r}")
        for line in a["chrome_lines"]:
            if squash(line) not in text:
                raise BuildError(f"{self.sid}{a['path']}: seed chrome line not on the page: {line!r}")
        extra = [*a["chrome_lines"], *([a["author"]] if a["author"] else []), *([a["credit"]] if a["credit"] else [])]
        truth = {"kind": "article", "title": a["title"], "published": a["published"],
                 "published_precision": a["published_precision"], "author": a["author"], "origin": a["origin"],
                 "captions": captions(a), "paragraphs": body_paras,
                 "relevant": bool(a["seed"])}  # an inspection/supervision review, or ordinary news
        if a["seed"]:
            truth["seed"] = a["seed"]
        if a.get("duplicate_of"):
            truth["duplicate_of"] = a["duplicate_of"]
        self.emit(a["path"], markup, truth, encoding)
        self.truth[-1]["clutter"] = self.clutter(a["path"], body_paras, extra)

    def jsonld(self, a):
        data = {
            "@context": "https://schema.org", "@type": "NewsArticle", "headline": a["title"],
            "datePublished": a["published"], "dateModified": a["published"],
            "author": {"@type": "Person", "name": a["author"]} if a["author"] else None,
            "publisher": {"@type": "Organization", "name": self.conf["name"]},
            "mainEntityOfPage": "{{ORIGIN}}" + a["path"], "articleSection": a["category"],
        }
        return json.dumps({k: v for k, v in data.items() if v is not None}, ensure_ascii=False, indent=2)

    def home(self):
        items = "\n".join(self.item(a) for a in self.articles[:4])
        markup = self.layout(self.conf["name"], fill(template(self.sid, "home.html"), items=items))
        self.emit("/", markup, {"kind": "listing", "title": self.conf["name"],
                                "links": [a["path"] for a in self.articles[:4]]})
        self.truth[-1]["clutter"] = self.clutter("/", [])

    def page_url(self, n):
        listing = self.conf["listing"]
        if n == 1:
            return listing["path"]
        if self.conf["paging"] == "query":
            return f"{listing['path']}?page={n}"
        return listing["page_path"].replace("$n", str(n))

    def listings(self):
        listing = self.conf["listing"]
        size = listing["page_size"]
        chunks = [self.articles[i:i + size] for i in range(0, len(self.articles), size)]
        if not 2 <= len(chunks) <= 3:
            raise BuildError(f"{self.sid}: {len(chunks)} listing pages, want 2 or 3")
        for n, chunk in enumerate(chunks, 1):
            pager = []
            for m in range(1, len(chunks) + 1):
                key = "pager_current" if m == n else "pager_link"
                pager.append(fill(self.snip[key], href=attr(self.page_url(m)), label=str(m)))
            if n < len(chunks):
                pager.append(fill(self.snip["pager_link"], href=attr(self.page_url(n + 1)), label="Sau »"))
            heading = listing["title"] + (f" - Trang {n}" if n > 1 else "")
            main = fill(template(self.sid, "listing.html"), heading=esc(heading),
                        items="\n".join(self.item(a) for a in chunk), pager=" ".join(pager))
            url = self.page_url(n)
            self.emit(url, self.layout(f"{heading} - {self.conf['name']}", main),
                      {"kind": "listing", "title": listing["title"], "page": n,
                       "links": [a["path"] for a in chunk]})
            self.truth[-1]["clutter"] = self.clutter(url, [])

    def pages(self):
        for page in self.conf["pages"]:
            content = template(self.sid, f"pages/{page['fragment']}.html")
            if content is None:
                raise BuildError(f"{self.sid}: missing templates/{self.sid}/pages/{page['fragment']}.html")
            main = fill(template(self.sid, "page.html"), heading=esc(page["title"]), content=content)
            self.emit(page["path"], self.layout(f"{page['title']} - {self.conf['name']}", main),
                      {"kind": page["kind"], "title": page["title"]})
            self.truth[-1]["clutter"] = self.clutter(page["path"], [])

    def robots(self):
        lines = ["User-agent: *", *(f"Disallow: {p}" for p in self.conf["robots_disallow"]), ""]
        if self.conf.get("sitemap"):
            lines.append(f"Sitemap: {{{{ORIGIN}}}}{self.conf['sitemap']}")
        self.files["robots.txt"] = ("\n".join(lines) + "\n").encode()

    def feed(self):
        if not self.conf.get("feed"):
            return
        items = []
        for a in self.articles:
            link = "{{ORIGIN}}" + a["path"]
            items.append(
                "  <item>\n"
                f"    <title>{xml_escape(a['title'])}</title>\n"
                f"    <link>{link}</link>\n"
                f"    <guid isPermaLink=\"true\">{link}</guid>\n"
                f"    <description>{xml_escape(summary(paragraphs(a)[0], 40))}</description>\n"
                f"    <pubDate>{format_datetime(when(a))}</pubDate>\n"
                f"    <category>{xml_escape(a['category'])}</category>\n"
                "  </item>")
        xml = ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0">\n<channel>\n'
               f"  <title>{xml_escape(self.conf['name'])}</title>\n  <link>{{{{ORIGIN}}}}/</link>\n"
               "  <description>Tin mới nhất</description>\n  <language>vi</language>\n"
               + "\n".join(items) + "\n</channel>\n</rss>\n")
        self.files[url_to_file(self.conf["feed"])] = xml.encode("utf-8")

    def sitemap(self):
        if not self.conf.get("sitemap"):
            return
        urls = "\n".join(
            f"  <url><loc>{{{{ORIGIN}}}}{a['path']}</loc><lastmod>{a['published']}</lastmod></url>"
            for a in self.articles)
        xml = ('<?xml version="1.0" encoding="UTF-8"?>\n'
               '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + urls + "\n</urlset>\n")
        self.files[url_to_file(self.conf["sitemap"])] = xml.encode("utf-8")

    def assets(self):
        """Placeholder images, CSS and JS for every local asset the pages refer to; other links must resolve."""
        refs = set()
        for rel, data in list(self.files.items()):
            if not rel.endswith((".html", ".htm")):
                continue
            text = data.decode("utf-8" if b"windows-1258" not in data[:600] else "cp1258")
            refs.update(re.findall(r'(?:href|src)="(/[^"#]*)"', text))
        for ref in sorted(refs):
            path, _, query = ref.partition("?")
            if ref.startswith("//"):
                continue
            if url_to_file(path, query) in self.files or url_to_file(path) in self.files:
                continue
            ext = "." + path.rsplit(".", 1)[-1]
            if ext in PLACEHOLDERS:
                self.files[url_to_file(path)] = PLACEHOLDERS[ext]
            elif not (path.endswith("/") and url_to_file(path) in self.files):
                raise BuildError(f"{self.sid}: broken local link {ref}")

    def build(self):
        self.home()
        self.listings()
        for a in self.articles:
            self.article_page(a)
        self.pages()
        self.robots()
        self.feed()
        self.sitemap()
        self.assets()
        root = self.out / self.sid
        for rel, data in sorted(self.files.items()):
            dest = root / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(data)


# ------------------------------------------------------------------ main

def load_toml(name: str) -> dict:
    return tomllib.loads((HERE / name).read_text(encoding="utf-8"))


def build(seeds_dir: Path, out: Path = HERE) -> list[dict]:
    sites = load_toml("sites.toml")["site"]
    annotations = load_toml("annotations.toml")["seed"]
    extras = load_toml("extras.toml")["article"]
    by_site: dict[str, list[dict]] = {sid: [] for sid in sites}
    for ann in annotations:
        found = sorted(seeds_dir.glob(f"{ann['id']}_*.txt")) or sorted(seeds_dir.glob(f"{ann['id']}.txt"))
        if not found:
            raise BuildError(f"no seed file {ann['id']}_*.txt in {seeds_dir}")
        article = seed_article(found[0].read_text(encoding="utf-8"), ann, sites)
        by_site[article["site"]].append(article)
        for rep in ann.get("republish", []):
            by_site[rep["site"]].append(republished(article, rep, sites))
    for ext in extras:
        by_site[ext["site"]].append(extra_article(ext, sites))

    sites_out = out / "sites"
    if sites_out.exists():
        shutil.rmtree(sites_out)
    sites_out.mkdir(parents=True)
    truth = []
    order = sorted(sites, key=lambda sid: sites[sid]["order"])
    for sid in order:
        builder = SiteBuilder(sid, sites[sid], by_site[sid], sites_out)
        builder.build()
        truth.extend(builder.truth)
    network = {"sites": [{"id": sid, "html_content_type": "text/html" if sites[sid]["charset"] != "utf-8"
                          else "text/html; charset=utf-8"} for sid in order]}
    (sites_out / "network.json").write_text(json.dumps(network, indent=2) + "\n", encoding="utf-8")
    (out / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return truth


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("seeds_dir", type=Path)
    parser.add_argument("--out", type=Path, default=HERE, help="where sites/ and truth.json go (default: beside this file)")
    args = parser.parse_args(argv)
    try:
        truth = build(args.seeds_dir, args.out)
    except BuildError as exc:
        print(f"build: {exc}", file=sys.stderr)
        return 1
    kinds = {}
    for entry in truth:
        kinds[entry["kind"]] = kinds.get(entry["kind"], 0) + 1
    print(f"built {len({e['site'] for e in truth})} sites, {len(truth)} pages "
          + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) + f" → {args.out / 'sites'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
