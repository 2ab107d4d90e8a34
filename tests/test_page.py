"""Decoding raw bytes as a browser would; every text NFC."""

import unicodedata

import pytest

from crawler.article import extract_article
from crawler.page import NotHTMLError, compress, decode_html, decompress

TEXT = "Ủy ban Kiểm tra Tỉnh ủy tổng kết công tác kiểm tra, giám sát năm 2023; đồng chí Phạm Thị Thanh Thủy phát biểu."


def cp1258(text: str) -> bytes:
    """Vietnamese as windows-1258 writes it: base letters with their vowel marks
    precomposed (â ê ô ơ ư ă đ), tone marks as separate combining characters."""
    out = bytearray()
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out += base.encode("cp1258") + "".join(c for c in parts if c in tones).encode("cp1258")
    return bytes(out)


def page(body: str, head: str = "") -> str:
    return f"<html><head>{head}<title>t</title></head><body><p>{body}</p></body></html>"


def test_windows_1258_by_meta_tag_decodes_to_nfc():
    raw = page("", '<meta http-equiv="Content-Type" content="text/html; charset=windows-1258">').encode("ascii")
    raw = raw.replace(b"<p></p>", b"<p>" + cp1258(TEXT) + b"</p>")
    text = decode_html(raw)
    assert TEXT in text
    assert unicodedata.is_normalized("NFC", text)


def test_http_charset_wins_over_detection():
    raw = page(TEXT).encode("utf-16-le")
    assert TEXT in decode_html(raw, "text/html; charset=utf-16-le")


def test_byte_order_mark_wins_over_a_wrong_declaration():
    raw = b"\xef\xbb\xbf" + page(TEXT, '<meta charset="windows-1258">').encode("utf-8")
    assert TEXT in decode_html(raw)


def test_nfd_pages_come_out_nfc():
    raw = unicodedata.normalize("NFD", page(TEXT, '<meta charset="utf-8">')).encode("utf-8")
    text = decode_html(raw)
    assert TEXT in text and unicodedata.is_normalized("NFC", text)


def test_legacy_page_through_the_whole_extractor():
    paragraphs = [TEXT] * 1 + [f"Đoạn {i}: các cấp ủy, tổ chức đảng đã kiểm tra, giám sát theo kế hoạch năm 2023, "
                               f"tập trung vào những lĩnh vực nhạy cảm, dễ phát sinh sai phạm, thuộc đơn vị {i}." for i in range(6)]
    head = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1258">'
    html = f"<html><head>{head}<title>Tin</title></head><body><h1>Hội nghị tổng kết</h1><p>Ngày 28/12/2023</p>"
    raw = cp1258(html)
    raw += b"".join(b"<p>" + cp1258(p) + b"</p>" for p in paragraphs) + b"</body></html>"
    record = extract_article(raw, "http://127.0.0.1/tin/1.html")
    assert record["text"].split("\n") == paragraphs
    assert record["title"] == "Hội nghị tổng kết"
    assert all(unicodedata.is_normalized("NFC", record[k]) for k in ("text", "title"))


# Labels that contradict the bytes: the bytes win.
REPORT = "Ủy ban Kiểm tra Tỉnh ủy Quảng Ninh tổng kết công tác kiểm tra, giám sát năm 2024"


def labelled(body: bytes, meta: str = "") -> bytes:
    return page("", meta).encode("ascii").replace(b"<p></p>", b"<p>" + body + b"</p>")


@pytest.mark.parametrize("raw, content_type", [
    (labelled(cp1258(REPORT)), "text/html; charset=utf-8"),
    (labelled(cp1258(REPORT), '<meta charset="utf-8">'), None),
    (labelled(cp1258(REPORT), '<meta charset="utf-8">'), "text/html"),
    (labelled(cp1258(REPORT)), None),
], ids=["utf-8 header", "utf-8 meta", "utf-8 meta, bare header", "no label"])
def test_windows_1258_labelled_utf8_is_read_as_windows_1258(raw, content_type):
    assert raw.decode("utf-8", "replace").count("\ufffd") > 10  # really not UTF-8
    text = decode_html(raw, content_type)
    assert REPORT in text and unicodedata.is_normalized("NFC", text)


@pytest.mark.parametrize("raw, content_type", [
    (labelled(REPORT.encode("utf-8"), '<meta charset="windows-1258">'), None),
    (labelled(REPORT.encode("utf-8")), "text/html; charset=windows-1258"),
    (labelled(REPORT.encode("utf-8")), "text/html; charset=iso-8859-1"),
    (labelled(REPORT.encode("utf-8"), '<meta charset="windows-1252">'), None),
    # a body cut off inside its last character is still UTF-8
    (labelled(REPORT.encode("utf-8"), '<meta charset="windows-1258">') + "Kiểm".encode("utf-8")[:-1], None),
], ids=["windows-1258 meta", "windows-1258 header", "iso-8859-1 header", "windows-1252 meta", "truncated"])
def test_utf8_labelled_legacy_is_read_as_utf8(raw, content_type):
    text = decode_html(raw, content_type)
    assert REPORT in text and "á»" not in text


def test_a_stray_legacy_byte_leaves_a_utf8_page_utf8():
    raw = labelled(REPORT.encode("utf-8") + b" \x93" + "trích".encode("utf-8") + b"\x94", '<meta charset="utf-8">')
    assert f"{REPORT} \ufffdtrích\ufffd" in decode_html(raw)


def test_a_correct_legacy_label_holds():
    french = "Le comité a examiné la question à Hô Chi Minh-Ville"
    assert french in decode_html(labelled(french.encode("cp1252")), "text/html; charset=windows-1252")
    assert REPORT in decode_html(labelled(cp1258(REPORT)), "text/html; charset=windows-1258")


@pytest.mark.parametrize("text, codec", [
    ("Комиссия по проверке партийного комитета провинции", "cp1251"),
    ("中国共产党纪律检查委员会召开全体会议", "gbk"),
])
def test_a_page_that_is_not_vietnamese_is_left_to_the_detector(text, codec):
    assert text in decode_html(labelled(text.encode(codec), '<meta charset="utf-8">'))


@pytest.mark.parametrize("font_text", ["Céng hoµ x· héi chñ nghÜa ViÖt Nam",  # TCVN3 (ABC)
                                       "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam"])  # VNI
def test_font_encodings_decode_without_failing(font_text):
    # Not transcoded: the letters are what the font draws, but the page is kept.
    text = decode_html(labelled(font_text.encode("cp1252")), "text/html; charset=utf-8")
    assert "<p>" in text and "Nam</p>" in text


def test_a_meta_utf16_label_on_ascii_bytes_means_utf8():
    assert REPORT in decode_html(labelled(REPORT.encode("utf-8"), '<meta charset="utf-16">'))


# Control bytes are stripped; only binary bodies are refused.
def test_nul_bytes_are_stripped():
    raw = labelled(REPORT.encode("utf-8").replace(b" ", b" \x00", 5) + b"\x00" * 3, '<meta charset="utf-8">')
    text = decode_html(raw)
    assert REPORT in text and "\x00" not in text


def test_control_bytes_are_stripped_but_whitespace_kept():
    raw = labelled(b"\x01\x02\x1b" + REPORT.encode("utf-8") + b"\x0b\x08\t\r\n\x0c", '<meta charset="utf-8">')
    assert f"<p>{REPORT}\t\r\n\x0c</p>" in decode_html(raw)


def test_control_bytes_in_a_mislabelled_page_are_stripped_too():
    raw = labelled(b"\x00" + cp1258(REPORT) + b"\x07", '<meta charset="utf-8">')
    assert f"<p>{REPORT}</p>" in decode_html(raw)


def test_utf16_with_a_byte_order_mark():
    for codec, bom in (("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")):
        raw = bom + page(REPORT, '<meta charset="utf-8">').encode(codec)
        text = decode_html(raw, "text/html; charset=windows-1258")
        assert REPORT in text and "\x00" not in text


@pytest.mark.parametrize("raw, message", [
    (b"", "empty"),
    (b"   \n", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    # magic numbers first: a PDF or a zipped .docx is binary even with HTML-looking text inside
    (b"%PDF-1.4\n<html><body><p>x</p></body></html>", "binary"),
    (b"PK\x03\x04" + page(TEXT).encode("utf-8"), "binary"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + page(TEXT).encode("utf-8"), "binary"),
    # no magic number, but mostly control bytes
    (page("").encode("ascii") + bytes(range(32)) * 40, "binary"),
    (b"\x00" * 1000 + page("x").encode("ascii"), "binary"),
    (b"plain words, no markup", "no HTML markup"),
])
def test_not_html(raw, message):
    with pytest.raises(NotHTMLError, match=message):
        decode_html(raw)


def test_compression_round_trip():
    raw = page(TEXT).encode("utf-8") * 50
    blob = compress(raw)
    assert len(blob) < len(raw) / 5 and decompress(blob) == raw
