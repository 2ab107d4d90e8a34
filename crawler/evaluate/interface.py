"""Benchmark the archive's interfaces at scale: search through Datasette's JSON API
and `crawler export`, on a synthetic archive.

    python -m crawler.evaluate.interface [--articles 200000] [--export 100000]
                                         [--db PATH] [--keep] [--requests 200] [--seed 7]

Targets (the issue): on a synthetic archive of 200k articles, search through
Datasette's JSON API at p95 under 100 ms; `crawler export` of 100k articles with
peak memory under 200 MB.

1. Build. `Archive.create(path)` makes the real schema; rows are then inserted with
   executemany in one transaction (not one save_article per row). Every FIELDS
   column is filled: titles and texts of 300-800 words assembled from a pool of
   paragraphs made of real report phrases (some paragraphs without diacritics, as
   some portals print them), provinces from crawler/report/gazetteer.toml,
   report_year 2015-2025, a doc_type/level mix, sources src-1..src-200 (also in the
   `sources` table), captions, cues, figures JSON (and the `figures` table), a few
   duplicate clusters. Each article gets a `pages` row (metadata plus a small
   stub body, so foreign keys hold; raw HTML is not simulated). Every row gets its
   doc_id and its articles_fts entry as Archive.save_article makes them
   (crawler.archive.search: free_doc_id, the folded title and text, the facet
   tokens), so the index is the product's. Exactly --export
   articles have report_year 2020-2025 (the rest 2015-2019), so
   `crawler export --year 2020 … --year 2025` selects them.
2. Search. crawler.publish.serve.serve(db, port=free port, wait=False) starts
   Datasette with the project's metadata, plugins and settings; after a warm-up,
   requests go sequentially from one client (keep-alive HTTP/1.1 connection),
   cycling through a mix of queries (diacritics or not, đ/d, "phrases", one and
   three words, common and rare). Latency is wall time from request to the last
   byte of the body. Timed, --requests each:
   - the archive's search API, the *Search with filters* canned query, filters
     empty: /<db>/search_reports.json?q=<q>&…&_shape=array (100 rows with their
     marked passages, newest first). This is the figure held to the target.
   - Datasette's generic table search, /<db>/articles.json?_search=<q>&_shape=array&_size=20
     (20 rows, newest first). Datasette asks SQLite for `doc_id in (select rowid
     from articles_fts where … match …)`, which evaluates every match before the
     first row comes back.
   And once per query, for comparison: *Search with filters* with filters that
   select few articles (year 2016, Quảng Ninh, relevant only); *Best matches*
   (ranked by bm25); and the table search on Datasette's default JSON shape
   (it also counts the matches and computes the metadata's facets) with and
   without _nofacet, which shows what costs what.
3. Export. `crawler export --db DB --year 2020 … --year 2025 --format jsonl|json
   -o FILE` as a child process. Peak memory is the child's own VmHWM (the kernel's
   RSS high-water mark, /proc/<pid>/status polled every 5 ms until it exits);
   ru_maxrss from os.wait4 on that child is reported as a cross-check (on Linux it
   can include the parent's RSS at fork, so VmHWM is the figure compared with the
   target). Records are counted in the output file (lines / array items) and
   checked against the CLI's "exported N articles".
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
import urllib.parse
import zlib
from datetime import datetime, timedelta, timezone
from pathlib import Path

from crawler.archive.db import Archive
from crawler.archive.search import FTS_TABLE, facet_terms, free_doc_id
from crawler.record import FIELD_NAMES
from crawler.text import fold_chars, fold_phrase

ROOT = Path(__file__).resolve().parents[2]
GAZETTEER = ROOT / "crawler" / "report" / "gazetteer.toml"
SEARCH_P95_TARGET_MS = 100.0
EXPORT_PEAK_TARGET_MB = 200.0
EXPORT_YEARS = tuple(range(2020, 2026))
OTHER_YEARS = tuple(range(2015, 2020))

# -- vocabulary --------------------------------------------------------------------
# Sentences as they occur in the reviews; {p} province, {n}/{m} numbers, {y} year.
SENTENCES = [
    "Ủy ban Kiểm tra Tỉnh ủy {p} tổ chức hội nghị tổng kết công tác kiểm tra, giám sát và thi hành kỷ luật đảng năm {y}, triển khai nhiệm vụ năm {y1}.",
    "Năm {y}, cấp ủy các cấp đã kiểm tra {n} tổ chức đảng và {m} đảng viên, trong đó có {k} cấp ủy viên các cấp.",
    "Ủy ban kiểm tra các cấp đã giám sát chuyên đề {n} tổ chức đảng và {m} đảng viên.",
    "Qua kiểm tra khi có dấu hiệu vi phạm, kết luận {n} đảng viên có vi phạm, phải thi hành kỷ luật {k} trường hợp.",
    "Đã thi hành kỷ luật {n} đảng viên, trong đó khiển trách {k}, cảnh cáo {m}, cách chức {j}, khai trừ {j} đảng viên.",
    "Công tác giải quyết tố cáo, khiếu nại kỷ luật đảng được thực hiện đúng quy định, không để tồn đọng, kéo dài.",
    "Kiểm tra tài chính đảng {n} tổ chức đảng, kiểm tra việc kê khai tài sản, thu nhập đối với {m} đảng viên.",
    "Đồng chí Bí thư Tỉnh ủy {p} ghi nhận, biểu dương những kết quả mà ngành kiểm tra đạt được trong năm qua.",
    "Hội nghị đã nghe báo cáo tổng kết, thảo luận và đề ra phương hướng, nhiệm vụ trọng tâm năm {y1}.",
    "Công tác kiểm tra, giám sát được tiến hành toàn diện, có trọng tâm, trọng điểm, đúng nguyên tắc, quy trình.",
    "Các cấp ủy, tổ chức đảng tiếp tục quán triệt, triển khai thực hiện nghiêm túc Quy định số 22-QĐ/TW của Ban Chấp hành Trung ương.",
    "Đảng bộ tỉnh {p} chú trọng nâng cao chất lượng, hiệu quả công tác kiểm tra, giám sát, kịp thời phát hiện, ngăn chặn vi phạm từ sớm, từ xa.",
    "Qua kiểm tra, giám sát đã góp phần giữ vững kỷ luật, kỷ cương của Đảng, củng cố niềm tin của cán bộ, đảng viên và nhân dân.",
    "Tuy nhiên, công tác kiểm tra, giám sát vẫn còn một số hạn chế, khuyết điểm; chất lượng giám sát thường xuyên ở một số nơi chưa cao.",
    "Năm {y1}, ngành kiểm tra tập trung tham mưu cấp ủy thực hiện có hiệu quả chương trình kiểm tra, giám sát toàn khóa.",
    "Ủy ban kiểm tra các cấp đã kiểm tra tổ chức đảng cấp dưới thực hiện nhiệm vụ kiểm tra, giám sát và thi hành kỷ luật trong Đảng.",
    "Tại hội nghị, các đại biểu đã tập trung thảo luận, làm rõ nguyên nhân của những tồn tại, hạn chế và đề xuất giải pháp khắc phục.",
    "Đồng chí Phó Chủ nhiệm Ủy ban Kiểm tra Trung ương đánh giá cao sự nỗ lực, cố gắng của Ủy ban Kiểm tra Tỉnh ủy {p}.",
    "Dịp này, Ủy ban Kiểm tra Trung ương tặng Bằng khen cho {n} tập thể và {m} cá nhân có thành tích xuất sắc.",
    "Các vi phạm chủ yếu liên quan đến quản lý đất đai, tài chính, đầu tư xây dựng, thực hiện nguyên tắc tập trung dân chủ.",
    "Đảng ủy Khối các cơ quan tỉnh {p} quan tâm lãnh đạo công tác xây dựng Đảng, chỉnh đốn Đảng trong sạch, vững mạnh.",
    "Thực hiện Chỉ thị số 35-CT/TW, đại hội đảng bộ các cấp nhiệm kỳ {y}-{y5} được tổ chức thành công.",
    "Ban Thường vụ Huyện ủy thành lập {n} đoàn kiểm tra, giám sát việc thực hiện nghị quyết đại hội đảng bộ.",
    "Công tác phối hợp giữa Ủy ban kiểm tra với các ban xây dựng Đảng, thanh tra, công an, viện kiểm sát được tăng cường.",
    "Ủy ban Kiểm tra Thành ủy {p} xem xét, đề nghị thi hành kỷ luật bằng hình thức cảnh cáo đối với {k} đảng viên.",
    "Đảng viên vi phạm đã vi phạm Quy định số 69-QĐ/TW về kỷ luật tổ chức đảng, đảng viên vi phạm.",
    "Hội nghị lần thứ {k} của Ủy ban Kiểm tra Trung ương đã xem xét kết quả kiểm tra khi có dấu hiệu vi phạm.",
    "Việc ứng dụng công nghệ thông tin, chuyển đổi số trong công tác kiểm tra được đẩy mạnh.",
    "Sáu tháng đầu năm {y}, cấp ủy các cấp đã kiểm tra {n} tổ chức đảng, giám sát {m} tổ chức đảng và đảng viên.",
    "Đội ngũ cán bộ kiểm tra được kiện toàn, bồi dưỡng nghiệp vụ, nâng cao bản lĩnh chính trị, phẩm chất đạo đức.",
    "Đồng chí Nguyễn Thị Thủy, Chủ nhiệm Ủy ban Kiểm tra Đảng ủy Khối doanh nghiệp tỉnh {p}, phát biểu chỉ đạo.",
    "Ủy ban kiểm tra đã giám sát {n} đảng viên là lãnh đạo doanh nghiệp nhà nước, qua đó phát hiện {k} trường hợp vi phạm.",
]
# Some portals print text without diacritics.
UNACCENTED_SHARE = 0.03
TITLES = [
    ("Ủy ban Kiểm tra Tỉnh ủy {p} tổng kết công tác kiểm tra, giám sát năm {y}", "year_end_review"),
    ("{p}: Tổng kết công tác kiểm tra, giám sát và thi hành kỷ luật đảng năm {y}", "year_end_review"),
    ("Ngành kiểm tra Đảng tỉnh {p} triển khai nhiệm vụ năm {y1}", "year_end_review"),
    ("Tổng kết công tác kiểm tra, giám sát nhiệm kỳ {y4}-{y}", "term_review"),
    ("Sơ kết công tác kiểm tra, giám sát 6 tháng đầu năm {y}", "mid_year_review"),
    ("Giao ban công tác kiểm tra quý {q} năm {y}", "periodic_briefing"),
    ("Kỳ họp thứ {k} của Ủy ban Kiểm tra Tỉnh ủy {p}", "commission_session"),
    ("Thi hành kỷ luật đảng viên vi phạm tại {p}", "discipline_case"),
    ("Khai trừ ra khỏi Đảng {k} đảng viên vi phạm", "discipline_case"),
    ("{p} đẩy mạnh chuyển đổi số, phát triển kinh tế - xã hội", "other"),
    ("Hội nghị Ban Chấp hành Đảng bộ tỉnh {p} lần thứ {k}", "other"),
    ("Đồng chí Bí thư Tỉnh ủy {p} làm việc với Ban Thường vụ Huyện ủy", "other"),
]
DOC_TYPE_WEIGHTS = {"year_end_review": 25, "term_review": 5, "mid_year_review": 10, "periodic_briefing": 10,
                    "commission_session": 10, "discipline_case": 10, "other": 30}
LEVELS = (("provincial", 55), ("district", 20), ("central", 8), ("bloc", 10), ("commune", 5), ("other", 2))
CUES = {"year_end_review": ["tổng kết công tác kiểm tra, giám sát", "năm {y}"],
        "term_review": ["nhiệm kỳ {y4}-{y}", "tổng kết công tác kiểm tra"],
        "mid_year_review": ["sơ kết", "6 tháng đầu năm"], "periodic_briefing": ["giao ban"],
        "commission_session": ["kỳ họp thứ {k}"], "discipline_case": ["thi hành kỷ luật"], "other": []}
# Rare words: each in ~1 article of RARE_EVERY; very rare: ~1 of VERY_RARE_EVERY.
RARE = ["Mường Tè", "sân golf", "xăng dầu", "đấu giá", "Việt Á", "tàu cá", "rừng phòng hộ", "trái phiếu"]
RARE_EVERY = 2000
VERY_RARE = ["Khuổi Nậm", "Pắc Nặm", "Sìn Hồ", "Đồng Văn"]
VERY_RARE_EVERY = 50000
AUTHORS = ["Đoàn Hồng", "Minh Đức", "Thu Hà", "Nguyễn Văn Dũng", "Lê Thị Thủy", "Trần Đình Đạt", "Phạm Thúy",
           "Hoàng Anh", "Vũ Đăng", "Bùi Thanh Hòa"]
METRICS = [("inspected", "party_organization"), ("inspected", "party_member"), ("supervised", "party_organization"),
           ("disciplined", "party_member"), ("reprimanded", "party_member"), ("warned", "party_member"),
           ("expelled", "party_member"), ("found_violations", "party_member")]

# Searches: (query, kind). Common, rare, with and without diacritics, đ/d, phrases.
QUERIES = [
    ("kiểm tra", "common, 2 words, diacritics"),
    ("kiem tra", "common, 2 words, folded"),
    ("Đảng", "common, 1 word, đ"),
    ("dang", "common, 1 word, d"),
    ("đảng viên vi phạm", "common, 3 words"),
    ("dang vien vi pham", "common, 3 words, folded"),
    ('"thi hành kỷ luật"', "phrase"),
    ('"thi hanh ky luat"', "phrase, folded"),
    ('"giám sát chuyên đề"', "phrase, 3 words"),
    ("khai trừ", "medium, 2 words"),
    ("cảnh cáo cách chức", "medium, 2+2 words"),
    ("Quảng Ninh", "province"),
    ("quang ninh", "province, folded"),
    ("Thừa Thiên Huế", "province, 3 words"),
    ("Thuỷ", "old tone placement"),
    ("chuyển đổi số", "medium, 3 words"),
    ("sân golf", "rare"),
    ("xang dau", "rare, folded"),
    ("Mường Tè", "rare"),
    ('"đấu giá"', "rare phrase, đ"),
    ("dau gia", "folded: dau/gia also fold from common đầu, gia"),
    ("Khuổi Nậm", "very rare"),
    ("Sin Ho", "very rare, folded"),
    ("trái phiếu doanh nghiệp", "rare + common"),
    ("xyzzyqua", "no match"),
]


# -- generation ----------------------------------------------------------------------
def provinces():
    data = tomllib.loads(GAZETTEER.read_text(encoding="utf-8"))
    return [(p["name"], p.get("current") or p["name"]) for p in data["province"]]


def _weighted(rng, pairs):
    items, weights = zip(*pairs)
    return rng.choices(items, weights=weights)[0]


def _fill(template, rng, p, y):
    n = rng.randint(12, 3000)
    return template.format(p=p, y=y, y1=y + 1, y4=y - 5, y5=y + 5, q=rng.randint(1, 4),
                           n=f"{n:,}".replace(",", "."), m=rng.randint(5, 900), k=rng.randint(1, 40),
                           j=rng.randint(1, 9))


def paragraph_pool(rng, names, size=4000):
    """Paragraphs of 2-6 sentences; about UNACCENTED_SHARE of them folded (no diacritics)."""
    pool = []
    for _ in range(size):
        p = rng.choice(names)
        y = rng.choice(EXPORT_YEARS + OTHER_YEARS)
        text = " ".join(_fill(rng.choice(SENTENCES), rng, p, y) for _ in range(rng.randint(2, 6)))
        if rng.random() < UNACCENTED_SHARE:
            text = fold_phrase(text)
            text = text[0].upper() + text[1:]
        pool.append((text, len(text.split())))
    return pool


def _iso_vn(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%S+07:00")


def generate(n_articles, n_export, seed):
    """Yield (article row dict, figure rows) for n_articles, deterministic for seed."""
    rng = random.Random(seed)
    provs = provinces()
    names = [name for name, _ in provs]
    pool = paragraph_pool(rng, names)
    in_export = [True] * n_export + [False] * (n_articles - n_export)
    rng.shuffle(in_export)
    doc_types = list(DOC_TYPE_WEIGHTS.items())
    base_fetch = datetime(2025, 8, 1, tzinfo=timezone.utc)
    recent = []  # earlier URLs, for duplicate clusters
    for i in range(n_articles):
        source = f"src-{i % 200 + 1}"
        year = rng.choice(EXPORT_YEARS if in_export[i] else OTHER_YEARS)
        doc_type = _weighted(rng, doc_types)
        level = _weighted(rng, LEVELS)
        province, current = (None, None) if level == "central" else provs[rng.randrange(len(provs))]
        pname = province or "Việt Nam"
        title_tpl = rng.choice([t for t, d in TITLES if d == doc_type])
        title = _fill(title_tpl, rng, pname, year)
        target = rng.randint(300, 800)
        paras, words = [], 0
        lead = _fill(SENTENCES[0], rng, pname, year)
        paras.append(lead)
        words += len(lead.split())
        while words < target:
            text, w = pool[rng.randrange(len(pool))]
            paras.append(text)
            words += w
        if rng.randrange(RARE_EVERY) == 0:
            paras.insert(rng.randrange(1, len(paras)), f"Liên quan đến vụ việc {rng.choice(RARE)}, đoàn kiểm tra đã làm việc với các tổ chức đảng.")
        if rng.randrange(VERY_RARE_EVERY) == 0:
            paras.insert(rng.randrange(1, len(paras)), f"Đoàn công tác đã đến thăm xã {rng.choice(VERY_RARE)}.")
        text = "\n".join(paras)
        if doc_type in ("year_end_review", "term_review"):
            event = datetime(year, 12, 15) + timedelta(days=rng.randint(0, 45))
        else:
            event = datetime(year, 1, 1) + timedelta(days=rng.randint(0, 364))
        published = event + timedelta(hours=rng.randint(8, 40), minutes=rng.randint(0, 59))
        url = f"https://src-{i % 200 + 1}.example.vn/tin-tuc/bai-{i}-{year}.html"
        figures = []
        if doc_type != "other":
            for metric, subject in rng.sample(METRICS, rng.randint(1, 4)):
                count = rng.randint(1, 3000)
                sentence = f"Năm {year}, đã {metric} {count} {subject}."
                start = rng.randint(0, max(0, len(text) - 200))
                figures.append({"metric": metric, "subject": subject, "count": count, "qualifier": "exact",
                                "actor": rng.choice(["committee", "commission", None]), "period": str(year),
                                "sentence": sentence, "start": start, "end": start + len(sentence)})
        cluster_id, is_canonical, duplicates = url, True, []
        if recent and rng.random() < 0.05:
            cluster_id, is_canonical = rng.choice(recent), False
        elif rng.random() < 0.05:
            duplicates = [f"https://src-{rng.randint(1, 200)}.example.vn/tin/{i}-copy.html"]
        recent.append(url)
        del recent[:-500]
        cues = [c.format(y=year, y4=year - 5, k=rng.randint(1, 40)) for c in CUES[doc_type]]
        row = {
            "url": url, "canonical_url": url, "source": source, "title": title,
            "published": _iso_vn(published) if rng.random() > 0.02 else None,
            "author": rng.choice(AUTHORS) if rng.random() < 0.6 else None,
            "origin": "TTXVN" if rng.random() < 0.1 else None,
            "text": text,
            "captions": json.dumps([f"Quang cảnh hội nghị tại {pname}."] * rng.randint(0, 2), ensure_ascii=False),
            "word_count": len(text.split()),
            "fetched_at": (base_fetch + timedelta(seconds=i * 7)).isoformat(timespec="seconds"),
            "doc_type": doc_type, "is_relevant": int(doc_type in ("year_end_review", "term_review")),
            "relevance_cues": json.dumps(cues, ensure_ascii=False),
            "report_year": year, "event_date": event.strftime("%Y-%m-%d"), "level": level,
            "province": province, "province_current": current,
            "figures": json.dumps(figures, ensure_ascii=False),
            "cluster_id": cluster_id, "is_canonical": int(is_canonical),
            "duplicates": json.dumps(duplicates, ensure_ascii=False),
            "event_id": f"{event:%Y-%m-%d}|{level}|{fold_phrase(current or '')}|{doc_type}",
        }
        yield row, figures


def build(path: Path, n_articles, n_export, seed, batch=2000):
    started = time.perf_counter()
    archive = Archive.create(path)
    conn = archive.db.conn
    conn.execute("pragma cache_size = -200000")
    with conn:
        conn.executemany(
            "insert into sources (id, name, home, province, level, start_urls, feeds, sitemaps, search) "
            "values (?, ?, ?, ?, ?, '[]', '[]', '[]', null)",
            [(f"src-{k}", f"Cổng thông tin {k}", f"https://src-{k}.example.vn/", None, "provincial")
             for k in range(1, 201)])
    columns = ["rowid", *FIELD_NAMES, "page_id", "doc_id"]
    article_sql = f"insert into articles ({', '.join(columns)}) values ({', '.join('?' * len(columns))})"
    page_sql = ("insert into pages (id, source, url, final_url, status, content_type, body, body_sha1, size, "
                "fetched_at, run_id, is_article) values (?, ?, ?, ?, 200, 'text/html; charset=utf-8', ?, ?, ?, ?, 1, 1)")
    fts_sql = f"insert into {FTS_TABLE} (rowid, title, text, facets) values (?, ?, ?, ?)"
    taken = set()
    fig_cols = ("article_url", "metric", "subject", "count", "qualifier", "actor", "period", "sentence", "start",
                "end", "source", "province", "province_current", "report_year", "level", "doc_type", "is_relevant")
    fig_sql = (f"insert into figures ({', '.join(f'[{c}]' for c in fig_cols)}) "
               f"values ({', '.join('?' * len(fig_cols))})")
    stub = zlib.compress(b"<html><body>synthetic page</body></html>")
    with conn:
        conn.execute("insert into crawl_runs (id, started_at, status) values (1, ?, 'ok')",
                     [datetime.now(timezone.utc).isoformat(timespec="seconds")])
        articles, pages, fts, figs = [], [], [], []

        def flush():
            conn.executemany(page_sql, pages)
            conn.executemany(article_sql, articles)
            conn.executemany(fts_sql, fts)
            conn.executemany(fig_sql, figs)
            for lst in (articles, pages, fts, figs):
                lst.clear()

        for i, (row, figures) in enumerate(generate(n_articles, n_export, seed)):
            rowid = i + 1
            pages.append((rowid, row["source"], row["url"], row["url"], stub, f"{i:040x}", 40, row["fetched_at"]))
            doc = free_doc_id(taken.__contains__, row["published"], row["url"])
            taken.add(doc)
            articles.append([rowid, *(row[name] for name in FIELD_NAMES), rowid, doc])
            fts.append((doc, fold_chars(row["title"]), fold_chars(row["text"]), facet_terms(row)))
            for f in figures:
                figs.append([row["url"] if c == "article_url" else f.get(c, row.get(c)) for c in fig_cols])
            if len(articles) >= batch:
                flush()
            if rowid % 20000 == 0:
                print(f"  built {rowid:,} articles, {time.perf_counter() - started:.0f} s", file=sys.stderr)
        flush()
    archive.close()
    seconds = time.perf_counter() - started
    return seconds


# -- search through Datasette ---------------------------------------------------------
def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    """One keep-alive HTTP/1.1 connection to Datasette."""

    def __init__(self, port):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def get(self, path):
        started = time.perf_counter()
        try:
            self.conn.request("GET", path)
            response = self.conn.getresponse()
            body = response.read()
        except (http.client.HTTPException, OSError):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            self.conn.request("GET", path)
            response = self.conn.getresponse()
            body = response.read()
        return (time.perf_counter() - started) * 1000, response.status, body

    def close(self):
        self.conn.close()


def wait_for(port, process, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Datasette exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                pass
            c = Client(port)
            _, status, _ = c.get("/-/versions.json")
            c.close()
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("Datasette did not start")


def percentiles(values):
    s = sorted(values)

    def pct(p):  # nearest-rank
        return s[min(len(s) - 1, max(0, int(round(p / 100 * len(s) + 0.5)) - 1))]

    return {"n": len(s), "p50": statistics.median(s), "p95": pct(95), "p99": pct(99), "max": s[-1],
            "mean": statistics.fmean(s)}


def search_path(db_name, query, extra):
    return f"/{db_name}/articles.json?" + urllib.parse.urlencode({"_search": query, **extra})


EMPTY_FILTERS = {"year": "", "province": "", "relevant_only": "", "before": ""}
FEW_FILTERS = {**EMPTY_FILTERS, "year": "2016", "province": "Quảng Ninh", "relevant_only": "1"}


def canned_path(db_name, name, query, filters):
    return f"/{db_name}/{name}.json?" + urllib.parse.urlencode({"q": query, **filters, "_shape": "array"})


def timed(client, paths):
    """Time each path once; (latencies, errors, rows per path)."""
    latencies, errors, rows = [], 0, []
    for path in paths:
        ms, status, body = client.get(path)
        latencies.append(ms)
        if status != 200:
            errors += 1
            rows.append(None)
        else:
            data = json.loads(body)
            rows.append(len(data) if isinstance(data, list) else data.get("filtered_table_rows_count"))
    return latencies, errors, rows


def bench_search(db_path: Path, n_requests, log_path: Path):
    from crawler.publish.serve import serve

    port = free_port()
    # Datasette logs every request to the inherited stdout/stderr: send them to a file.
    saved = os.dup(1), os.dup(2)
    sys.stdout.flush()
    sys.stderr.flush()
    with open(log_path, "ab") as log:
        os.dup2(log.fileno(), 1)
        os.dup2(log.fileno(), 2)
        try:
            process = serve(db_path, port=port, wait=False)
        finally:
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])
    metadata_file = process.args[process.args.index("--metadata") + 1]
    db = db_path.stem
    queries = [q for q, _ in QUERIES]
    cycle = [queries[k % len(queries)] for k in range(n_requests)]
    api = {q: canned_path(db, "search_reports", q, EMPTY_FILTERS) for q in queries}
    table = {q: search_path(db, q, {"_shape": "array", "_size": "20"}) for q in queries}
    result = {"port": port, "runs": {}}
    try:
        wait_for(port, process)
        client = Client(port)
        # Warm-up: every query once on both, so the page cache is hot.
        timed(client, [*api.values(), *table.values()])
        runs = {
            "api": [api[q] for q in cycle],
            "table": [table[q] for q in cycle],
            "api_few": [canned_path(db, "search_reports", q, FEW_FILTERS) for q in queries],
            "ranked": [canned_path(db, "search_ranked", q, {k: v for k, v in EMPTY_FILTERS.items() if k != "before"})
                       for q in queries],
            "table_default": [search_path(db, q, {}) for q in queries],
            "table_nofacet": [search_path(db, q, {"_nofacet": "1"}) for q in queries],
        }
        for name, paths in runs.items():
            result["runs"][name] = timed(client, paths)
        client.close()
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        Path(metadata_file).unlink(missing_ok=True)
    result["cycle"] = cycle
    return result


# -- export ------------------------------------------------------------------------------
def crawler_command():
    exe = Path(sys.executable).with_name("crawler")
    return [str(exe)] if exe.exists() else [sys.executable, "-c", "from crawler.cli import main; main()"]


def bench_export(db_path: Path, fmt, out: Path):
    years = [a for y in EXPORT_YEARS for a in ("--year", str(y))]
    command = [*crawler_command(), "export", "--db", str(db_path), *years, "--format", fmt, "-o", str(out)]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    hwm_kb = 0
    status_file = f"/proc/{process.pid}/status"
    while True:
        try:
            with open(status_file) as fh:
                m = re.search(r"^VmHWM:\s+(\d+) kB", fh.read(), re.M)
            if m:
                hwm_kb = max(hwm_kb, int(m.group(1)))
        except (FileNotFoundError, ProcessLookupError):
            pass
        # A zombie still has /proc/<pid>/status but no VmHWM; stop once it is gone.
        try:
            with open(f"/proc/{process.pid}/stat") as fh:
                if fh.read().split(") ", 1)[1][0] == "Z":
                    break
        except FileNotFoundError:
            break
        time.sleep(0.005)
    _, wait_status, rusage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(wait_status)
    seconds = time.perf_counter() - started
    stderr = process.stderr.read().decode("utf-8", "replace")
    process.stderr.close()
    if process.returncode != 0:
        raise RuntimeError(f"crawler export failed ({process.returncode}): {stderr.strip()}")
    reported = re.search(r"exported (\d+) articles", stderr)
    records = 0
    with open(out, "rb") as fh:
        for line in fh:
            if line.startswith(b"{"):
                records += 1
    return {"fmt": fmt, "seconds": seconds, "hwm_mb": hwm_kb / 1024, "maxrss_mb": rusage.ru_maxrss / 1024,
            "bytes": out.stat().st_size, "records": records,
            "reported": int(reported.group(1)) if reported else None, "command": command}


def export_plan(db_path: Path):
    from crawler.archive.db import Archive
    from crawler.publish.export import Filters, build_query

    archive = Archive.open(db_path)
    sql, params = build_query(archive.db, Filters(years=EXPORT_YEARS))
    plan = [r[3] for r in archive.db.execute(f"explain query plan {sql}", params).fetchall()]
    archive.close()
    return plan


# -- main ---------------------------------------------------------------------------------
def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=200_000)
    parser.add_argument("--export", type=int, default=100_000)
    parser.add_argument("--db", type=Path, help="Build the archive here (default: a temporary folder).")
    parser.add_argument("--keep", action="store_true", help="Keep the database and the export files.")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--reuse", action="store_true", help="Use --db as it is when it exists (no build).")
    args = parser.parse_args(argv)
    if args.export > args.articles:
        parser.error("--export cannot exceed --articles")
    workdir = Path(tempfile.mkdtemp(prefix="interface-bench-"))
    db_path = args.db or workdir / "archive.db"
    if args.db and db_path.exists() and not args.reuse:
        parser.error(f"{db_path} exists; remove it or pass --reuse")
    if args.reuse and db_path.exists():
        build_s = None
        print(f"reusing {db_path}", file=sys.stderr)
    else:
        print(f"building {args.articles:,} articles in {db_path}", file=sys.stderr)
        build_s = build(db_path, args.articles, args.export, args.seed)
    db_bytes = sum(p.stat().st_size for p in db_path.parent.glob(db_path.name + "*"))
    import sqlite3
    with sqlite3.connect(db_path) as c:
        n = c.execute("select count(*) from articles").fetchone()[0]
        n_fts = c.execute("select count(*) from articles_fts_docsize").fetchone()[0]
        words = c.execute("select avg(word_count) from articles").fetchone()[0]
        fts_bytes = c.execute("select sum(length(block)) from articles_fts_data").fetchone()[0]
    print(f"searching ({args.requests} requests)", file=sys.stderr)
    search = bench_search(db_path, args.requests, workdir / "datasette.log")
    print("exporting", file=sys.stderr)
    exports = [bench_export(db_path, fmt, workdir / f"export.{fmt}") for fmt in ("jsonl", "json")]
    plan = export_plan(db_path)

    mb = 1024 * 1024
    print()
    print(f"## Interface benchmark: {n:,} articles (avg {words:.0f} words), export of {args.export:,}")
    print()
    print("| measure | value | target | |")
    print("|---|---|---|---|")
    if build_s is not None:
        print(f"| build (generate + insert + FTS, one transaction) | {build_s:.0f} s ({n / build_s:,.0f} articles/s) | | |")
    print(f"| database size (with -wal) | {db_bytes / mb:,.0f} MB; FTS data {fts_bytes / mb:,.0f} MB | | |")
    print(f"| articles / indexed in articles_fts | {n:,} / {n_fts:,} | | |")
    labels = {
        "api": ("search API: *Search with filters* `search_reports.json?q=…&_shape=array`, filters empty, 100 rows", True),
        "table": ("table search `articles.json?_search=…&_shape=array&_size=20`, 20 rows", False),
        "api_few": ("*Search with filters*, filters selecting few articles (2016, Quảng Ninh, relevant)", False),
        "ranked": ("*Best matches* `search_ranked.json` (bm25, title × 5), 100 rows", False),
        "table_default": ("table search, default JSON shape (count + the metadata's facets)", False),
        "table_nofacet": ("table search, default shape + `_nofacet` (count only)", False),
    }
    for name, (label, is_target) in labels.items():
        latencies, errors, _ = search["runs"][name]
        v = percentiles(latencies)
        value = (f"p50 {v['p50']:.1f} ms, p95 **{v['p95']:.1f} ms**, p99 {v['p99']:.1f} ms, max {v['max']:.1f} ms "
                 f"({v['n']} requests, errors {errors})")
        if is_target:
            ok = "PASS" if v["p95"] < SEARCH_P95_TARGET_MS and not errors else "FAIL"
            print(f"| {label} | {value} | p95 < {SEARCH_P95_TARGET_MS:.0f} ms | {ok} |")
        else:
            print(f"| {label} | {value} | (for comparison) | |")
    for e in exports:
        ok = "PASS" if e["hwm_mb"] < EXPORT_PEAK_TARGET_MB and e["records"] == args.export else "FAIL"
        print(f"| `crawler export --year 2020..2025 --format {e['fmt']}` | peak RSS (child VmHWM) "
              f"**{e['hwm_mb']:.0f} MB** (wait4 ru_maxrss {e['maxrss_mb']:.0f} MB); {e['seconds']:.1f} s; "
              f"{e['bytes'] / mb:,.0f} MB; {e['records']:,} records (CLI says {e['reported']:,}) "
              f"| < {EXPORT_PEAK_TARGET_MB:.0f} MB, {args.export:,} records | {ok} |")
    print()
    print("Per query, median ms (rows returned; for the default shape, matches counted)")
    print()
    print("| query | search API | table search | API, few-article filters | best matches | table, default shape |")
    print("|---|---|---|---|---|---|")
    per = {}
    for name in ("api", "table"):
        latencies, _, rows = search["runs"][name]
        for q, ms, r in zip(search["cycle"], latencies, rows):
            per.setdefault((name, q), ([], r))[0].append(ms)
    for name in ("api_few", "ranked", "table_default"):
        latencies, _, rows = search["runs"][name]
        for (q, _), ms, r in zip(QUERIES, latencies, rows):
            per[(name, q)] = ([ms], r)
    for q, kind in QUERIES:
        cells = []
        for name in ("api", "table", "api_few", "ranked", "table_default"):
            values, r = per.get((name, q), ([float("nan")], None))
            cells.append(f"{statistics.median(values):.1f} ({r})")
        print(f"| `{q}` ({kind}) | " + " | ".join(cells) + " |")
    print()
    print("Export query plan: " + "; ".join(plan))
    if args.keep:
        print(f"\nkept: {db_path} and {workdir}", file=sys.stderr)
    else:
        for p in workdir.glob("*"):
            p.unlink()
        workdir.rmdir()
        if args.db:
            for p in db_path.parent.glob(db_path.name + "*"):
                p.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
