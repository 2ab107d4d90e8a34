"""Site-template learning: a portal style no rule was written for.

The portal below wraps every article in blocks that no lexicon cue or class
name gives away (a slogan, a notice box, a schedule, a motto footer, classes
like "k1"). Only their repetition across the site's pages marks them.
"""

import functools
import http.server
import json
import threading

import pytest
import sqlite_utils

from crawler.article import extract_article, extract_page
from crawler.article.template import TemplateLearner

from .conftest import run_cli

CHROME = [
    "Đoàn kết – Dân chủ – Kỷ cương – Sáng tạo – Phát triển bền vững",
    "Thông báo: Kế hoạch tổ chức Đại hội Thể dục thể thao huyện lần thứ IX năm 2024 đã được ban hành, đề nghị các xã, thị trấn triển khai thực hiện",
    "Lịch làm việc của Thường trực Huyện ủy tuần thứ 52 được cập nhật vào sáng thứ Hai hằng tuần tại trụ sở",
    "Huyện ủy Tiên Yên – nơi hội tụ niềm tin, khát vọng vươn lên của nhân dân các dân tộc",
]

TOPICS = ["công tác kiểm tra, giám sát", "phát triển kinh tế nông nghiệp", "cải cách hành chính",
          "xây dựng nông thôn mới", "chuyển đổi số", "công tác dân vận", "giáo dục quốc phòng"]


def article_paragraphs(i):
    topic = TOPICS[i % len(TOPICS)]
    return [
        f"Ngày {i + 3}/12/2024, Ban Thường vụ Huyện ủy tổ chức hội nghị đánh giá kết quả {topic} năm 2024 "
        f"và triển khai nhiệm vụ năm 2025. Dự hội nghị có lãnh đạo các cơ quan, đơn vị và {i + 12} xã, thị trấn.",
        f"Theo báo cáo, trong năm qua các cấp ủy đã tập trung lãnh đạo thực hiện {topic} với nhiều cách làm mới, "
        f"hoàn thành {80 + i}% chỉ tiêu đề ra; một số đơn vị vượt kế hoạch, được cấp trên ghi nhận và biểu dương.",
        f"Bên cạnh kết quả đạt được, hội nghị cũng chỉ ra những hạn chế cần khắc phục như việc phối hợp giữa các "
        f"ngành còn chưa chặt chẽ, nguồn lực dành cho {topic} ở cơ sở còn hạn chế, tiến độ một số nhiệm vụ chậm.",
        f"Phát biểu kết luận, đồng chí Bí thư Huyện ủy đề nghị các đơn vị rút kinh nghiệm sâu sắc, xây dựng kế "
        f"hoạch cụ thể cho năm 2025, phân công rõ người, rõ việc và thời hạn hoàn thành số {i + 1}.",
    ]


def page(i, links):
    body = "".join(f"<div class='k7'>{p}</div>" for p in article_paragraphs(i))
    nav = " ".join(f"<a href='/bai-{j}.html'>Bài {j}</a>" for j in links)
    return f"""<html><head><meta charset="utf-8"><title>Bài viết {i}</title></head><body>
<div class="k1"><div class="k2">{CHROME[0]}</div></div>
<div class="k3"><div class="k4"><h1 class="k5">Hội nghị đánh giá {TOPICS[i % len(TOPICS)]} số {i}</h1>
<div class="k6">Thứ Ba, {i + 3}/12/2024 - 10:15</div>{body}</div>
<div class="k8"><div class="k9">{CHROME[1]}</div><div class="k9">{CHROME[2]}</div></div></div>
<div class="k10"><div>{CHROME[3]}</div><p>{nav}</p></div></body></html>"""


def site_pages(n=8):
    pages = {"/": f"<html><body><p>{' '.join(f'<a href=/bai-{i}.html>Bài viết số {i} của huyện</a>' for i in range(n))}</p></body></html>"}
    for i in range(n):
        pages[f"/bai-{i}.html"] = page(i, [(i + 1) % n, (i + 2) % n])
    return pages


def leaked(text):
    return [c for c in CHROME if c[:40] in text]


def test_rules_alone_miss_this_portals_chrome():
    record = extract_article(site_pages()["/bai-0.html"].encode(), "http://127.0.0.1/bai-0.html")
    assert leaked(record["text"]), "the fixture must be chrome the rules do not know"


def test_learnt_template_removes_it_and_keeps_the_article():
    pages = site_pages()
    learner = TemplateLearner()
    for path, html in pages.items():
        if path != "/bai-0.html":
            learner.add("huyen", extract_page(html.encode(), "http://127.0.0.1" + path).fingerprints)
    template = learner.template("huyen")
    assert template.pages == len(pages) - 1 and len(template.fingerprints) >= len(CHROME)
    record = extract_article(pages["/bai-0.html"].encode(), "http://127.0.0.1/bai-0.html", template=template)
    assert leaked(record["text"]) == []
    assert record["text"].split("\n") == article_paragraphs(0)


def test_learner_needs_enough_pages_and_a_majority():
    learner = TemplateLearner(min_pages=4, min_share=0.5)
    for _ in range(3):
        learner.add("s", {"menu", "body-a"})
    assert learner.template("s") is None
    learner.add("s", {"menu"})
    for _ in range(3):
        learner.add("s", {"other"})
    learner.add("s", set())
    template = learner.template("s")
    assert template.pages == 8
    assert template.fingerprints == frozenset({"menu"})  # on 4 of 8 pages; body-a and other on 3


@pytest.fixture
def unseen_portal():
    pages = site_pages()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            html = pages.get(self.path)
            if self.path == "/robots.txt":
                html = "User-agent: *\nAllow: /\n"
            self.send_response(200 if html else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write((html or "").encode())

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.31", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.31:{server.server_address[1]}/"
    server.shutdown()


def test_crawl_learns_the_template_and_uses_it(unseen_portal, tmp_path):
    registry = tmp_path / "sources.toml"
    registry.write_text(f'[[source]]\nid = "tienyen"\nname = "Huyện ủy Tiên Yên"\nhome = "{unseen_portal}"\n')
    db_path = tmp_path / "archive.db"
    result = run_cli("crawl", "--sources", registry, "--db", db_path, "--delay", "0")
    assert result.returncode == 0, result.stderr
    db = sqlite_utils.Database(db_path)
    texts = [row["text"] for row in db["articles"].rows]
    assert len(texts) == 8
    assert all(leaked(text) == [] for text in texts)
    template = db["templates"].get("tienyen")
    assert template["pages"] == 9 and template["blocks"] >= len(CHROME)

    # `extract --source` applies the archived template to a saved page
    saved = tmp_path / "bai-3.html"
    saved.write_text(site_pages()["/bai-3.html"], encoding="utf-8")
    out = run_cli("extract", saved, "--url", unseen_portal + "bai-3.html", "--source", "tienyen",
                  "--sources", registry, "--db", db_path)
    assert out.returncode == 0, out.stderr
    assert leaked(json.loads(out.stdout)["text"]) == []

    # and `reprocess` re-learns it from the raw pages, with the same result
    assert run_cli("reprocess", "--db", db_path).returncode == 0
    assert sorted(row["text"] for row in db["articles"].rows) == sorted(texts)


def test_the_crawl_template_is_refreshed_as_the_source_grows():
    learner = TemplateLearner(min_pages=4, min_share=0.5)
    assert learner.current("s") is None
    for _ in range(60):
        learner.add("s", {"menu"})
    first = learner.current("s")
    assert first.pages == 60 and first.fingerprints == frozenset({"menu"})
    for _ in range(3):
        learner.add("s", {"menu", "new"})
    assert learner.current("s") is first  # under a tenth more pages: the cached one
    for _ in range(60):
        learner.add("s", {"new"})
    assert learner.current("s").pages == 123 and "new" in learner.current("s").fingerprints
