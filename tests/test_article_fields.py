"""Fields read out of the article: bylines at either end, origin credits, the end mark and
the tail after it, related-list tails, legacy headlines, and the publication date's year."""

import pytest

from crawler.article import bylines, clean, dates, extract_article

FETCHED = "2026-01-05T03:00:00+00:00"
PARA = ("Ủy ban Kiểm tra các cấp đã bám sát nhiệm vụ chính trị và công tác xây dựng Đảng, đổi mới phương pháp, "
        "cách thức triển khai nắm tình hình, giám sát thường xuyên để bảo đảm chuyển trọng tâm sang cảnh báo, "
        "phòng ngừa vi phạm từ sớm, từ xa trong toàn Đảng bộ tỉnh.")
PARA2 = ("Cấp ủy, tổ chức đảng và Ủy ban Kiểm tra các cấp tăng cường tuyên truyền, quán triệt, cụ thể hóa và tổ chức "
         "thực hiện văn bản của Trung ương, Tỉnh ủy về công tác kiểm tra, giám sát và kỷ luật trong Đảng.")
PARA3 = ("Đồng thời, chủ động rà soát chương trình kiểm tra, giám sát nhiệm kỳ 2020-2025 của cấp ủy và Ủy ban Kiểm tra "
         "để xây dựng, ban hành kế hoạch kiểm tra, giám sát bảo đảm có trọng tâm, trọng điểm.")
TITLE = "Tổng kết công tác kiểm tra, giám sát năm 2024"
RELATED = ["- Giám sát việc kê khai tài sản, thu nhập của cán bộ diện Ban Thường vụ quản lý (25/12/2021)",
           "- Hơn 3.000 hộ dân vùng hạn được dùng nước sạch (22/12/2021)"]


def article(body, *, head="", url="https://x.example.vn/tin/bai.html", dateline="<div class='date'>26/12/2024 15:20</div>",
            before="", after=""):
    html = (f"<html><head><title>{TITLE}</title>{head}</head><body>{before}<div class='menu'><a href='/'>Trang chủ</a></div>"
            f"<div class='news'><h1>{TITLE}</h1>{dateline}{body}</div>{after}"
            f"<div class='footer'>Cơ quan chủ quản: Tỉnh ủy. Giấy phép số 12/GP. Điện thoại: 0203 123 456</div></body></html>")
    return extract_article(html, url, fetched_at=FETCHED)


# --- byline forms ------------------------------------------------------------------------------

@pytest.mark.parametrize("line, name", [
    ("Văn Thành - Hồng Nhung", "Văn Thành - Hồng Nhung"), ("Minh Anh, Thu Hà", "Minh Anh, Thu Hà"),
    ("Bài, ảnh: Lê Hà", "Lê Hà"), ("Tin và ảnh: Quỳnh Anh", "Quỳnh Anh"), ("Nhóm PV", "Nhóm PV"),
    ("HÀ AN |", "HÀ AN"), ("Nguyễn Văn Lợi", "Nguyễn Văn Lợi"),
    ("UBND TỈNH", None), ("TTXVN", None), ("Hội nghị thành công tốt đẹp.", None), ("Quyết tâm thắng lợi.", None),
    ("Đánh giá ★★★★☆ (12 phiếu)", None),
])
def test_name_forms(line, name):
    assert bylines.name_like(line) == name


def test_end_byline_followed_by_tail_lines():
    lines, author, origin = bylines.split_body([PARA, PARA2, "Nguyễn Hà", "Đánh giá ★★★★☆ (12 phiếu)"])
    assert (lines, author, origin) == ([PARA, PARA2], "Nguyễn Hà", None)
    lines, author, origin = bylines.split_body(
        [PARA, PARA2, "Lê Hà", "Nguồn: Cổng TTĐT huyện Thọ Xuân", "Đánh giá ★★★★☆ (12 phiếu)"])
    assert (lines, author, origin) == ([PARA, PARA2], "Lê Hà", "Cổng TTĐT huyện Thọ Xuân")
    lines, author, origin = bylines.split_body([PARA, "Văn Thành - Hồng Nhung", *RELATED])
    assert (lines, author, origin) == ([PARA], "Văn Thành - Hồng Nhung", None)
    lines, author, origin = bylines.split_body([PARA, PARA2, "PV", "Nguồn: Báo Nhân Dân", *RELATED])
    assert (lines, author, origin) == ([PARA, PARA2], "PV", "Báo Nhân Dân")


def test_short_final_sentence_or_long_tail_is_body():
    lines, author, _ = bylines.split_body([PARA, "Quyết tâm thắng lợi."])
    assert author is None and lines == [PARA, "Quyết tâm thắng lợi."]
    # a name-like line followed by a real paragraph does not end the article
    lines, author, _ = bylines.split_body([PARA, "Kết Quả Nổi Bật", PARA2])
    assert author is None and lines == [PARA, "Kết Quả Nổi Bật", PARA2]


def test_upper_case_byline_opening_the_lead():
    lead = "HÀ AN | Ngày 20/1, Ủy ban Mặt trận Tổ quốc huyện tổ chức trao 1.200 suất quà Tết cho hộ nghèo."
    lines, author, _ = bylines.split_body([lead, PARA])
    assert author == "HÀ AN"
    assert lines == ["Ngày 20/1, Ủy ban Mặt trận Tổ quốc huyện tổ chức trao 1.200 suất quà Tết cho hộ nghèo.", PARA]
    lines, author, _ = bylines.split_body(["NGỌC LAN - Những ngày này, nông dân tranh thủ thu hoạch lúa mùa.", PARA])
    assert author == "NGỌC LAN" and lines[0] == "Những ngày này, nông dân tranh thủ thu hoạch lúa mùa."
    # a dateline place or an outlet opening the lead is not a byline
    for lead in ("HÀ NỘI - Sáng 27/12, Ủy ban Kiểm tra Trung ương tổ chức hội nghị.",
                 "TTXVN - Phát biểu tại hội nghị, đồng chí Bí thư cho biết như vậy."):
        lines, author, _ = bylines.split_body([lead, PARA])
        assert author is None and lines[0] == lead


def test_bylines_in_pages():
    r = article(f"<p>{PARA}</p><p>{PARA2}</p><p style='text-align: right;'><strong>Nguyễn Hà</strong></p>"
                "<div class='rating'>Đánh giá ★★★★☆ (12 phiếu)</div>")
    assert r["author"] == "Nguyễn Hà" and "Nguyễn Hà" not in r["text"]
    r = article(f"<p><strong>HÀ AN |</strong> {PARA}</p><p>{PARA2}</p>")
    assert r["author"] == "HÀ AN" and r["text"].split("\n") == [PARA, PARA2]
    r = article(f"<p>{PARA}</p><p>{PARA2}</p><p style='text-align: right;'><strong>Lê Hà</strong></p>"
                "<p style='text-align: right;'><em>Nguồn: Cổng TTĐT huyện Thọ Xuân</em></p>")
    assert (r["author"], r["origin"]) == ("Lê Hà", "Cổng TTĐT huyện Thọ Xuân")
    assert r["text"].split("\n") == [PARA, PARA2]


# --- end mark and tail -------------------------------------------------------------------------

def test_end_mark_ends_the_article():
    lines = clean.end_marks([PARA, PARA2 + "/.", "Hải Yến", *RELATED])
    assert lines == [PARA, PARA2, "Hải Yến"]
    lines, author, _ = bylines.split_body(lines)
    assert (lines, author) == ([PARA, PARA2], "Hải Yến")
    assert clean.end_marks([PARA, "khắc phục trước ngày 30/11./.", "PV"]) == [PARA, "khắc phục trước ngày 30/11.", "PV"]
    # an end mark followed by long paragraphs is left alone (not the end)
    assert clean.end_marks([PARA2 + "/.", PARA]) == [PARA2 + "/.", PARA]


def test_related_tail_is_dropped():
    teasers = ["- Trao 1.200 suất quà Tết cho hộ nghèo, gia đình chính sách Được đăng ngày 28/11/2024",
               "- Hỗ trợ người dân kích hoạt tài khoản định danh điện tử Được đăng ngày 25/11/2024"]
    assert clean.end_marks([PARA, PARA2, *teasers]) == [PARA, PARA2]
    assert clean.end_marks([PARA, PARA2, *RELATED]) == [PARA, PARA2]
    # one dated line is not a list
    assert clean.end_marks([PARA, RELATED[0]]) == [PARA, RELATED[0]]


# --- legacy <font> pages -----------------------------------------------------------------------

LEGACY = """<html><head><title>Website Huyện ủy Tam Nông</title></head><body><table width="778">
<tr><td colspan="2"><font size="2"><b>Hôm nay: thứ ba, 04/01/2022</b></font></td></tr>
<tr><td width="170"><table><tr><td><a href="/1"><b>Trang chủ</b></a></td></tr><tr><td><a href="/2"><b>Liên hệ</b></a></td></tr></table></td>
<td width="608"><table><tr><td>
<font face="Times New Roman" size="4" color="#003399"><b>Đảng ủy Bộ Tư pháp tổng kết công tác kiểm tra, giám sát năm 2021</b></font><br>
<br>
<font face="Times New Roman" size="3"><b>Sáng ngày 29/12/2021, Đảng ủy Bộ Tư pháp tổ chức Hội nghị tổng kết công tác kiểm tra, giám sát và thi hành kỷ luật đảng năm 2021.</b><br><br>
{PARA}<br><br>{PARA2}<br><br>{PARA3}<br><br></font>
<p align="right"><font size="3"><strong>PV</strong></font></p>
<p align="right"><font size="2"><i>Nguồn: Báo Nhân Dân</i></font></p>
<font size="2"><b>Các tin khác:</b></font><br>
<font size="2">- <a href="/a?ID=1">Giám sát việc kê khai tài sản, thu nhập của cán bộ diện Ban Thường vụ quản lý</a> <font color="#808080">(25/12/2021)</font></font><br>
<font size="2">- <a href="/a?ID=2">Hơn 3.000 hộ dân vùng hạn được dùng nước sạch</a> <font color="#808080">(22/12/2021)</font></font><br>
</td></tr></table></td></tr></table></body></html>"""


def test_legacy_font_page():
    html = LEGACY.replace("{PARA}", PARA).replace("{PARA2}", PARA2).replace("{PARA3}", PARA3)
    r = extract_article(html, "https://x.example.vn/tintuc/chitiet.asp?ID=36891", fetched_at=FETCHED)
    assert r["title"] == "Đảng ủy Bộ Tư pháp tổng kết công tác kiểm tra, giám sát năm 2021"
    assert r["published"][:10] == "2021-12-29"  # the lead's date, not a related entry's
    assert (r["author"], r["origin"]) == ("PV", "Báo Nhân Dân")
    assert "Giám sát việc kê khai" not in r["text"] and "PV" not in r["text"].split("\n")


# --- dates -------------------------------------------------------------------------------------

def test_year_less_date_ignores_the_banner_year():
    lead = "<p><strong>Chiều 26/12, Ban Thường vụ Tỉnh ủy tổ chức hội nghị tổng kết công tác kiểm tra năm 2024.</strong></p>"
    banner = "<div class='top'><span class='current-date'>Thứ Năm, 02/01/2025</span></div>"
    img = "<p><img src='https://x.example.vn/uploads/2024/12/31959-00.jpg'></p>"
    r = article(lead + img + f"<p>{PARA}</p><p>{PARA2}</p>", dateline="", before=banner)
    assert r["published"][:10] == "2024-12-26"
    # no image: the year the date's own sentence names
    r = article(lead + f"<p>{PARA}</p><p>{PARA2}</p>", dateline="", before=banner)
    assert r["published"][:10] == "2024-12-26"


def test_url_date_beats_event_date_in_the_lead():
    lead = "<p>Ngày 9/7, Đoàn Thanh niên xã tổ chức đợt cao điểm hỗ trợ người dân kích hoạt tài khoản định danh điện tử.</p>"
    r = article(lead + f"<p>{PARA}</p><p>{PARA2}</p>", dateline="",
                url="https://x.example.vn/amp/tin-tuc/20240710/ho-tro-nguoi-dan-36343.html")
    assert r["published"][:10] == "2024-07-10"


def test_joomla_date_form():
    assert dates.normalise("Được đăng: thứ năm, 19 Tháng 12 2024 16:02") == "19/12/2024 16:02"
    assert dates.normalise("trong 12 tháng 5 năm qua") == ""  # a duration, not a date
    r = article(f"<p>{PARA}</p><p>{PARA2}</p>", dateline="<dd class='published'>Được đăng: thứ năm, 19 Tháng 12 2024 16:02</dd>")
    assert r["published"] == "2024-12-19T16:02:00+07:00"
