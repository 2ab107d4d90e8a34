"""Focused crawling: link ranking, pagination, --since, site search."""

from datetime import date

import sqlite_utils

from crawler.fetch.focus import is_pagination, link_priority, listing_dates, paged_past
from crawler.registry import parse_registry

from .conftest import run_cli


def test_report_links_rank_above_others():
    report = link_priority("http://x/xay-dung-dang/tong-ket-cong-tac-kiem-tra-giam-sat-2023.html",
                           "Tổng kết công tác kiểm tra, giám sát năm 2023")
    unaccented = link_priority("http://x/tin/123.html", "Tong ket cong tac kiem tra giam sat")
    ordinary = link_priority("http://x/kinh-te/gia-lua-tang.html", "Giá lúa tăng")
    contact = link_priority("http://x/lien-he.html", "Liên hệ")
    assert report > unaccented > ordinary > contact


def test_pagination_links():
    assert is_pagination("http://x/tin-tuc/trang-2.html", "2")
    assert is_pagination("http://x/tin-tuc/?page=3", "3")
    assert is_pagination("http://x/tin-tuc/index.html", "Trang sau")
    assert is_pagination("http://x/tin-tuc/index.html", "»")
    assert not is_pagination("http://x/tin-tuc/hoi-nghi-tong-ket-2023.html", "Hội nghị tổng kết năm 2023")


def test_listing_dates_and_paged_past():
    listing = "Hội nghị A (28/12/2023) … Hội nghị B 15-11-2023 … 2023-10-02"
    assert listing_dates(listing) == [date(2023, 12, 28), date(2023, 11, 15), date(2023, 10, 2)]
    assert paged_past(listing, date(2024, 1, 1))
    assert not paged_past(listing, date(2023, 12, 1))
    assert not paged_past("no dates here", date(2024, 1, 1))
    assert not paged_past(listing, None)


def test_since_stops_paging_into_older_listings(registry_file, crawled_db, tmp_path):
    db_path = tmp_path / "since.db"
    result = run_cli("crawl", "--sources", registry_file, "--db", db_path, "--delay", "0", "--since", "2025-06-01")
    assert result.returncode == 0, result.stderr
    fewer = sqlite_utils.Database(db_path)["pages"].count
    full = sqlite_utils.Database(crawled_db)["pages"].count
    assert fewer < full
    bad = run_cli("crawl", "--sources", registry_file, "--db", db_path, "--since", "June 2025")
    assert bad.returncode == 2 and "Error: " in bad.stderr and "Traceback" not in bad.stderr


def test_search_url_must_hold_the_query_placeholder():
    (source,) = parse_registry('[[source]]\nid = "a"\nname = "A"\nhome = "http://127.0.0.1/"\n'
                               'search = "http://127.0.0.1/tim-kiem?q={query}"\n')
    assert source.search.endswith("{query}")
    try:
        parse_registry('[[source]]\nid = "a"\nname = "A"\nhome = "http://127.0.0.1/"\nsearch = "http://127.0.0.1/s"\n')
    except ValueError as exc:
        assert "key 'search'" in str(exc)
    else:
        raise AssertionError("a search URL without {query} must be refused")
