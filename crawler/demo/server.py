"""Serve the demo portal network on loopback: one HTTP server per site.

    with serve_network(port=0) as net:
        net.urls  # {"haiduong": "http://127.0.0.21:43123/", ...}

Site i (in the order of sites/network.json) listens on 127.0.0.(first_octet + i),
so every portal has its own host. Files under sites/<id>/ mirror URL paths:
a directory URL is served from index.html, and a query string is part of
the file name (`/x/?page=2` → x/index@page=2.html; an unknown query falls
back to the page without it, as most portals do). The text `{{ORIGIN}}` in
text files is replaced by the site's own origin, so sitemaps and feeds can
carry absolute URLs whatever port the server got.
"""

import email.utils
import hashlib
import json
import posixpath
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

DEFAULT_SITES_DIR = Path(__file__).resolve().parent / "sites"
ORIGIN_PLACEHOLDER = b"{{ORIGIN}}"

_TYPES = {
    ".html": None,  # the site's HTML type (charset or not)
    ".htm": None,
    ".txt": "text/plain; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "application/javascript; charset=utf-8",
    ".json": "application/json",
    ".gif": "image/gif",
    ".jpg": "image/jpeg",
    ".png": "image/png",
    ".ico": "image/x-icon",
}
_TEXT_PREFIXES = ("text/", "application/xml", "application/rss+xml", "application/javascript", "application/json")


def url_to_file(path: str, query: str = "") -> str:
    """The file (relative to a site's root) that holds the page at path?query."""
    path = posixpath.normpath("/" + unquote(path).lstrip("/")) + ("/" if path.endswith("/") and path != "/" else "")
    rel = path.lstrip("/")
    if rel == "" or rel.endswith("/"):
        rel += "index.html"
    if query:
        stem, dot, ext = rel.rpartition(".")
        rel = f"{stem}@{query}.{ext}" if dot and "/" not in ext else f"{rel}@{query}"
    return rel


def content_type(rel: str, html_type: str) -> str:
    name = rel.rsplit("/", 1)[-1]
    if name == "rss.xml" or name.endswith(".rss"):
        return "application/rss+xml"
    ext = "." + name.rpartition(".")[2].lower()
    if ext == ".xml":
        return "application/xml"
    kind = _TYPES.get(ext, "application/octet-stream")
    return html_type if kind is None else kind


def load_network(sites_dir: Path) -> list[dict]:
    """[{id, html_content_type}] in serving order."""
    meta = sites_dir / "network.json"
    if meta.exists():
        return json.loads(meta.read_text(encoding="utf-8"))["sites"]
    return [{"id": p.name, "html_content_type": "text/html; charset=utf-8"}
            for p in sorted(sites_dir.iterdir()) if p.is_dir()]


class _SiteHandler(BaseHTTPRequestHandler):
    root: Path
    html_type: str
    server_version = "DemoPortal/1.0"
    sys_version = ""

    def log_message(self, format, *args):  # quiet: no stderr line per request
        pass

    def do_HEAD(self):
        self._serve(head=True)

    def do_GET(self):
        self._serve(head=False)

    def _serve(self, head: bool):
        parts = urlsplit(self.path)
        path = parts.path or "/"
        if ".." in unquote(path).split("/"):
            return self._error(HTTPStatus.NOT_FOUND)
        rel = None
        for candidate in ([url_to_file(path, parts.query)] if parts.query else []) + [url_to_file(path)]:
            if (self.root / candidate).is_file():
                rel = candidate
                break
        if rel is None:
            if not path.endswith("/") and (self.root / url_to_file(path + "/")).is_file():
                self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                self.send_header("Location", path + "/" + (f"?{parts.query}" if parts.query else ""))
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            return self._error(HTTPStatus.NOT_FOUND)
        file = self.root / rel
        ctype = content_type(rel, self.html_type)
        body = file.read_bytes()
        if ctype.startswith(_TEXT_PREFIXES) or ctype.startswith("text/html"):
            host, port = self.server.server_address[:2]
            body = body.replace(ORIGIN_PLACEHOLDER, f"http://{host}:{port}".encode("ascii"))
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        mtime = int(file.stat().st_mtime)
        if self._not_modified(etag, mtime):
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", email.utils.formatdate(mtime, usegmt=True))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _not_modified(self, etag: str, mtime: int) -> bool:
        inm = self.headers.get("If-None-Match")
        if inm is not None:
            return etag in [t.strip() for t in inm.split(",")] or inm.strip() == "*"
        ims = self.headers.get("If-Modified-Since")
        if ims:
            try:
                when = email.utils.parsedate_to_datetime(ims)
            except (TypeError, ValueError):
                return False
            return when is not None and int(when.timestamp()) >= mtime
        return False

    def _error(self, status: HTTPStatus):
        body = f"<html><body><h1>{status.value} {status.phrase}</h1></body></html>".encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class Network:
    """Running demo servers: `.urls` maps site id → base URL; close() stops them."""

    def __init__(self):
        self.urls: dict[str, str] = {}
        self._servers: list[ThreadingHTTPServer] = []
        self._threads: list[threading.Thread] = []

    def close(self):
        for server in self._servers:
            server.shutdown()
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._servers.clear()
        self._threads.clear()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def serve_network(sites_dir: str | Path = DEFAULT_SITES_DIR, host_prefix: str = "127.0.0.",
                  first_octet: int = 21, port: int = 0) -> Network:
    """Start one ThreadingHTTPServer per site (daemon threads) and return the handle."""
    if not host_prefix.startswith("127."):
        raise ValueError(f"the demo network serves on loopback only, got host prefix {host_prefix!r}")
    sites_dir = Path(sites_dir)
    sites = load_network(sites_dir)
    if first_octet < 1 or first_octet + len(sites) - 1 > 254:
        raise ValueError(f"first_octet {first_octet} leaves no room for {len(sites)} sites")
    net = Network()
    try:
        for i, site in enumerate(sites):
            host = f"{host_prefix}{first_octet + i}"
            handler = type(f"Handler_{site['id']}", (_SiteHandler,), {
                "root": sites_dir / site["id"],
                "html_type": site.get("html_content_type", "text/html; charset=utf-8"),
            })
            server = ThreadingHTTPServer((host, port), handler)
            server.daemon_threads = True
            thread = threading.Thread(target=server.serve_forever, name=f"demo-{site['id']}", daemon=True)
            thread.start()
            net._servers.append(server)
            net._threads.append(thread)
            net.urls[site["id"]] = f"http://{host}:{server.server_address[1]}/"
    except BaseException:
        net.close()
        raise
    return net


def main(argv=None):
    import argparse
    import time

    parser = argparse.ArgumentParser(description="Serve the demo portal network on loopback.")
    parser.add_argument("--port", type=int, default=8701)
    parser.add_argument("--first-octet", type=int, default=21)
    parser.add_argument("--sites-dir", default=str(DEFAULT_SITES_DIR))
    args = parser.parse_args(argv)
    with serve_network(args.sites_dir, first_octet=args.first_octet, port=args.port) as net:
        for sid, url in net.urls.items():
            print(f"{sid:14} {url}", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
