"""The spider fetches one canonical page once, whatever variant URLs link to it."""

import http.server
import threading

import sqlite_utils

from .conftest import run_cli

ARTICLE = "<html><head><title>Tin</title></head><body><h1>Hội nghị tổng kết công tác kiểm tra</h1>" + \
    "".join(f"<p>Đoạn {i}: cấp ủy các cấp đã kiểm tra, giám sát theo kế hoạch năm 2023 tại đơn vị số {i}.</p>" for i in range(12)) + \
    "</body></html>"
HOME = """<html><body><a href="/tin/1.html">Bài</a> <a href="/tin/1.html?utm_source=zalo&fbclid=x">Bài</a>
<a href="/tin/1.html?print=1">In bài</a> <a href="/amp/tin/1.html">AMP</a> <a href="/tin/1.html#binh-luan">Bình luận</a></body></html>"""


def test_variants_are_fetched_once(tmp_path):
    requests = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            body = HOME if self.path == "/" else ("User-agent: *\n" if self.path == "/robots.txt" else ARTICLE)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body.encode())

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.32", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        registry = tmp_path / "s.toml"
        registry.write_text(f'[[source]]\nid = "v"\nname = "V"\nhome = "http://127.0.0.32:{server.server_address[1]}/"\n')
        result = run_cli("crawl", "--sources", registry, "--db", tmp_path / "a.db", "--delay", "0")
        assert result.returncode == 0, result.stderr
    finally:
        server.shutdown()
    articles = [p for p in requests if p.startswith(("/tin", "/amp"))]
    assert articles == ["/tin/1.html"]
    assert sqlite_utils.Database(tmp_path / "a.db")["articles"].count == 1
