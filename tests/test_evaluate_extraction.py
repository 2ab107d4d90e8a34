"""The extraction scorers' metric functions, and the labelled corpus they read."""

import json
import unicodedata
from pathlib import Path

import pytest

from crawler.evaluate import metrics as M
from crawler.evaluate.extraction import score_page

CORPUS = Path(__file__).parent / "corpus" / "extraction"


# ---------------------------------------------------------------- token F1

def test_token_prf_multiset():
    p, r, f = M.token_prf("a b c d", "a b x")
    assert (p, r) == (pytest.approx(2 / 3), pytest.approx(1 / 2))
    assert f == pytest.approx(4 / 7)
    # repeats count once per occurrence
    assert M.token_counts("a a b", "a b b") == (2, 3, 3)
    assert M.token_prf("a a b", "a b b") == pytest.approx((2 / 3, 2 / 3, 2 / 3))


def test_token_prf_edges():
    assert M.token_prf("", "") == (1.0, 1.0, 1.0)
    assert M.token_prf("một hai", "") == (0.0, 0.0, 0.0)
    assert M.token_prf("", "rác") == (0.0, 0.0, 0.0)
    # punctuation and layout do not count
    assert M.token_prf("Kiểm tra, giám sát.", "Kiểm tra\ngiám sát") == (1.0, 1.0, 1.0)


def test_tokens_are_nfc():
    word = "Hội nghị tổng kết"
    assert M.tokens(unicodedata.normalize("NFD", word)) == ["Hội", "nghị", "tổng", "kết"]
    assert M.token_prf(word, unicodedata.normalize("NFD", word))[2] == 1.0


# ---------------------------------------------------------------- shingles (external benchmark)

def test_shingles():
    assert M.shingles("a b c d e") == M.Counter({("a", "b", "c", "d"): 1, ("b", "c", "d", "e"): 1})
    assert M.shingles("a b") == M.Counter({("a", "b"): 1})  # short text: one shingle
    assert M.shingles("") == M.Counter()
    assert sum(M.shingles("x x x x x x").values()) == 3


def test_shingle_page_and_summary():
    page = M.shingle_page("a b c d e", "a b c d")  # truth {abcd, bcde}, prediction {abcd}
    assert page == pytest.approx((0.5, 0.0, 0.5))
    empty = M.shingle_page("a b c d e", "")  # empty prediction: recall 0, no precision
    assert empty == pytest.approx((0.0, 0.0, 1.0))
    noise = M.shingle_page("", "p q r s")  # no reference: precision 0, no recall
    assert noise == pytest.approx((0.0, 1.0, 0.0))
    s = M.shingle_summary([page, empty])
    assert s["precision"] == pytest.approx(1.0)  # only the page with a prediction
    assert s["recall"] == pytest.approx(0.25)  # mean(0.5, 0)
    assert s["f1"] == pytest.approx(0.4)  # harmonic mean of the two means, not mean of page F1s
    s = M.shingle_summary([page, empty, noise])
    assert s["precision"] == pytest.approx(0.5) and s["recall"] == pytest.approx(0.25)
    assert M.shingle_summary([M.shingle_page("x y z w v", "x y z w v")]) == {"precision": 1.0, "recall": 1.0, "f1": 1.0}


def test_bootstrap_std_is_zero_for_identical_pages():
    std = M.bootstrap_std([(0.5, 0.0, 0.5)] * 5, n=50)
    assert std["f1"] == pytest.approx(0.0)


# ---------------------------------------------------------------- clutter, captions, dates

def test_clutter_leaks_case_and_normalisation():
    text = unicodedata.normalize("NFD", "Nội dung bài.\nTRỰC TUYẾN:   12\nIn  bài")
    assert M.clutter_leaks(text, ["Trực tuyến", "Hôm qua", "in bài"]) == ["Trực tuyến", "in bài"]
    assert M.clutter_leaks("", ["Trực tuyến"]) == []
    assert M.clutter_leaks(None, ["x"]) == []


def test_captions_found():
    truth = ["Quang cảnh hội nghị.", "Đại biểu phát biểu. (Ảnh: TTXVN)"]
    assert M.captions_found(truth, ["quang cảnh  hội nghị"]) == 1
    assert M.captions_found(truth, []) == 0
    assert M.captions_found(truth, None) == 0
    assert M.captions_found(["A", "A"], ["A"]) == 1  # each prediction counts once


def test_dates():
    assert M.date_correct("2024-12-27T16:45:00+07:00", "minute", "2024-12-27T09:45:00+00:00")
    assert not M.date_correct("2024-12-27T16:45:00+07:00", "minute", "2024-12-27T16:46:00+07:00")
    assert not M.date_correct("2024-12-27T16:45:00+07:00", "minute", "2024-12-27")  # no time: not the instant
    assert M.date_correct("2024-12-27T00:00:00+07:00", "day", "2024-12-27T23:10:00+07:00")
    assert M.date_correct("2024-12-27T00:00:00+07:00", "day", "2024-12-27")
    assert not M.date_correct("2024-12-27T00:00:00+07:00", "day", "2025-12-27")
    assert M.date_correct(None, None, None) and not M.date_correct(None, None, "2024-01-01")
    assert M.same_day("2024-12-27T16:45:00+07:00", "2024-12-27")
    assert M.same_day("2024-12-27T01:00:00+07:00", "2024-12-26T18:00:00+00:00")  # 01:00 in Hanoi


def test_score_page():
    t = {"file": "x.html", "style": "s", "title": "Tiêu đề", "published": "2024-12-27T00:00:00+07:00",
         "published_precision": "day", "author": None, "origin": "TTXVN", "captions": ["Ảnh một"],
         "paragraphs": ["Một hai ba.", "Bốn năm."], "clutter": ["Trực tuyến"]}
    s = score_page(t, {"text": "Một hai ba.\nBốn năm.\nTrực tuyến: 3", "title": " Tiêu  đề ",
                       "published": "2024-12-27T08:00:00+07:00", "author": None, "origin": "TTXVN",
                       "captions": ["Ảnh một"]})
    assert s["recall"] == 1.0 and s["precision"] == pytest.approx(5 / 8)
    assert s["leaks"] == ["Trực tuyến"]
    assert s["title_ok"] and s["date_ok"] and s["author_ok"] and s["origin_ok"]
    assert s["captions_found"] == 1
    none = score_page(t, None)
    assert none["none"] and none["f1"] == 0.0 and none["author_ok"] and not none["title_ok"]


# ---------------------------------------------------------------- the corpus

def test_corpus_shape():
    truth = json.loads((CORPUS / "truth.json").read_text(encoding="utf-8"))
    assert len(truth) >= 42
    assert len({t["style"] for t in truth}) >= 7
    for t in truth:
        assert (CORPUS / t["file"]).is_file()
        assert t["url"].startswith("https://")
        assert 4 <= len(t["paragraphs"]) <= 12
        body = M.fold("\n".join(t["paragraphs"]))
        assert t["clutter"] and not [c for c in t["clutter"] if M.fold(c) in body], t["file"]
        assert M.parse_when(t["published"]) is not None
        assert t["published_precision"] in ("day", "minute")


def test_corpus_is_in_sync_with_its_generator(tmp_path):
    from crawler.evaluate.build_extraction_corpus import build

    build(tmp_path)
    assert (tmp_path / "truth.json").read_bytes() == (CORPUS / "truth.json").read_bytes()
    for page in (CORPUS / "pages").iterdir():
        assert (tmp_path / "pages" / page.name).read_bytes() == page.read_bytes(), page.name
