"""crawler.report.recognise: doc types, hard negatives, years, dates, levels, provinces."""

import json
from pathlib import Path

import pytest

from crawler.registry import Source
from crawler.report import recognise

KEYS = {"doc_type", "is_relevant", "relevance_cues", "report_year", "event_date", "level",
        "province", "province_current"}
CORPUS = Path(__file__).parent / "corpus" / "reports"


def src(province="Hải Dương", level="provincial"):
    return Source(id="t", name="test", home="https://example.invalid/", province=province, level=level)


def seed(i):
    for line in (CORPUS / "reports.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        if r["id"] == f"seed-00{i}":
            s = r["source"]
            return recognise(r["title"], r["text"], r["published"],
                             Source(id=s["id"], name=s["name"], home="https://x.invalid/",
                                    province=s["province"], level=s["level"]))
    raise KeyError(i)


def test_exact_keys_and_types():
    got = recognise(None, "", None, None)
    assert set(got) == KEYS
    assert got["doc_type"] == "other" and got["is_relevant"] is False and got["relevance_cues"] == []


# ---------------------------------------------------------------- the five seeds

def test_seed_000_national_review_relayed_to_provincial_bridge_is_central():
    got = seed(0)
    assert (got["doc_type"], got["level"], got["report_year"], got["event_date"], got["province"]) == \
        ("year_end_review", "central", 2023, "2023-12-27", None)


def test_seed_001_bloc_monthly_sitting_reviewing_the_year_is_year_end():
    got = seed(1)
    assert got["doc_type"] == "year_end_review" and got["is_relevant"]
    assert (got["level"], got["report_year"], got["event_date"]) == ("bloc", 2024, "2024-11-29")
    assert (got["province"], got["province_current"]) == ("Nam Định", "Ninh Bình")
    assert any("trong năm" in c for c in got["relevance_cues"])


def test_seed_002_january_meeting_reviews_previous_year():
    got = seed(2)
    assert (got["level"], got["report_year"], got["event_date"], got["province"]) == \
        ("provincial", 2023, "2024-01-04", "Cần Thơ")


def test_seed_003_province_from_source():
    got = seed(3)
    assert (got["level"], got["report_year"], got["event_date"], got["province"]) == \
        ("provincial", 2025, "2025-12-26", "Thanh Hóa")


def test_seed_004_report_without_meeting():
    got = seed(4)
    assert got["is_relevant"] and got["report_year"] == 2023 and got["province"] == "Quảng Ninh"
    assert got["event_date"] is None


# ---------------------------------------------------------------- doc types

YEAR_END = ("Tỉnh ủy Nghệ An tổng kết công tác kiểm tra, giám sát năm 2024",
            "Sáng 27/12, Tỉnh ủy Nghệ An tổ chức hội nghị tổng kết công tác kiểm tra, giám sát năm 2024, "
            "triển khai nhiệm vụ năm 2025.\nNăm 2024, cấp ủy các cấp kiểm tra 900 tổ chức đảng.")


@pytest.mark.parametrize("title,text,expected", [
    (*YEAR_END, "year_end_review"),
    ("Tổng kết công tác kiểm tra, giám sát nhiệm kỳ 2020-2025",
     "Ngày 10/5, Huyện ủy Yên Định tổ chức hội nghị tổng kết công tác kiểm tra, giám sát nhiệm kỳ 2020-2025.",
     "term_review"),
    ("Sơ kết công tác kiểm tra, giám sát 6 tháng đầu năm 2024",
     "Ngày 10/7, Ủy ban Kiểm tra Tỉnh ủy tổ chức hội nghị sơ kết công tác kiểm tra, giám sát 6 tháng đầu năm 2024.",
     "mid_year_review"),
    ("Giao ban công tác kiểm tra quý III",
     "Ngày 5/10, Ủy ban Kiểm tra Tỉnh ủy tổ chức giao ban quý III năm 2024, triển khai nhiệm vụ quý IV.",
     "periodic_briefing"),
    ("Ủy ban Kiểm tra Trung ương họp kỳ thứ 55",
     "Ủy ban Kiểm tra Trung ương họp kỳ thứ 55, xem xét kết quả kiểm tra đối với một số đảng viên.",
     "commission_session"),
    ("Kỳ họp thứ 20 của UBKT Tỉnh ủy",
     "Tại kỳ họp thứ 20 của UBKT Tỉnh ủy Sóc Trăng, Ủy ban đề nghị thi hành kỷ luật 2 đảng viên.",
     "commission_session"),
    ("Thi hành kỷ luật cảnh cáo đối với ông Nguyễn Văn A.",
     "Ban Thường vụ Tỉnh ủy quyết định thi hành kỷ luật cảnh cáo đối với ông Nguyễn Văn A., nguyên Giám đốc Sở.",
     "discipline_case"),
    ("Khai trừ ra khỏi Đảng nguyên Chủ tịch huyện",
     "Ủy ban Kiểm tra Tỉnh ủy quyết định khai trừ ra khỏi Đảng đối với ông Trần B., đảng viên.",
     "discipline_case"),
    ("Kỷ niệm 75 năm Ngày truyền thống ngành Kiểm tra Đảng",
     "Tỉnh ủy tổ chức lễ kỷ niệm 75 năm Ngày truyền thống ngành Kiểm tra Đảng, đánh giá kết quả công tác kiểm tra, giám sát.",
     "other"),
    ("Phỏng vấn Chủ nhiệm UBKT Tỉnh ủy về công tác kiểm tra, giám sát năm 2023",
     "PV: Năm 2023 công tác kiểm tra, giám sát của tỉnh có điểm gì nổi bật?",
     "other"),
    ("Thanh tra tỉnh tổng kết công tác thanh tra năm 2023",
     "Ngày 5/1, Thanh tra tỉnh tổ chức hội nghị tổng kết công tác thanh tra, tiếp công dân năm 2023.",
     "other"),
    ("Thanh tra Chính phủ tổng kết năm 2024",
     "Thanh tra Chính phủ tổ chức hội nghị trực tuyến toàn quốc tổng kết công tác thanh tra năm 2024.",
     "other"),
    ("Sở Y tế tổng kết công tác kiểm tra, giám sát an toàn thực phẩm năm 2023",
     "Năm qua, các đoàn liên ngành kiểm tra 4.300 cơ sở kinh doanh thực phẩm.",
     "other"),
])
def test_doc_types(title, text, expected):
    got = recognise(title, text, "2024-12-30T10:00:00+07:00", src())
    assert got["doc_type"] == expected, got
    assert got["is_relevant"] == (expected in ("year_end_review", "term_review"))
    if expected != "other" or "Thanh tra" in title:
        assert got["relevance_cues"], "the deciding cues are reported"


def test_cues_are_phrases_from_the_text():
    got = recognise(*YEAR_END, "2024-12-27T18:00:00+07:00", src("Nghệ An"))
    joined = YEAR_END[0] + "\n" + YEAR_END[1]
    assert got["relevance_cues"] and all(c in joined for c in got["relevance_cues"])


def test_unaccented_and_old_tone_text():
    got = recognise("Tinh uy Thai Binh tong ket cong tac kiem tra, giam sat nam 2022",
                    "Sang ngay 30/12, Tinh uy Thai Binh to chuc hoi nghi tong ket cong tac kiem tra, giam sat nam 2022.",
                    "2022-12-31T07:00:00+07:00", None)
    assert (got["doc_type"], got["event_date"], got["province"], got["province_current"]) == \
        ("year_end_review", "2022-12-30", "Thái Bình", "Hưng Yên")
    got = recognise("Khánh Hoà tổng kết công tác kiểm tra, giám sát năm 2023",
                    "Ngày 9/1, Tỉnh uỷ Khánh Hoà tổ chức hội nghị tổng kết công tác kiểm tra, giám sát năm 2023.",
                    "2024-01-09T17:00:00+07:00", None)
    assert (got["province"], got["event_date"], got["level"]) == ("Khánh Hòa", "2024-01-09", "provincial")


# ---------------------------------------------------------------- years and dates

def test_december_date_in_review_of_that_year():
    got = recognise("Tổng kết công tác kiểm tra, giám sát năm 2025",
                    "Chiều ngày 26/12, Ban Thường vụ Tỉnh ủy tổ chức hội nghị tổng kết công tác kiểm tra, giám sát năm 2025.",
                    "2025-12-26T17:45:00+07:00", src("Thanh Hóa"))
    assert (got["report_year"], got["event_date"]) == (2025, "2025-12-26")


def test_january_date_after_review_of_previous_year():
    got = recognise("Thành ủy tổng kết công tác kiểm tra, giám sát năm 2023",
                    "Ngày 4/1, Thành ủy Cần Thơ tổ chức hội nghị tổng kết công tác kiểm tra, giám sát năm 2023.",
                    "2024-01-05T08:00:00+07:00", None)
    assert (got["report_year"], got["event_date"]) == (2023, "2024-01-04")


def test_trong_nam_with_november_meeting_takes_meeting_year():
    got = recognise("Ủy ban Kiểm tra Đảng ủy Khối họp",
                    "Chiều 21/11, Ủy ban Kiểm tra Đảng ủy Khối họp đánh giá kết quả công tác kiểm tra, giám sát "
                    "và thi hành kỷ luật trong năm.", "2024-11-22T09:00:00+07:00", src("Nam Định", "bloc"))
    assert got["doc_type"] == "year_end_review"
    assert (got["report_year"], got["event_date"], got["level"]) == (2024, "2024-11-21", "bloc")


def test_event_never_far_after_published():
    # no year anywhere but a December date, published in January: the meeting was last December
    got = recognise("Hội nghị tổng kết công tác kiểm tra",
                    "Ngày 28/12, Huyện ủy Gia Lâm tổ chức hội nghị tổng kết công tác kiểm tra, giám sát.",
                    "2024-01-02T08:00:00+07:00", src("Hà Nội"))
    assert got["event_date"] == "2023-12-28" and got["report_year"] == 2023


def test_date_forms():
    for lead, want in [("Sáng nay (8/1), Tỉnh ủy Bắc Ninh tổ chức", "2025-01-08"),
                       ("Chiều 29-12, Thành ủy Huế tổ chức", "2024-12-29"),
                       ("Ngày 5 tháng 1 năm 2025, Tỉnh ủy tổ chức", "2025-01-05")]:
        got = recognise("Tổng kết công tác kiểm tra, giám sát năm 2024",
                        lead + " hội nghị tổng kết công tác kiểm tra, giám sát năm 2024.",
                        "2025-01-08T12:00:00+07:00", src())
        assert got["event_date"] == want, lead


# ---------------------------------------------------------------- levels and provinces

def test_bridge_point_stays_central():
    got = recognise("Hải Dương dự Hội nghị toàn quốc tổng kết công tác kiểm tra, giám sát năm 2023",
                    "Ngày 27/12, Ban Bí thư tổ chức Hội nghị toàn quốc tổng kết công tác kiểm tra, giám sát năm 2023.\n"
                    "Dự hội nghị tại điểm cầu Tỉnh ủy Hải Dương có đồng chí Phó Bí thư Thường trực Tỉnh ủy.",
                    "2023-12-28T15:00:00+07:00", src("Hải Dương"))
    assert (got["level"], got["province"], got["province_current"]) == ("central", None, None)


@pytest.mark.parametrize("organiser,level,province", [
    ("Thành ủy Cần Thơ", "provincial", "Cần Thơ"),
    ("Thành ủy Hạ Long", "district", "Quảng Ninh"),
    ("Thành ủy Thanh Hóa", "district", "Thanh Hóa"),
    ("Huyện ủy Gia Lâm", "district", "Hà Nội"),
    ("Đảng ủy Khối Doanh nghiệp tỉnh Bình Dương", "bloc", "Bình Dương"),
    ("Đảng ủy xã Hải Bắc", "commune", "Hà Nội"),
    ("Ban Thường vụ Tỉnh ủy Bà Rịa–Vũng Tàu", "provincial", "Bà Rịa - Vũng Tàu"),
    ("Ủy ban Kiểm tra Trung ương", "central", None),
])
def test_levels(organiser, level, province):
    got = recognise("Tổng kết công tác kiểm tra, giám sát năm 2024",
                    f"Ngày 20/12, {organiser} tổ chức hội nghị tổng kết công tác kiểm tra, giám sát năm 2024.",
                    "2024-12-21T08:00:00+07:00", src("Hà Nội"))
    assert (got["level"], got["province"]) == (level, province)


def test_role_mentions_are_not_the_organiser():
    got = recognise("Tổng kết công tác kiểm tra, giám sát năm 2025",
                    "Chiều 26/12, Ban Thường vụ Tỉnh ủy tổ chức hội nghị tổng kết công tác kiểm tra, giám sát năm 2025.\n"
                    "Dự hội nghị có đồng chí Trần Quốc Bình, Ủy viên UBKT Trung ương.",
                    "2025-12-26T18:00:00+07:00", src("Thanh Hóa"))
    assert (got["level"], got["province"]) == ("provincial", "Thanh Hóa")


def test_hoa_binh_the_word_is_not_the_province():
    got = recognise("Điện Biên tổng kết công tác kiểm tra, giám sát năm 2024",
                    "Ngày 26/12, Ban Thường vụ Tỉnh ủy tổ chức hội nghị tổng kết công tác kiểm tra, giám sát năm 2024. "
                    "Đồng chí Nguyễn Hòa Bình trình bày báo cáo; nhân dân yên tâm xây dựng cuộc sống hòa bình.",
                    "2024-12-27T08:00:00+07:00", None)
    assert got["province"] == "Điện Biên"
    got = recognise("Tổng kết công tác kiểm tra, giám sát năm 2023",
                    "Ngày 27/12, Tỉnh ủy tổ chức hội nghị tổng kết công tác kiểm tra, giám sát năm 2023 vì một cuộc sống hòa bình.",
                    "2023-12-27T18:00:00+07:00", src("Sơn La"))
    assert got["province"] == "Sơn La"
    got = recognise("Tỉnh ủy Hòa Bình tổng kết công tác kiểm tra, giám sát năm 2023",
                    "Ngày 27/12, Ban Thường vụ Tỉnh ủy Hòa Bình tổ chức hội nghị tổng kết công tác kiểm tra, giám sát năm 2023.",
                    "2023-12-27T18:00:00+07:00", src("Sơn La"))
    assert (got["province"], got["province_current"]) == ("Hòa Bình", "Phú Thọ")


def test_source_as_dict_and_level_fallback():
    got = recognise("Nhìn lại công tác kiểm tra, giám sát năm 2024",
                    "Năm 2024, cấp ủy, Ủy ban Kiểm tra các cấp đã kiểm tra 1.026 tổ chức đảng.",
                    "2024-12-31T10:00:00+07:00", {"id": "x", "name": "x", "province": "Cà Mau", "level": "provincial"})
    assert (got["doc_type"], got["level"], got["province"], got["report_year"]) == \
        ("year_end_review", "provincial", "Cà Mau", 2024)


# ---------------------------------------------------------------- the evaluation target on the labelled corpus

def test_corpus_meets_targets():
    from crawler.evaluate.reports import evaluate, load
    records = load(CORPUS / "reports.jsonl")
    assert len(records) >= 70
    m, failures = evaluate(records)
    assert m["relevance precision"] >= 0.97 and m["relevance recall"] >= 0.97, failures
    assert m["doc_type accuracy"] >= 0.90, failures
    for f in ("report_year", "event_date", "level", "province"):
        assert m[f] >= 0.95, (f, failures)


def test_second_corpus_meets_targets():
    """blind.jsonl: 40 articles written separately, without the recogniser's
    rules in view (military and police committees, a union's inspection
    commission, a central bloc meeting in Hà Nội, a side mention of a
    briefing). Scored before the fixes it prompted: relevance 0.958/0.958,
    level 0.875, province 0.917."""
    from crawler.evaluate.reports import evaluate, load
    records = load(CORPUS / "blind.jsonl")
    assert len(records) == 40
    m, failures = evaluate(records)
    assert m["relevance precision"] >= 0.97 and m["relevance recall"] >= 0.97, failures
    assert m["doc_type accuracy"] >= 0.90, failures
    for f in ("report_year", "event_date", "level", "province"):
        assert m[f] >= 0.95, (f, failures)
