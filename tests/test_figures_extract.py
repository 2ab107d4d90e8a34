"""crawler.figures.extract_figures: number forms, constructions, negatives, offsets."""

import inspect
import json
from pathlib import Path

import pytest

from crawler.figures import extract_figures, fold, split_sentences

CORPUS = Path(__file__).resolve().parent / "corpus" / "figures"
KEYS = {"metric", "subject", "count", "qualifier", "actor", "period", "sentence", "start", "end"}


def triples(text, year=2023):
    return sorted((f["metric"], f["subject"], f["count"]) for f in extract_figures(text, year))


def one(text, year=2023):
    figs = extract_figures(text, year)
    assert len(figs) == 1, figs
    return figs[0]


# ---------------------------------------------------------------- signature and shape

def test_signature():
    sig = inspect.signature(extract_figures)
    assert list(sig.parameters) == ["text", "report_year"]
    assert sig.parameters["report_year"].default is None


def test_dict_keys_and_types():
    f = one("Năm 2023, cấp ủy các cấp đã kiểm tra 57.486 tổ chức đảng.")
    assert set(f) == KEYS
    assert isinstance(f["count"], int) and f["count"] == 57486


# ---------------------------------------------------------------- number forms

@pytest.mark.parametrize("phrase, count, qualifier", [
    ("57.486 tổ chức đảng", 57486, "exact"),
    ("323.979 tổ chức đảng", 323979, "exact"),
    ("1,284 triệu lượt tổ chức đảng", 1284000, "exact"),
    ("55 nghìn tổ chức đảng", 55000, "exact"),
    ("1,2 nghìn tổ chức đảng", 1200, "exact"),
    ("hơn 76 nghìn lượt tổ chức đảng", 76000, "over"),
    ("trên 7.000 lượt tổ chức Đảng", 7000, "over"),
    ("khoảng 2.300 tổ chức đảng", 2300, "about"),
    ("gần 1.200 tổ chức đảng", 1200, "about"),
    ("gần như 300 tổ chức đảng", 300, "about"),
    ("dưới 50 tổ chức đảng", 50, "under"),
    ("một tổ chức Đảng", 1, "exact"),
    ("hai tổ chức đảng", 2, "exact"),
    ("ba tổ chức đảng", 3, "exact"),
    ("mười tổ chức đảng", 10, "exact"),
    ("mười lăm tổ chức đảng", 15, "exact"),
    ("hai mươi tổ chức đảng", 20, "exact"),
    ("hai mươi mốt tổ chức đảng", 21, "exact"),
    ("ba mươi tư tổ chức đảng", 34, "exact"),
    ("một trăm tổ chức đảng", 100, "exact"),
    ("hai trăm năm mươi tổ chức đảng", 250, "exact"),
    ("một trăm linh năm tổ chức đảng", 105, "exact"),
])
def test_number_forms(phrase, count, qualifier):
    f = one(f"Cấp ủy các cấp đã giám sát {phrase}.")
    assert (f["metric"], f["subject"], f["count"], f["qualifier"]) == ("supervised", "party_organization", count, qualifier)


def test_decimal_without_multiplier_is_not_a_count():
    assert extract_figures("Cấp ủy các cấp đã giám sát 1,5 tổ chức đảng.") == []


# ---------------------------------------------------------------- constructions

def test_coordinated_pair_shares_the_verb():
    assert triples("Theo đó, cấp ủy các cấp đã kiểm tra 57.486 tổ chức đảng và 323.979 đảng viên; "
                   "giám sát 42.979 tổ chức đảng và 147.197 đảng viên.") == sorted([
        ("inspected", "party_organization", 57486), ("inspected", "party_member", 323979),
        ("supervised", "party_organization", 42979), ("supervised", "party_member", 147197)])


def test_breakdown_in_parentheses():
    assert triples("Ủy ban Kiểm tra các cấp thi hành kỷ luật 63 đảng viên "
                   "(khiển trách 15, cảnh cáo 20, cách chức 10, khai trừ 18).") == sorted([
        ("disciplined", "party_member", 63), ("reprimanded", "party_member", 15),
        ("warned", "party_member", 20), ("dismissed", "party_member", 10), ("expelled", "party_member", 18)])


def test_breakdown_number_before_form_and_scope_after_parenthesis():
    assert triples("Các cấp ủy đã thi hành kỷ luật 87 đảng viên (42 khiển trách, 31 cảnh cáo) và 2 tổ chức đảng.") == sorted([
        ("disciplined", "party_member", 87), ("reprimanded", "party_member", 42),
        ("warned", "party_member", 31), ("disciplined", "party_organization", 2)])


def test_trong_do_sub_count_committee_member():
    assert triples("Cấp ủy các cấp đã thi hành kỷ luật 21 tổ chức Đảng, 323 đảng viên, trong đó có 68 cấp ủy viên, "
                   "chiếm 21,1% tổng số đảng viên bị kỷ luật.") == sorted([
        ("disciplined", "party_organization", 21), ("disciplined", "party_member", 323),
        ("disciplined", "committee_member", 68)])


def test_signs_of_violation_prefix_and_postfix():
    assert triples("Cấp ủy và Ủy ban Kiểm tra các cấp kiểm tra khi có dấu hiệu vi phạm đối với 2 tổ chức Đảng và 26 đảng viên.") == sorted([
        ("inspected_signs_of_violation", "party_organization", 2), ("inspected_signs_of_violation", "party_member", 26)])
    assert triples("Cấp ủy các cấp đã kiểm tra 25 tổ chức đảng và 58 đảng viên khi có dấu hiệu vi phạm.") == sorted([
        ("inspected_signs_of_violation", "party_organization", 25), ("inspected_signs_of_violation", "party_member", 58)])


def test_thematic_and_regular_supervision():
    assert triples("UBKT các cấp đã giám sát chuyên đề 764 tổ chức đảng và 1.650 đảng viên.") == sorted([
        ("supervised_thematic", "party_organization", 764), ("supervised_thematic", "party_member", 1650)])
    f = extract_figures("Cấp ủy và Ủy ban Kiểm tra các cấp giám sát thường xuyên trên 7.000 lượt tổ chức Đảng.", 2023)
    assert [(x["metric"], x["count"], x["qualifier"]) for x in f] == [("supervised", 7000, "over")]


def test_number_word_organisation_and_members():
    assert triples("Cấp ủy các cấp thi hành kỷ luật một tổ chức Đảng, 145 đảng viên.") == sorted([
        ("disciplined", "party_organization", 1), ("disciplined", "party_member", 145)])


def test_suspended_removed_and_cho_ra_khoi_dang():
    assert triples("Các cấp ủy đình chỉ sinh hoạt đảng đối với 10 đảng viên, xóa tên 14 đảng viên, "
                   "cho ra khỏi đảng 7 đảng viên.") == sorted([
        ("suspended", "party_member", 10), ("removed_from_rolls", "party_member", 14),
        ("removed_from_rolls", "party_member", 7)])


def test_khai_tru_is_expelled_not_removed():
    assert triples("Các chi bộ đã khai trừ ra khỏi Đảng 19 đảng viên.") == [("expelled", "party_member", 19)]


def test_assets_verified_cadre():
    f = one("Ủy ban Kiểm tra các cấp đã xác minh tài sản, thu nhập đối với 172 cán bộ thuộc diện cấp ủy cùng cấp quản lý.")
    assert (f["metric"], f["subject"], f["count"], f["actor"]) == ("assets_verified", "cadre", 172, "Ủy ban Kiểm tra các cấp")


def test_inspection_teams_and_inspections():
    assert triples("Ban Thường vụ Thành ủy thành lập 17 đoàn kiểm tra, giám sát.") == [("inspection_teams", "other", 17)]
    assert triples("Các huyện ủy đã hoàn thành 40 cuộc; riêng các Đảng ủy cơ sở đã hoàn thành 3.142 cuộc.") == sorted([
        ("inspections", "other", 40), ("inspections", "other", 3142)])


def test_denunciations_and_found_violations():
    assert triples("Đồng thời giải quyết, tố cáo với 8 tổ chức đảng, 225 đảng viên, qua giải quyết đã xác định "
                   "4 tổ chức đảng và 46 đảng viên có vi phạm, khuyết điểm…") == sorted([
        ("denunciations", "party_organization", 8), ("denunciations", "party_member", 225),
        ("found_violations", "party_organization", 4), ("found_violations", "party_member", 46)])


def test_denunciation_petitions_carry_to_the_people_named():
    assert triples("UBKT các cấp đã giải quyết 27 đơn tố cáo đối với 2 tổ chức đảng và 29 đảng viên.") == sorted([
        ("denunciations", "case", 27), ("denunciations", "party_organization", 2), ("denunciations", "party_member", 29)])


def test_complaints():
    assert triples("Ủy ban Kiểm tra Tỉnh ủy đã giải quyết khiếu nại kỷ luật đảng đối với 4 đảng viên.") == [
        ("complaints", "party_member", 4)]
    assert triples("Ủy ban Kiểm tra Tỉnh ủy đã giải quyết 3 đơn khiếu nại kỷ luật đảng.") == [("complaints", "case", 3)]


def test_must_discipline_prefix_and_postfix():
    assert triples("Qua kiểm tra, kết luận 64 đảng viên có vi phạm, phải thi hành kỷ luật 9 đảng viên, "
                   "đã thi hành kỷ luật 8 đảng viên.") == sorted([
        ("found_violations", "party_member", 64), ("must_discipline", "party_member", 9),
        ("disciplined", "party_member", 8)])
    assert triples("Đã xác định 56 tổ chức đảng và 312 đảng viên có vi phạm, trong đó 18 đảng viên vi phạm "
                   "đến mức phải thi hành kỷ luật.") == sorted([
        ("found_violations", "party_organization", 56), ("found_violations", "party_member", 312),
        ("must_discipline", "party_member", 18)])


def test_passive_voice():
    assert triples("Trong năm 2024, có 1.024 tổ chức đảng và 4.870 đảng viên được kiểm tra.", 2024) == sorted([
        ("inspected", "party_organization", 1024), ("inspected", "party_member", 4870)])
    assert triples("Qua kiểm tra, có 47 đảng viên bị thi hành kỷ luật, trong đó có 9 cấp ủy viên.") == sorted([
        ("disciplined", "party_member", 47), ("disciplined", "committee_member", 9)])


def test_task_execution_and_finance():
    assert triples("UBKT các cấp đã kiểm tra tổ chức đảng cấp dưới thực hiện nhiệm vụ kiểm tra, giám sát và thi hành "
                   "kỷ luật trong Đảng đối với 412 tổ chức đảng; kiểm tra tài chính đảng đối với 287 tổ chức đảng.") == sorted([
        ("inspected_task_execution", "party_organization", 412), ("finance_inspected", "party_organization", 287)])


def test_combined_inspection_and_supervision():
    assert triples("Cấp ủy các cấp đã kiểm tra, giám sát 2.150 tổ chức đảng và 8.900 đảng viên.") == sorted([
        ("inspected_supervised", "party_organization", 2150), ("inspected_supervised", "party_member", 8900)])


# ---------------------------------------------------------------- negatives

@pytest.mark.parametrize("sentence", [
    "So với năm 2022, số tổ chức đảng được kiểm tra tăng 18,1%.",
    "Giám sát tổ chức đảng, đảng viên của cấp ủy, UBKT các cấp vượt 121%, kiểm tra đảng viên khi có dấu hiệu vi phạm vượt 147%.",
    "Cấp ủy các cấp thi hành kỷ luật chiếm 21,1% tổng số đảng viên bị kỷ luật.",
    "Đến nay 100% cấp ủy, UBKT Đảng ủy cơ sở hoàn thành chương trình kiểm tra, giám sát năm 2024.",
    "Cấp ủy các cấp thi hành kỷ luật 94 đảng viên là việc làm thường xuyên, giảm 7 đảng viên so với năm trước." ,
])
def test_percentages_and_comparisons_yield_no_figure(sentence):
    figs = extract_figures(sentence, 2023)
    assert all(f["count"] not in (18, 121, 147, 21, 100, 7) for f in figs), figs


def test_comparison_only_sentence_yields_nothing():
    assert extract_figures("Số đảng viên bị kỷ luật tăng 12 đảng viên so với năm 2019.", 2020) == []
    assert extract_figures("So với năm 2022, số cuộc giám sát chuyên đề tăng 12 cuộc.", 2023) == []


@pytest.mark.parametrize("sentence", [
    "Ngày 27/12, Ban Bí thư tổ chức Hội nghị toàn quốc tổng kết công tác kiểm tra, giám sát năm 2023.",
    "Năm 2024 là năm thứ tư thực hiện Nghị quyết Đại hội lần thứ XIII, nhiệm kỳ 2020-2025.",
    "Đảng bộ thực hiện nghiêm Điều 30 Điều lệ Đảng và Quy định số 22-QĐ/TW về kiểm tra 12 nội dung.",
    "UBKT Đảng ủy Khối đánh giá xếp loại thi đua đối với 47 UBKT đảng ủy cơ sở và đề nghị khen thưởng 10 UBKT Đảng ủy cơ sở.",
    "Quận ủy đã xếp loại 52 chi bộ trực thuộc, đồng thời khen thưởng 18 tổ chức đảng và 26 đảng viên.",
    "Cấp ủy các cấp ban hành kế hoạch kiểm tra giám sát với 95 nội dung, gồm 44 nội dung kiểm tra, 51 nội dung giám sát.",
    "Năm 2024, Ban Thường vụ Quận ủy ban hành kế hoạch kiểm tra 12 tổ chức đảng và giám sát 18 đảng viên.",
    "Quý II, Ủy ban Kiểm tra Tỉnh ủy sẽ kiểm tra 6 tổ chức đảng và giám sát 10 đảng viên theo chương trình.",
    "Tỉnh ủy đã ban hành chương trình kiểm tra, giám sát với 25 cuộc.",
    "Toàn Đảng hiện có hơn 5,3 triệu đảng viên sinh hoạt tại 52 nghìn tổ chức cơ sở đảng.",
    "Ủy ban Kiểm tra Tỉnh ủy tổ chức 3 hội nghị tập huấn nghiệp vụ cho hơn 600 cán bộ kiểm tra các cấp.",
    "Các đơn vị đã tiếp nhận 214 đơn thư, trong đó có 48 đơn tố cáo.",
    "Ủy ban Kiểm tra đã giữ nguyên hình thức kỷ luật 3 trường hợp.",
])
def test_non_figures(sentence):
    assert extract_figures(sentence, 2023) == []


def test_sentence_without_figure_yields_none():
    assert extract_figures("Cấp ủy, tổ chức Đảng chỉ đạo tiếp nhận, phân loại và kịp thời giải quyết dứt điểm "
                           "đơn thư tố cáo, khiếu nại kỷ luật Đảng theo thẩm quyền.", 2023) == []
    assert extract_figures("", 2023) == []


# ---------------------------------------------------------------- actor, period, folding

def test_actor_is_nearest_before_the_verb():
    figs = extract_figures("Cấp ủy các cấp đã thi hành kỷ luật 17 đảng viên; Ủy ban Kiểm tra các cấp thi hành kỷ luật "
                           "1 tổ chức đảng và 25 đảng viên.", 2020)
    assert [f["actor"] for f in figs] == ["Cấp ủy các cấp", "Ủy ban Kiểm tra các cấp", "Ủy ban Kiểm tra các cấp"]
    f = one("Ban Thường vụ Tỉnh ủy giám sát chuyên đề 14 tổ chức đảng.")
    assert f["actor"] == "Ban Thường vụ Tỉnh ủy"
    assert one("Đã kiểm tra 14 tổ chức đảng.")["actor"] is None


def test_period():
    assert one("Năm 2023, cấp ủy các cấp đã kiểm tra 12 tổ chức đảng.", None)["period"] == "2023"
    assert one("Cấp ủy các cấp đã kiểm tra 12 tổ chức đảng.", 2022)["period"] == "2022"
    assert one("Cấp ủy các cấp đã kiểm tra 12 tổ chức đảng.", None)["period"] is None
    assert one("Trong 6 tháng đầu năm, cấp ủy các cấp đã kiểm tra 12 tổ chức đảng.", 2024)["period"] == "6 tháng"
    assert one("Trong quý III, UBKT các cấp đã kiểm tra 12 đảng viên.", 2023)["period"] == "quý III"
    text = ("Ủy ban Kiểm tra Tỉnh ủy sơ kết công tác quý III năm 2023.\n"
            "Cũng trong quý, cấp ủy các cấp đã thi hành kỷ luật 32 đảng viên.")
    assert one(text, 2023)["period"] == "quý III"


def test_diacritic_insensitive_match_but_verbatim_sentence():
    text = "Uỷ ban kiểm tra các cấp đã THI HÀNH KỶ LUẬT 5 Đảng viên."
    f = one(text)
    assert (f["metric"], f["subject"], f["count"]) == ("disciplined", "party_member", 5)
    assert f["sentence"] == text and text[f["start"]:f["end"]] == text
    assert fold("Ủy ban Kiểm tra Đảng") == "uy ban kiem tra dang"
    assert len(fold("Ủy ban")) == len("Ủy ban")


# ---------------------------------------------------------------- offsets on the whole corpus

def _corpus():
    for path in sorted(CORPUS.glob("*.json")):
        yield from json.loads(path.read_text(encoding="utf-8"))


def test_offsets_verbatim_on_corpus():
    n = 0
    for art in _corpus():
        for f in extract_figures(art["text"], art["report_year"]):
            assert set(f) == KEYS
            assert art["text"][f["start"]:f["end"]] == f["sentence"]
            assert f["sentence"] == f["sentence"].strip() and f["sentence"]
            n += 1
    assert n > 200


def test_offsets_with_multiple_paragraphs_and_abbreviations():
    text = ("Tại TP. Hồ Chí Minh, hội nghị diễn ra ngày 5/1.\n"
            "Năm 2023, cấp ủy các cấp đã kiểm tra 12 tổ chức đảng. Ủy ban Kiểm tra các cấp đã giám sát 30 đảng viên.")
    figs = extract_figures(text, 2023)
    assert [f["count"] for f in figs] == [12, 30]
    for f in figs:
        assert text[f["start"]:f["end"]] == f["sentence"]
    assert figs[1]["sentence"] == "Ủy ban Kiểm tra các cấp đã giám sát 30 đảng viên."
    assert [text[s:e] for s, e in split_sentences(text)][0] == "Tại TP. Hồ Chí Minh, hội nghị diễn ra ngày 5/1."
