"""The crawl's bounds as Scrapy components: which URLs are never fetched and
when a source's budget stops it (real Scrapy requests and crawler)."""

import pytest
from scrapy import Request
from scrapy.utils.test import get_crawler

from crawler.fetch.middlewares import BudgetSpent, SafeRequests, SourceBudget, UnsafeRequest, is_internal_host


@pytest.mark.parametrize("host, internal", [
    ("127.0.0.1", True), ("127.0.0.23", True), ("localhost", True), ("db.localhost", True),
    ("10.1.2.3", True), ("192.168.1.1", True), ("172.16.0.9", True), ("169.254.169.254", True),
    ("[::1]", True), ("fd00::1", True), ("0.0.0.0", True), ("printer.local", True),
    ("kiemtra.quangninh.gov.vn", False), ("203.162.1.10", False), ("8.8.8.8", False),
])
def test_internal_hosts(host, internal):
    assert is_internal_host(host) is internal


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/x", "data:text/html,<p>x",
                                 "s3://bucket/key"])
def test_only_http_and_https_are_fetched(url):
    with pytest.raises(UnsafeRequest, match="not an http"):
        SafeRequests().process_request(Request(url))


def test_a_redirect_from_a_public_host_to_an_internal_address_is_refused():
    chain = {"redirect_urls": ["https://tinhuy.example.vn/tin/1.html"]}
    for target in ("http://127.0.0.1:8001/", "http://169.254.169.254/latest/meta-data/", "http://localhost/"):
        with pytest.raises(UnsafeRequest, match="internal address"):
            SafeRequests().process_request(Request(target, meta=chain))
    # Public to public, and loopback to loopback (the fixtures' own sites), are followed.
    assert SafeRequests().process_request(Request("https://baochinhphu.example.vn/a", meta=chain)) is None
    loop = {"redirect_urls": ["http://127.0.0.21:8701/a"]}
    assert SafeRequests().process_request(Request("http://127.0.0.22:8701/b", meta=loop)) is None


def test_a_source_stops_at_its_page_budget():
    crawler = get_crawler(settings_dict={"SOURCE_MAX_PAGES": 3, "SOURCE_MAX_MINUTES": 0})
    budget = SourceBudget.from_crawler(crawler)
    for i in range(3):
        assert budget.process_request(Request(f"http://127.0.0.1/{i}", meta={"source": "a"})) is None
    with pytest.raises(BudgetSpent, match="page budget spent: 3"):
        budget.process_request(Request("http://127.0.0.1/4", meta={"source": "a"}))
    # Another source has its own budget; robots.txt is not counted.
    assert budget.process_request(Request("http://127.0.0.2/1", meta={"source": "b"})) is None
    robots = Request("http://127.0.0.1/robots.txt", meta={"source": "a", "dont_obey_robotstxt": True})
    assert budget.process_request(robots) is None
    assert crawler.stats.get_value("archive/budget_dropped/a") == 1


def test_a_source_stops_at_its_time_budget():
    crawler = get_crawler(settings_dict={"SOURCE_MAX_PAGES": 0, "SOURCE_MAX_MINUTES": 1})
    budget = SourceBudget.from_crawler(crawler)
    assert budget.process_request(Request("http://127.0.0.1/1", meta={"source": "a"})) is None
    budget.started["a"] -= 61  # its first request was a minute and a second ago
    with pytest.raises(BudgetSpent, match="time budget spent: 1 minutes"):
        budget.process_request(Request("http://127.0.0.1/2", meta={"source": "a"}))
