"""extract_article on small portal pages in several styles (tests/fixtures/article)."""

import unicodedata
from pathlib import Path

import pytest

from crawler.article import extract_article
from crawler.registry import Source

FIX = Path(__file__).parent / "fixtures" / "article"
FETCHED = "2026-01-05T03:00:00+00:00"


def run(name, url="https://portal.example.vn/tin-tuc/bai-viet.html", source=None, **kw):
    return extract_article((FIX / name).read_bytes(), url, source, fetched_at=FETCHED, **kw)


def test_wordpress_like_news_site():
    src = Source(id="mientay", name="Báo Điện tử Miền Tây", home="https://mientay.example.vn/")
    r = run("wordpress.html", url="https://mientay.example.vn/can-tho-nang-cao-hieu-qua/", source=src)
    assert r["source"] == "mientay"
    assert r["title"] == "Cần Thơ nâng cao hiệu quả công tác kiểm tra, giám sát"
    assert r["published"] == "2024-01-04T18:30:00+07:00"
    assert r["author"] == "Ngọc Thiện"
    assert r["origin"] == "Báo Nhân Dân"
    assert r["captions"] == ["Phó Bí thư Thường trực Thành ủy phát biểu chỉ đạo hội nghị. (Ảnh: TTXVN phát)"]
    lines = r["text"].split("\n")
    assert lines[0].startswith("Cấp ủy, tổ chức Đảng chỉ đạo")  # the bold sapo stays
    assert lines[-1].endswith("vi phạm, khuyết điểm...")  # end mark "/." gone, the ellipsis kept
    assert len(lines) == 5
    for clutter in ("Chia sẻ", "In bài", "Cỡ chữ", "Từ khóa", "Tin liên quan", "Ý kiến bạn đọc", "Đọc nhiều",
                    "Cơ quan chủ quản", "Đăng nhập", "English", "Trang chủ", "Theo Báo Nhân Dân", "Ngọc Thiện"):
        assert clutter not in r["text"]
    assert r["canonical_url"] == "https://mientay.example.vn/can-tho-nang-cao-hieu-qua"  # canonicalised: no trailing slash
    assert r["word_count"] == len(r["text"].split())


def test_egov_nested_tables_with_br_paragraphs():
    src = Source(id="haiduong", name="Cổng thông tin điện tử tỉnh Hải Dương", home="https://haiduong.example.vn/")
    r = run("egov_tables.html", source=src)
    assert r["title"] == "Hội nghị toàn quốc tổng kết công tác kiểm tra, giám sát năm 2023"
    # "Cập nhật lúc 15:20 ngày 28/12/2023", never the "Chủ nhật, 23/4/2023" banner
    assert r["published"] == "2023-12-28T15:20:00+07:00"
    assert r["author"] == "Đoàn Hồng"
    assert r["captions"] == ["Quang cảnh Hội nghị toàn quốc tổng kết công tác kiểm tra, giám sát của Đảng năm 2023 ( Ảnh TTXVN)"]
    lines = r["text"].split("\n")
    assert len(lines) == 4  # <br/><br/> runs became paragraphs
    assert lines[0].startswith("Ngày 27/12, Ban Bí thư")
    assert lines[-1].endswith("thi hành kỷ luật đảng.")  # "./." → "."
    for clutter in ("Trực tuyến", "Hôm nay", "Hôm qua", "Tổng lượt truy cập", "Thống kê", "In bài", "Gửi email",
                    "Về đầu trang", "Các tin khác", "Cơ quan chủ quản", "Giấy phép", "Đăng nhập", "English", "中文",
                    "23/4/2023", "Giới thiệu", "Cổng thông tin"):
        assert clutter not in r["text"], clutter


def test_nfd_page_year_less_lead_and_top_byline():
    assert (FIX / "nfd.html").read_text(encoding="utf-8") != unicodedata.normalize(
        "NFC", (FIX / "nfd.html").read_text(encoding="utf-8"))
    r = run("nfd.html")
    for key in ("title", "text", "author", "origin"):
        assert r[key] == unicodedata.normalize("NFC", r[key])
    assert r["title"] == "Chuyển trọng tâm công tác kiểm tra, giám sát sang cảnh báo, phòng ngừa từ sớm, từ xa"
    assert r["published"] == "2025-12-26T16:45:00+07:00"
    assert r["author"] == "NGUYÊN ĐOAN"
    assert r["origin"] == "TTXVN"
    assert r["captions"] == ["Đồng chí Nguyễn Hồng Phong, Phó Bí thư Thường trực Tỉnh ủy cùng các đại biểu dự hội nghị."]
    lines = r["text"].split("\n")
    assert lines[0].startswith("Chiều ngày 26/12, Ban Thường vụ")
    assert len(lines) == 4
    for clutter in ("Xem thêm", "Theo TTXVN", "NGUYÊN ĐOAN", "Tin cùng chuyên mục", "Đọc nhiều", "Đang truy cập", "Bản quyền"):
        assert clutter not in r["text"]


@pytest.mark.parametrize("name", ["listing.html", "contact.html"])
def test_not_articles(name):
    assert run(name) is None


def test_template_fingerprints_are_pruned():
    from crawler.article.chrome import fingerprint

    banner = "Chào mừng kỷ niệm 95 năm Ngày thành lập Đảng Cộng sản Việt Nam (03/02/1930 - 03/02/2025) và đón Xuân mới"
    html = (FIX / "wordpress.html").read_text(encoding="utf-8").replace(
        '<div class="entry-content">', f'<div class="entry-content"><div>{banner}</div>')
    plain = extract_article(html, "https://x.example.vn/a", fetched_at=FETCHED)
    assert banner in plain["text"]
    learnt = extract_article(html, "https://x.example.vn/a", fetched_at=FETCHED, template={fingerprint(banner)})
    assert banner not in learnt["text"]
    assert learnt["text"] == plain["text"].replace(banner + "\n", "")

    class Template:
        fingerprints = {fingerprint(banner.upper())}  # case- and diacritic-insensitive

    assert banner not in extract_article(html, "https://x.example.vn/a", fetched_at=FETCHED, template=Template())["text"]


def test_record_shape_and_str_input():
    from crawler.record import FIELD_NAMES

    r = extract_article((FIX / "egov_tables.html").read_text(encoding="utf-8"), "https://x.example.vn/a")
    assert tuple(r) == FIELD_NAMES
    assert r["fetched_at"]


def test_block_fingerprints_match_what_prune_sees():
    from crawler.article import dom
    from crawler.article.chrome import block_fingerprints, fingerprint

    tree = dom.parse("<html><body><div>Đ<b>oàn</b> kết là sức mạnh</div><p>x</p></body></html>")
    assert fingerprint("Đoàn kết là sức mạnh") in block_fingerprints(tree)
