"""Vietnamese date forms, year inference and the choice of the article's date."""

from datetime import datetime, timezone

import pytest

from crawler.article import dates, extract_article

FETCHED = datetime(2025, 1, 10, 3, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("text, expected", [
    ("Sáng ngày 29/11/2024", "2024-11-29T00:00:00+07:00"),
    ("Chiều 26/12", "2024-12-26T00:00:00+07:00"),
    ("Chiều ngày 26/12", "2024-12-26T00:00:00+07:00"),
    ("Cập nhật lúc 15:20 ngày 28/12/2024", "2024-12-28T15:20:00+07:00"),
    ("Thứ Năm, 28/12/2023 - 15:20", "2023-12-28T15:20:00+07:00"),
    ("30/12/2021 09:28:00 AM", "2021-12-30T09:28:00+07:00"),
    ("29/12/2023 03:40:00 PM", "2023-12-29T15:40:00+07:00"),
    ("Ngày đăng: 28-12-2024", "2024-12-28T00:00:00+07:00"),
    ("ngày 28 tháng 12 năm 2024", "2024-12-28T00:00:00+07:00"),
    ("Thứ Sáu, 26/12/2025 | 16:45", None),  # in the future of the fetch date
    ("04/01/2024 18:30 (GMT+7)", "2024-01-04T18:30:00+07:00"),
    ("2024-01-04T11:30:00Z", "2024-01-04T18:30:00+07:00"),
    ("2024-01-04T18:30:00+07:00", "2024-01-04T18:30:00+07:00"),
    ("28.12.2024", "2024-12-28T00:00:00+07:00"),
    ("Cập nhật: 10h15 ngày 05/01/2025", "2025-01-05T10:15:00+07:00"),
])
def test_parse_forms(text, expected):
    dt = dates.parse(text, fetched=FETCHED)
    got = dates.iso(dt) if dt and dt <= FETCHED.astimezone(dates.TZ).replace(hour=23) else None
    assert got == expected


def test_year_less_date_is_never_in_the_future():
    # fetched on 10/1/2025: "26/12" is last December, "5/1" this January
    assert dates.iso(dates.parse("Chiều 26/12", fetched=FETCHED)) == "2024-12-26T00:00:00+07:00"
    assert dates.iso(dates.parse("Sáng 5/1", fetched=FETCHED)) == "2025-01-05T00:00:00+07:00"
    # a year from context wins when it is not in the future
    assert dates.iso(dates.parse("Ngày 27/12", fetched=FETCHED, context_years=(2023,))) == "2023-12-27T00:00:00+07:00"


def test_normaliser():
    assert dates.normalise("Sáng ngày 29/11/2024") == "29/11/2024"
    assert dates.normalise("Cập nhật lúc 15:20 ngày 28/12/2024") == "28/12/2024 15:20"
    assert dates.normalise("ngày 28 tháng 12 năm 2024") == "28/12/2024"
    assert dates.normalise("Chiều ngày 26/12") == "26/12"


def test_url_dates():
    assert dates.iso(dates.from_url("https://x.vn/2024/12/28/bai-viet.html")) == "2024-12-28T00:00:00+07:00"
    assert dates.iso(dates.from_url("https://x.vn/bai-viet-20241228093000462.htm")) == "2024-12-28T00:00:00+07:00"
    assert dates.from_url("https://x.vn/bai-viet-t3562.html") is None


def test_date_line_detection():
    assert dates.is_date_line("Thứ Năm, 28/12/2023 - 15:20")
    assert dates.is_date_line("Cập nhật lúc 15:20 ngày 28/12/2023")
    assert dates.is_date_line("Ngày đăng: 28-12-2024 | Lượt xem: 120")
    assert not dates.is_date_line("Ngày 27/12, Ban Bí thư Trung ương Đảng tổ chức Hội nghị toàn quốc.")


PAGE = """<html><head><title>{title}</title>{meta}</head><body>
<div class="top"><span>Thứ Sáu, 10/01/2025</span> <a href="/login">Đăng nhập</a></div>
<div class="menu"><a href="/">Trang chủ</a> <a href="/tin">Tin tức</a> <a href="/vb">Văn bản</a></div>
<div class="news">
<h1 class="title">{title}</h1>
{dateline}
<p>Năm 2024, cấp ủy, tổ chức đảng, Ủy ban Kiểm tra các cấp đã nghiêm túc triển khai, tổ chức tốt việc học tập, nghiên cứu, quán triệt các Nghị quyết, Chỉ thị, Kết luận của Trung ương về công tác kiểm tra, giám sát và kỷ luật của Đảng; kịp thời cụ thể hóa thành chương trình, kế hoạch.</p>
<p>Ủy ban Kiểm tra các cấp đã bám sát nhiệm vụ chính trị và công tác xây dựng Đảng, đổi mới phương pháp, cách thức triển khai nắm tình hình, giám sát thường xuyên để bảo đảm chuyển trọng tâm sang cảnh báo, phòng ngừa vi phạm từ sớm, từ xa trong toàn Đảng bộ.</p>
</div>
<div class="footer">Cơ quan chủ quản: Tỉnh ủy. Điện thoại: 0203 123 456. Email: bbt@example.vn</div>
</body></html>"""


def page(dateline="", meta="", url="https://x.example.vn/tin/bai-viet.html"):
    html = PAGE.format(title="Tổng kết công tác kiểm tra, giám sát năm 2024", dateline=dateline, meta=meta)
    return extract_article(html, url, fetched_at="2025-01-10T03:00:00+00:00")


def test_banner_is_not_the_date():
    # the only date on the page is the "today" banner: an undated page is not an article…
    assert page() is None
    # …unless it declares itself one; the banner's date is still not its date
    r = page(meta='<meta property="og:type" content="article">')
    assert r["published"] is None
    assert "10/01/2025" not in r["text"]


@pytest.mark.parametrize("dateline, expected", [
    ('<div class="date">Thứ Năm, 28/12/2023 - 15:20</div>', "2023-12-28T15:20:00+07:00"),
    ("<p><i>Cập nhật lúc 15:20 ngày 28/12/2024</i></p>", "2024-12-28T15:20:00+07:00"),
    ('<span class="time">30/12/2021 09:28:00 AM</span>', "2021-12-30T09:28:00+07:00"),
    ("<div>Ngày đăng: 28-12-2024</div>", "2024-12-28T00:00:00+07:00"),
    ('<time datetime="2024-12-27T08:00:00+07:00">27/12/2024</time>', "2024-12-27T08:00:00+07:00"),
    ("<p>Sáng ngày 29/11/2024, Ủy ban Kiểm tra họp phiên thường kỳ tháng 11/2024 đánh giá kết quả công tác.</p>",
     "2024-11-29T00:00:00+07:00"),
])
def test_date_next_to_the_headline(dateline, expected):
    r = page(dateline)
    assert r["published"] == expected
    assert "Cập nhật" not in r["text"] and "Ngày đăng" not in r["text"] and "09:28" not in r["text"]


def test_meta_and_jsonld_first():
    meta = ('<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2024-12-20T10:00:00+07:00"}</script>'
            '<meta property="article:published_time" content="2024-12-21T10:00:00+07:00">')
    assert page('<div class="date">28/12/2023 15:20</div>', meta)["published"] == "2024-12-20T10:00:00+07:00"
    meta = '<meta name="pubdate" content="2024-12-21T10:00:00+07:00">'
    assert page("", meta)["published"] == "2024-12-21T10:00:00+07:00"


def test_url_date_last():
    assert page(url="https://x.example.vn/2024/12/28/bai-viet.html")["published"] == "2024-12-28T00:00:00+07:00"
