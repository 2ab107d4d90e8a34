"""Self-check of the demo network as served: `python -m crawler.demo.check`.

Starts the servers on loopback, fetches every page in truth.json and checks
that it decodes (the windows-1258 pages too), that the body paragraphs,
captions and clutter strings are on it, and that the feed, sitemap, robots.txt
and the registry TOML are usable. Prints one line per problem; exit 1 if any.
"""

import json
import sys
import urllib.error
import urllib.request
from urllib.parse import urljoin

from crawler.demo import TRUTH_PATH
from crawler.demo.build import page_text, squash
from crawler.demo.registry import demo_registry_toml
from crawler.demo.server import serve_network
from crawler.page import decode_html
from crawler.registry import parse_registry


def fetch(url, headers=None):
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def check(port=0) -> list[str]:
    problems = []
    truth = json.loads(TRUTH_PATH.read_text(encoding="utf-8"))
    with serve_network(port=port) as net:
        for entry in truth:
            url = urljoin(net.urls[entry["site"]], entry["path"].lstrip("/"))
            status, headers, body = fetch(url)
            if status != 200:
                problems.append(f"{url}: HTTP {status}")
                continue
            text = page_text(decode_html(body, headers.get("Content-Type")))
            for p in entry["paragraphs"] + entry["captions"]:
                if squash(p) not in text:
                    problems.append(f"{url}: missing text {p[:50]!r}")
            for c in entry["clutter"]:
                if c not in text:
                    problems.append(f"{url}: clutter not on page {c!r}")
            if entry["kind"] == "article" and entry["title"] not in text:
                problems.append(f"{url}: title not on page")
        for sid, base in net.urls.items():
            status, headers, body = fetch(base + "robots.txt")
            if status != 200 or b"Disallow: /private/" not in body:
                problems.append(f"{sid}: robots.txt")
            status, _, _ = fetch(base + "no-such-page.html")
            if status != 404:
                problems.append(f"{sid}: missing page gave {status}")
            status, headers, _ = fetch(base)
            etag = headers.get("ETag")
            if fetch(base, {"If-None-Match": etag})[0] != 304:
                problems.append(f"{sid}: no 304 for a matching ETag")
        sources = parse_registry(demo_registry_toml(net.urls), "<demo>")
        for source in sources:
            for url in source.feeds + source.sitemaps + source.start_urls:
                status, headers, body = fetch(url)
                if status != 200:
                    problems.append(f"{source.id}: {url} gave {status}")
                elif b"{{ORIGIN}}" in body:
                    problems.append(f"{source.id}: {url} still has the origin placeholder")
            for url in source.feeds:
                if fetch(url)[1].get("Content-Type") != "application/rss+xml":
                    problems.append(f"{source.id}: feed content type")
            for url in source.sitemaps:
                if fetch(url)[1].get("Content-Type") != "application/xml":
                    problems.append(f"{source.id}: sitemap content type")
    return problems


def main():
    problems = check()
    for line in problems:
        print(line)
    print(f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
