"""crawler.report.gazetteer: the 63 → 34 mapping, spellings, prefixes and traps."""

import pytest

from crawler.report import gazetteer as g
from crawler.report.fold import fold

MERGED = {
    "Tuyên Quang": ["Tuyên Quang", "Hà Giang"], "Lào Cai": ["Lào Cai", "Yên Bái"],
    "Thái Nguyên": ["Thái Nguyên", "Bắc Kạn"], "Phú Thọ": ["Phú Thọ", "Vĩnh Phúc", "Hòa Bình"],
    "Bắc Ninh": ["Bắc Ninh", "Bắc Giang"], "Hưng Yên": ["Hưng Yên", "Thái Bình"],
    "Hải Phòng": ["Hải Phòng", "Hải Dương"], "Ninh Bình": ["Ninh Bình", "Hà Nam", "Nam Định"],
    "Quảng Trị": ["Quảng Trị", "Quảng Bình"], "Đà Nẵng": ["Đà Nẵng", "Quảng Nam"],
    "Quảng Ngãi": ["Quảng Ngãi", "Kon Tum"], "Gia Lai": ["Gia Lai", "Bình Định"],
    "Khánh Hòa": ["Khánh Hòa", "Ninh Thuận"], "Lâm Đồng": ["Lâm Đồng", "Đắk Nông", "Bình Thuận"],
    "Đắk Lắk": ["Đắk Lắk", "Phú Yên"], "Hồ Chí Minh": ["Hồ Chí Minh", "Bình Dương", "Bà Rịa - Vũng Tàu"],
    "Đồng Nai": ["Đồng Nai", "Bình Phước"], "Tây Ninh": ["Tây Ninh", "Long An"],
    "Cần Thơ": ["Cần Thơ", "Sóc Trăng", "Hậu Giang"], "Vĩnh Long": ["Vĩnh Long", "Bến Tre", "Trà Vinh"],
    "Đồng Tháp": ["Đồng Tháp", "Tiền Giang"], "Cà Mau": ["Cà Mau", "Bạc Liêu"],
    "An Giang": ["An Giang", "Kiên Giang"],
}
UNCHANGED = ["Hà Nội", "Lai Châu", "Điện Biên", "Sơn La", "Lạng Sơn", "Quảng Ninh", "Thanh Hóa",
             "Nghệ An", "Hà Tĩnh", "Cao Bằng"]


def test_counts():
    gz = g.gazetteer()
    assert len(gz.provinces) == 63
    assert len(gz.current_units) == 34


@pytest.mark.parametrize("new,olds", MERGED.items())
def test_every_merged_province(new, olds):
    for old in olds:
        assert g.canonical(old) == old
        assert g.current_unit(old) == new
    assert g.current_unit(new) == new


@pytest.mark.parametrize("name", UNCHANGED)
def test_unchanged(name):
    assert g.current_unit(name) == name


def test_hue():
    assert g.canonical("Thừa Thiên Huế") == "Thừa Thiên Huế"
    assert g.current_unit("Thừa Thiên Huế") == "Huế"
    assert g.current_unit("Thừa Thiên - Huế") == "Huế"
    assert g.current_unit("Huế") == "Huế"
    assert g.current_unit("thua thien hue") == "Huế"


@pytest.mark.parametrize("spelling,canon", [
    ("thanh hoa", "Thanh Hóa"), ("Thanh Hoá", "Thanh Hóa"), ("Khánh Hoà", "Khánh Hòa"),
    ("Hoà Bình", "Hòa Bình"), ("hoa binh", "Hòa Bình"), ("Đắc Lắc", "Đắk Lắk"), ("Dak Lak", "Đắk Lắk"),
    ("Đắk Nông", "Đắk Nông"), ("dak nong", "Đắk Nông"), ("Bà Rịa–Vũng Tàu", "Bà Rịa - Vũng Tàu"),
    ("Bà Rịa-Vũng Tàu", "Bà Rịa - Vũng Tàu"), ("ba ria vung tau", "Bà Rịa - Vũng Tàu"),
    ("TP.HCM", "Hồ Chí Minh"), ("TP Hồ Chí Minh", "Hồ Chí Minh"), ("Thành phố Hồ Chí Minh", "Hồ Chí Minh"),
    ("TPHCM", "Hồ Chí Minh"), ("tỉnh Hải Dương", "Hải Dương"), ("TP. Cần Thơ", "Cần Thơ"),
    ("Tp. Đà Nẵng", "Đà Nẵng"), ("thành phố Hải Phòng", "Hải Phòng"), ("Hai Duong", "Hải Dương"),
])
def test_spellings_and_prefixes(spelling, canon):
    assert g.canonical(spelling) == canon


def test_unknown_names():
    assert g.canonical("Atlantis") is None and g.current_unit("") is None


def names(text):
    return [m["name"] for m in g.find_provinces(text)]


def test_find_offsets_and_surface():
    text = "Ngày 12/1, Tỉnh ủy Bà Rịa–Vũng Tàu họp với Thành ủy Cần Thơ."
    ms = g.find_provinces(text)
    assert [m["name"] for m in ms] == ["Bà Rịa - Vũng Tàu", "Cần Thơ"]
    assert all(text[m["start"]:m["end"]] == m["surface"] for m in ms)
    assert all(m["prefixed"] for m in ms)


def test_nearby_names_are_told_apart():
    assert names("Hà Nam và Nam Định; Quảng Nam, Quảng Ngãi; Bình Định, tỉnh Bình Dương.") == \
        ["Hà Nam", "Nam Định", "Quảng Nam", "Quảng Ngãi", "Bình Định", "Bình Dương"]


def test_unaccented_mentions():
    assert names("Tinh uy Thai Binh va tinh Quang Ninh") == ["Thái Bình", "Quảng Ninh"]


def test_hoa_binh_trap():
    assert names("Nhân dân mong muốn hòa bình, hữu nghị.") == []
    assert names("Đồng chí Nguyễn Hòa Bình phát biểu.") == []
    assert names("vì hoà bình và phát triển") == []
    assert names("Tỉnh ủy Hòa Bình tổ chức hội nghị") == ["Hòa Bình"]
    assert names("tỉnh Hoà Bình") == ["Hòa Bình"]
    assert names("Hòa Bình: Tổng kết công tác kiểm tra") == ["Hòa Bình"]


def test_other_traps():
    assert names("Thái Bình Dương rộng lớn") == []          # the Pacific
    assert names("học tập tư tưởng Hồ Chí Minh") == []       # the person
    assert names("thành phố Hồ Chí Minh") == ["Hồ Chí Minh"]
    assert names("Chiến thắng Điện Biên Phủ") == []
    assert names("Thành ủy Cần Thơ") == ["Cần Thơ"]


def test_cities_map_to_their_province():
    cities = g.gazetteer().find_cities("Thành ủy Hạ Long và thành phố Đà Lạt, Thị ủy An Khê")
    assert [c["province"] for c in cities] == ["Quảng Ninh", "Lâm Đồng", "Gia Lai"]


def test_fold_keeps_length_and_unifies_tone_placement():
    for s in ["Thuỷ", "Thủy", "Khánh Hoà", "Đắk Lắk – Vũng Tàu"]:
        assert len(fold(s)) == len(s)
    assert fold("Thuỷ") == fold("Thủy") == "thuy"
    assert fold("Đảng") == "dang"
