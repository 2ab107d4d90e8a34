"""Each removal rule on its own: bylines/origin, captions, clutter lines, end marks,
legacy <br> text, titles, and the guard that chrome pruning never eats the article."""

import pytest

from crawler.article import bylines, captions, chrome, clean, dom, extract_article, titles

FETCHED = "2025-01-10T03:00:00+00:00"
PARA = ("Ủy ban Kiểm tra các cấp đã bám sát nhiệm vụ chính trị và công tác xây dựng Đảng, đổi mới phương pháp, "
        "cách thức triển khai nắm tình hình, giám sát thường xuyên để bảo đảm chuyển trọng tâm sang cảnh báo, "
        "phòng ngừa vi phạm từ sớm, từ xa trong toàn Đảng bộ tỉnh.")


PARA2 = ("Cấp ủy, tổ chức đảng và Ủy ban Kiểm tra các cấp tăng cường tuyên truyền, quán triệt, cụ thể hóa và tổ chức "
         "thực hiện văn bản của Trung ương, Tỉnh ủy về công tác kiểm tra, giám sát và kỷ luật trong Đảng năm 2025.")
PARA3 = ("Đồng thời, chủ động rà soát chương trình kiểm tra, giám sát nhiệm kỳ 2020-2025 của cấp ủy và Ủy ban Kiểm tra "
         "để xây dựng, ban hành kế hoạch kiểm tra, giám sát bảo đảm có trọng tâm, trọng điểm.")


def article(body, head="", title="Tổng kết công tác kiểm tra, giám sát năm 2024", **kw):
    html = (f"<html><head><title>{title}</title>{head}</head><body><div class='menu'><a href='/'>Trang chủ</a></div>"
            f"<div class='news'><h1>{title}</h1><div class='date'>Thứ Năm, 26/12/2024 - 15:20</div>{body}</div>"
            f"<div class='footer'>Cơ quan chủ quản: Tỉnh ủy. Giấy phép số 12/GP. Điện thoại: 0203 123 456</div></body></html>")
    return extract_article(html, "https://x.example.vn/tin/bai.html", fetched_at=FETCHED, **kw)


@pytest.mark.parametrize("line, name", [
    ("Đoàn Hồng", "Đoàn Hồng"), ("NGUYÊN ĐOAN |", "NGUYÊN ĐOAN"), ("Tin, ảnh: Minh Anh", "Minh Anh"),
    ("PV", "PV"), ("Ngọc Thiện", "Ngọc Thiện"), ("Phong Sắc", "Phong Sắc"), ("Trọng Tài", "Trọng Tài"),
    ("Nhóm PV", "Nhóm PV"), ("Bài và ảnh: Hoàng Lam", "Hoàng Lam"),
    ("Hội nghị kết thúc.", None), ("Quang cảnh hội nghị", None), ("Năm 2024 có nhiều kết quả", None),
    ("Đồng chí Nguyễn Hồng Phong, Phó Bí thư Thường trực Tỉnh ủy phát biểu", None),
])
def test_name_like(line, name):
    assert bylines.name_like(line) == name


@pytest.mark.parametrize("line, outlet", [
    ("Theo TTXVN", "TTXVN"), ("(Theo Báo Nhân Dân)", "Báo Nhân Dân"), ("Nguồn: VOV", "VOV"),
    ("Theo baochinhphu.vn", "baochinhphu.vn"), ("Theo đó, các đồng chí đều nhất trí.", None),
    ("Theo báo cáo, năm 2023 xảy ra 162 vụ", None),
])
def test_origin(line, outlet):
    assert bylines.origin_of(line) == outlet


def test_split_body_takes_byline_and_credit_from_the_ends():
    lines, author, origin = bylines.split_body([PARA, PARA, "Đoàn Hồng", "Theo TTXVN"])
    assert (lines, author, origin) == ([PARA, PARA], "Đoàn Hồng", "TTXVN")
    lines, author, origin = bylines.split_body(["NGUYÊN ĐOAN |", PARA, PARA])
    assert (lines, author, origin) == ([PARA, PARA], "NGUYÊN ĐOAN", None)
    lines, author, origin = bylines.split_body([PARA, PARA + " (Theo TTXVN)"])
    assert (lines, author, origin) == ([PARA, PARA], None, "TTXVN")
    # a short sentence-like last paragraph is body text
    lines, author, _ = bylines.split_body([PARA, "Hội nghị kết thúc tốt đẹp."])
    assert author is None and len(lines) == 2


def test_dateline_origin():
    assert bylines.dateline_origin(["TTXVN - Phát biểu tại hội nghị, ông A cho biết…"]) == "TTXVN"
    assert bylines.dateline_origin(["Hà Nội (TTXVN) - Sáng 4/1, …"]) == "TTXVN"
    assert bylines.dateline_origin(["Năm 2024 - năm bản lề của nhiệm kỳ"]) is None


def test_byline_element_and_last_block():
    r = article(f"<p>{PARA}</p><p>{PARA2}</p><p style='text-align:right'><b>Đoàn Hồng</b></p>")
    assert r["author"] == "Đoàn Hồng" and "Đoàn Hồng" not in r["text"]
    r = article(f"<div class='author'>Minh Anh</div><p>{PARA}</p><p>{PARA2}</p>")
    assert r["author"] == "Minh Anh" and "Minh Anh" not in r["text"]
    r = article(f"<p>{PARA}</p><p>{PARA2}</p>", head='<meta name="author" content="Lan Anh">')
    assert r["author"] == "Lan Anh"


@pytest.mark.parametrize("body, caption", [
    (f"<figure><img src='a.jpg'><figcaption>Quang cảnh hội nghị</figcaption></figure><p>{PARA}</p>", "Quang cảnh hội nghị"),
    (f"<p><img src='a.jpg'></p><p><em>Các đại biểu dự hội nghị.</em></p><p>{PARA}</p>", "Các đại biểu dự hội nghị."),
    (f"<table><tr><td><img src='a.jpg'></td></tr><tr><td>Đại biểu phát biểu</td></tr></table><p>{PARA}</p>",
     "Đại biểu phát biểu"),
    (f"<div class='PhotoCMS_Caption'><p>Đồng chí Bí thư phát biểu</p></div><p>{PARA}</p>", "Đồng chí Bí thư phát biểu"),
    (f"<p style='text-align:center'><img src='a.jpg'><br>Quang cảnh hội nghị (Ảnh: TTXVN)</p><p>{PARA}</p>",
     "Quang cảnh hội nghị (Ảnh: TTXVN)"),
    (f"<p>{PARA}</p><p>(Ảnh: TTXVN)</p>", "(Ảnh: TTXVN)"),
])
def test_captions(body, caption):
    r = article(body + f"<p>{PARA2}</p>")
    assert r["captions"] == [caption]
    assert caption not in r["text"]
    assert r["text"].split("\n") == [PARA, PARA2]


def test_short_body_paragraph_without_image_is_not_a_caption():
    r = article(f"<p>{PARA}</p><p><em>Quang cảnh hội nghị rất trang trọng</em></p><p>{PARA2}</p>")
    assert r["captions"] == []
    assert "Quang cảnh hội nghị rất trang trọng" in r["text"]


@pytest.mark.parametrize("line", [
    "Xem thêm", "Trực tuyến: 3", "Hôm nay: 12", "Hôm qua: 264", "Trực tuyến: 3 Hôm nay: 12 Hôm qua: 264",
    "Lượt xem: 1.208", "Từ khóa: kiểm tra, giám sát", "In bài | Gửi email | Chia sẻ", "English | 中文", "Đăng nhập",
    "Tổng lượt truy cập: 1.234.567", "Tin liên quan", "Ý kiến bạn đọc",
])
def test_clutter_lines(line):
    assert chrome.is_clutter_line(line)


@pytest.mark.parametrize("line", [PARA, "Hôm nay, Ủy ban Kiểm tra Tỉnh ủy tổ chức hội nghị tổng kết công tác năm 2024 với sự tham dự của nhiều đại biểu.",
                                  "Xem thêm các quy định về công tác kiểm tra, giám sát tại Điều lệ Đảng và các văn bản hướng dẫn liên quan của Trung ương."])
def test_body_lines_are_not_clutter(line):
    assert not chrome.is_clutter_line(line)


@pytest.mark.parametrize("last, expected", [
    ("khuyết điểm.../.", "khuyết điểm..."), ("kỷ luật đảng./.", "kỷ luật đảng."), ("năm 2024/.", "năm 2024"),
    ("năm 2024 …/.", "năm 2024 …"), ("năm 2024.", "năm 2024."),
])
def test_end_marks(last, expected):
    assert clean.end_marks([PARA, last]) == [PARA, expected]


def test_br_runs_become_paragraphs():
    tree = dom.parse("<html><body><table><tr><td><font face='Arial'>Một.<br><br>Hai.<br/><br/><br/>Ba"
                     "</font></td></tr></table></body></html>")
    dom.flatten_layout_tables(tree)
    dom.split_br_runs(tree)
    assert [dom.text(p).strip() for p in tree.iter("p")] == ["Một.", "Hai.", "Ba"]
    r = article("<div style='font-family:Arial'>" + "<br/><br/>".join([PARA, PARA2, PARA3]) + "</div>")
    assert r["text"].split("\n") == [PARA, PARA2, PARA3]


def test_data_tables_stay_tables():
    tree = dom.parse("<html><body><table><tr><td>Chỉ tiêu</td><td>Số lượng</td></tr>"
                     "<tr><td>Đảng viên</td><td>123</td></tr></table></body></html>")
    dom.flatten_layout_tables(tree)
    assert tree.find(".//table") is not None


def test_chrome_never_prunes_the_article():
    # an ASP.NET page: the whole page sits in a <form>; the article holds cue words
    body = f"<p>{PARA}</p><p>Xem thêm: {PARA}</p><p>{PARA}</p>"
    html = f"<html><body><form id='form1'><div class='menu'>Trang chủ</div><div class='content'>{body}</div></form></body></html>"
    tree = dom.parse(html)
    main, _, marked, _ = chrome.mark(tree)
    assert all(m not in set(main.iterancestors()) and m is not main for m in marked)
    assert len([p for p in main.iter("p")]) == 3


def test_title_strips_portal_name():
    names = ["cong thong tin dien tu tinh hai duong"]
    assert titles.strip_site("Cổng thông tin điện tử tỉnh Hải Dương - Hội nghị tổng kết công tác kiểm tra", names) \
        == "Hội nghị tổng kết công tác kiểm tra"
    assert titles.strip_site("Hội nghị tổng kết công tác kiểm tra | Báo Quảng Ninh điện tử", ["bao quang ninh dien tu"]) \
        == "Hội nghị tổng kết công tác kiểm tra"
    assert titles.strip_site("Kiểm tra - giám sát năm 2024 đạt kết quả tốt", []) == "Kiểm tra - giám sát năm 2024 đạt kết quả tốt"


def test_title_never_the_portal_name():
    from crawler.registry import Source

    src = Source(id="tu", name="Cổng thông tin điện tử Tỉnh ủy", home="https://x.example.vn/")
    html = (f"<html><head><title>Cổng thông tin điện tử Tỉnh ủy</title></head><body><h1>Cổng thông tin điện tử Tỉnh ủy</h1>"
            f"<div><b>Hội nghị tổng kết công tác kiểm tra, giám sát năm 2024</b></div><div>Cập nhật lúc 15:20 ngày 28/12/2024</div>"
            f"<p>{PARA}</p><p>{PARA}</p></body></html>")
    r = extract_article(html, "https://x.example.vn/a.html", src, fetched_at=FETCHED)
    assert r["title"] == "Hội nghị tổng kết công tác kiểm tra, giám sát năm 2024"
    assert r["published"] == "2024-12-28T15:20:00+07:00"
