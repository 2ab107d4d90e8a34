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


@pytest.mark.parametrize("raw, message", [
    (b"", "empty"),
    (b"   \n", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    (b"plain words, no markup", "no HTML markup"),
])
def test_not_html(raw, message):
    with pytest.raises(NotHTMLError, match=message):
        decode_html(raw)


def test_compression_round_trip():
    raw = page(TEXT).encode("utf-8") * 50
    blob = compress(raw)
    assert len(blob) < len(raw) / 5 and decompress(blob) == raw
