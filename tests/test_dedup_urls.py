"""crawler.dedup.urls.canonical_url: one test per URL form."""

import pytest

from crawler.dedup.urls import canonical_url, load_rules, same_site

ART = "https://baohaiduong.vn/chinh-tri/hoi-nghi-tong-ket-123.html"


@pytest.mark.parametrize("url, expected", [
    # case of scheme and host; default ports; fragment
    ("HTTPS://BaoHaiDuong.VN/chinh-tri/hoi-nghi-tong-ket-123.html", ART),
    ("https://baohaiduong.vn:443/chinh-tri/hoi-nghi-tong-ket-123.html", ART),
    ("http://baohaiduong.vn:80/a", "http://baohaiduong.vn/a"),
    ("http://baohaiduong.vn:8080/a", "http://baohaiduong.vn:8080/a"),
    (ART + "#binh-luan", ART),
    # tracking parameters
    (ART + "?utm_source=facebook&utm_medium=social&utm_campaign=x", ART),
    (ART + "?fbclid=IwAR0abc", ART),
    (ART + "?gclid=123&_ga=2.1", ART),
    (ART + "?zarsrc=30&utm_source=zalo&utm_medium=zalo&utm_campaign=zalo", ART),
    (ART + "?mc_cid=1&mc_eid=2", ART),
    (ART + "?UTM_Source=x", ART),
    # session ids
    (ART + "?PHPSESSID=abc123", ART),
    (ART + "?sid=77ab", ART),
    (ART + "?jsessionid=XYZ", ART),
    ("https://x.gov.vn/portal/page;jsessionid=0A1B2C?id=5", "https://x.gov.vn/portal/page?id=5"),
    ("https://x.gov.vn/tin.asp?ASPSESSIONIDQQGGGNCG=KJH&id=5", "https://x.gov.vn/tin.asp?id=5"),
    ("https://x.gov.vn/(S(lit3py55t21z5v55vlm25s55))/tin.aspx?id=5", "https://x.gov.vn/tin.aspx?id=5"),
    # query order, slashes
    ("https://x.vn/tin?b=2&a=1&c=", "https://x.vn/tin?a=1&b=2&c"),
    ("https://x.vn/tin/", "https://x.vn/tin"),
    ("https://x.vn//tin//bai.html", "https://x.vn/tin/bai.html"),
    ("https://x.vn/", "https://x.vn/"),
    ("https://x.vn", "https://x.vn/"),
    # www. is kept (documented), host lower-cased
    ("https://WWW.x.vn/a", "https://www.x.vn/a"),
    # percent-escapes
    ("https://x.vn/a%7eb?q=%c3%a1", "https://x.vn/a~b?q=%C3%A1"),
    # AMP / print / mobile variants without a declared canonical
    ("https://baohaiduong.vn/amp/chinh-tri/hoi-nghi-tong-ket-123.html", ART),
    ("https://baohaiduong.vn/chinh-tri/hoi-nghi-tong-ket-123.html/amp", ART),
    ("https://baohaiduong.vn/chinh-tri/hoi-nghi-tong-ket-123.html?amp=1", ART),
    ("https://baohaiduong.vn/chinh-tri/hoi-nghi-tong-ket-123.html?amp", ART),
    ("https://m.baohaiduong.vn/chinh-tri/hoi-nghi-tong-ket-123.html", ART),
    ("https://baohaiduong.vn/print/chinh-tri/hoi-nghi-tong-ket-123.html", ART),
    ("https://baohaiduong.vn/in-bai/chinh-tri/hoi-nghi-tong-ket-123.html", ART),
    (ART + "?print=1", ART),
    (ART + "?print=true", ART),
    (ART + "?view=print", ART),
    ("https://ubkt.x.gov.vn/index.php?option=com_content&view=article&id=12&tmpl=component&print=1",
     "https://ubkt.x.gov.vn/index.php?id=12&option=com_content&view=article"),
])
def test_url_forms(url, expected):
    assert canonical_url(url) == expected


def test_tmpl_component_alone_is_kept():
    assert canonical_url("https://x.vn/index.php?tmpl=component&id=3") == "https://x.vn/index.php?id=3&tmpl=component"


def test_m_label_needs_two_remaining_labels():
    assert canonical_url("https://m.vn/a") == "https://m.vn/a"
    assert canonical_url("https://media.x.vn/a") == "https://media.x.vn/a"


def test_declared_canonical_wins_on_same_site():
    amp = "https://baohaiduong.vn/amp/123"
    assert canonical_url(amp, "https://baohaiduong.vn/chinh-tri/hoi-nghi-tong-ket-123.html") == ART
    # www. on one side only is still the same site
    assert canonical_url("https://m.x.vn/p?id=1", "https://www.x.vn/tin/bai-1.html?utm_source=a") == \
        "https://www.x.vn/tin/bai-1.html"
    # relative declared href is resolved against the page
    assert canonical_url("https://x.vn/print/tin/1", "/tin/1") == "https://x.vn/tin/1"


def test_declared_canonical_is_canonicalised_too():
    assert canonical_url(ART + "?print=1", "https://BAOHAIDUONG.VN:443/chinh-tri/hoi-nghi-tong-ket-123.html/#x") == ART


def test_declared_canonical_ignored_when_other_site_or_home():
    assert canonical_url(ART + "?utm_source=x", "https://baomoi.com/") == ART                     # other site's home
    assert canonical_url(ART, "https://baotintuc.vn/thoi-su/hoi-nghi-123.htm") == ART               # other site
    assert canonical_url(ART, "https://baohaiduong.vn/") == ART                                      # root for a non-root page
    assert canonical_url(ART, "https://baohaiduong.vn/trang-chu.html") == ART                        # home path
    assert canonical_url("https://baohaiduong.vn/", "https://baohaiduong.vn/index.html") == "https://baohaiduong.vn/index.html"


def test_generic_parameters_are_kept():
    # ids and pages select content: never dropped
    assert canonical_url("https://x.vn/tin.aspx?id=5&page=2&ref=abc") == "https://x.vn/tin.aspx?id=5&page=2&ref=abc"


def test_idempotent_and_non_http():
    for u in [ART + "?b=1&a=2&utm_source=x", "https://m.x.vn/amp/a/?print=1", "https://x.vn/a;jsessionid=1"]:
        once = canonical_url(u)
        assert canonical_url(once) == once
    assert canonical_url("mailto:a@b.vn") == "mailto:a@b.vn"
    assert canonical_url("  not a url ") == "not a url"


def test_rules_are_data():
    rules = load_rules()
    assert "fbclid" in rules.tracking_names and "utm_" in rules.tracking_prefixes
    assert "amp" in rules.variant_segments
    assert same_site("https://www.x.vn/a", "https://m.x.vn/b")
    assert not same_site("https://x.vn/a", "https://y.vn/a")


@pytest.mark.parametrize("url, calendar", [
    ("http://x.vn/lich?ngay=2024-01-05", True),
    ("http://x.vn/lich-cong-tac?date=05/01/2024", True),
    ("http://x.vn/calendar?month=2&year=2024", True),
    ("http://x.vn/events/2024/01", True),
    ("http://x.vn/su-kien/2024-01-05", True),
    ("http://x.vn/lich/tuan/2024/3", True),
    ("http://x.vn/tin-tuc/2024/01/05/tong-ket-cong-tac-kiem-tra.html", False),
    ("http://x.vn/tin?id=5", False),
    ("http://x.vn/news?page=2", False),
    ("http://x.vn/?m=20240105", False),
])
def test_calendar_urls(url, calendar):
    from crawler.dedup.urls import is_calendar_url

    assert is_calendar_url(url) is calendar
