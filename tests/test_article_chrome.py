"""Article container, chrome and the article/listing decision (crawler.article.chrome, __init__)."""

from crawler.article import dom, extract_article, extract_page, word_count
from crawler.article import chrome
from crawler.article.text import collapse, fold

FETCHED = "2026-01-05T03:00:00+00:00"

SENTENCES = [
    "Ban Thường vụ Huyện ủy tổ chức hội nghị tổng kết công tác kiểm tra, giám sát năm 2024 và triển khai nhiệm vụ năm 2025.",
    "Năm qua, cấp ủy các cấp đã kiểm tra 120 tổ chức đảng và 340 đảng viên, giám sát chuyên đề 45 tổ chức đảng.",
    "Ủy ban Kiểm tra các cấp kiểm tra 9 đảng viên khi có dấu hiệu vi phạm, kết luận 7 trường hợp có vi phạm.",
    "Hội nghị cũng chỉ ra một số hạn chế: việc nắm tình hình ở một số cơ sở chưa thường xuyên, chất lượng báo cáo chưa cao.",
]
EN = [
    "The council met on Tuesday evening to discuss the new budget, which includes funding for roads and schools across the county.",
    "Officials said the plan would be reviewed again next month after residents raised concerns about rising property taxes.",
    "Several members argued that the proposal did not go far enough, while others warned that the county could not afford more.",
    "The final vote is expected before the end of the year, according to a statement released by the council's press office.",
]


def _paras(items, n=1):
    return "".join(f"<p>{s}</p>" for s in items * n)


def test_short_article_next_to_a_related_list_is_not_a_listing():
    # a short body and, in the same container, a "Các tin khác" list of headline links
    related = "".join(f'<p>- <a href="/t?ID={i}">Hội nghị giám sát chuyên đề lần thứ {i} tại các chi bộ cơ sở</a> (2{i}/12/2021)</p>'
                      for i in range(1, 6))
    html = f"""<html><head><title>Cổng tin</title></head><body><div class="wrap">
    <div class="content"><h1>Huyện ủy tổng kết công tác kiểm tra năm 2024</h1>
    <p><i>Cập nhật: 30/12/2024 09:28</i></p>{_paras(SENTENCES)}
    <p><b>Các tin khác:</b> - <a href="/t?ID=0">Kiểm tra tài chính đảng tại 12 tổ chức cơ sở đảng</a> (20/12/2021)</p>
    {related}</div></div></body></html>"""
    r = extract_article(html, "https://x.example.vn/tin/a.html", fetched_at=FETCHED)
    assert r is not None
    assert r["text"].split("\n") == SENTENCES
    assert "Hội nghị giám sát chuyên đề" not in r["text"]


def test_a_listing_is_still_a_listing():
    items = "".join(f'<div class="item"><h3><a href="/a{i}">Tin số {i}: hội nghị tổng kết công tác kiểm tra tại xã {i}</a></h3>'
                    f'<p>{SENTENCES[i % 4][:90]}…</p></div>' for i in range(8))
    html = f"<html><body><div class='list'>{items}</div></body></html>"
    assert extract_article(html, "https://x.example.vn/tin/", fetched_at=FETCHED) is None


def test_teaser_list_does_not_win_over_the_article():
    teasers = "".join(f'<li><a href="/n{i}">Another story about something else happening today number {i}</a>'
                      f'<span>{EN[i % 4]} {EN[(i + 1) % 4]}</span></li>' for i in range(8))
    html = f"""<html><body><div class="breaking"><ul>{teasers}</ul></div>
    <div class="story"><h1>Council debates budget</h1>{_paras(EN)}</div></body></html>"""
    tree = dom.parse(html)
    stats = chrome.Stats(tree)
    main = chrome.find_main(tree, stats)
    assert "council met on tuesday" in stats.folded(main)
    assert "another story" not in stats.folded(main)


def test_layout_token_on_a_wrapper_holding_the_article():
    # "sidebar"/"nav" in a wrapper's classes, and the page's own body classes, do not hide the article
    html = f"""<html><body class="no-sidebar nav-below-header footer-widgets-0">
    <div class="l-sidebar-fixed l-article-segment"><div class="entry">{_paras(_numbered(EN, 2))}</div>
    <div class="l-col__sidebar"><a href="/1">One link</a> <a href="/2">Two link</a> <a href="/3">Three link</a></div></div>
    <div class="m-privacy-consent"><p>We use cookies to improve your experience on our website and for marketing purposes.</p></div>
    </body></html>"""
    tree = dom.parse(html)
    stats = chrome.Stats(tree)
    main = chrome.find_main(tree, stats)
    assert "council met on tuesday" in stats.folded(main)
    assert "cookies" not in stats.folded(main)


def test_article_split_over_sibling_blocks_is_taken_whole():
    blocks = "".join(f'<div class="companion"><div class="col">{_paras([s])}</div><aside></aside></div>' for s in _numbered(EN, 2))
    html = f"<html><body><nav><a href='/'>Home</a> <a href='/a'>News</a> <a href='/b'>Sport</a></nav>" \
           f"<article><h1>Council debates budget</h1><section class='body'>{blocks}</section></article></body></html>"
    r = extract_article(html, "https://x.example.com/2019/11/19/budget.html", fetched_at=FETCHED)
    assert r is not None
    assert r["text"].split("\n") == _numbered(EN, 2)


def _numbered(items, n):
    return [f"{s[:-1]}, as noted in part {i + 1}." for i in range(n) for s in items]


def test_undated_long_text_is_an_article_short_is_not():
    long_html = f"<html><body><div class='post'>{_paras(_numbered(EN, 3))}</div></body></html>"
    r = extract_article(long_html, "https://x.example.com/blog/post", fetched_at=FETCHED)
    assert r is not None and r["published"] is None
    short_html = f"<html><body><div class='post'>{_paras(EN[:2])}</div></body></html>"
    assert extract_article(short_html, "https://x.example.com/about", fetched_at=FETCHED) is None


def test_word_count_of_text_without_spaces():
    assert word_count("one two three") == 3
    assert word_count("商品の改造が商標法違反") == 6
    assert word_count("iPhone 商品") == 2


def test_footer_rule_spares_an_article_paragraph():
    last = ("Đơn vị quản lý cam kết bảo đảm chất lượng nước theo quy chuẩn quốc gia, định kỳ lấy mẫu kiểm nghiệm, "
            "công khai địa chỉ, điện thoại đường dây nóng và email tiếp nhận phản ánh của người dân.")
    html = f"""<html><body><div class="news"><h1>Nước sạch cho vùng hạn</h1><p>Thứ Hai, 30/12/2024 - 08:15</p>
    {_paras(SENTENCES)}<p>{last}</p></div>
    <div class="bottom">Cơ quan chủ quản: UBND huyện. Địa chỉ: 1 Lê Lợi. Điện thoại: 0203 123 456. Email: a@b.vn</div>
    </body></html>"""
    r = extract_article(html, "https://x.example.vn/tin/bai-2024-12-30.html", fetched_at=FETCHED)
    assert r is not None
    assert r["text"].split("\n")[-1] == last
    assert "Cơ quan chủ quản" not in r["text"]


def test_stats_folded_text_and_fingerprints_match_the_plain_functions():
    html = f"""<html><body><div class="a"><p>Thứ Năm, 28/12/2023 <b>Đảng ủy</b> <a href="/x">Xem thêm</a>\u00a0Đ</p>
    <div>{_paras(SENTENCES[:2])}</div><ul><li>Một</li><li>Hai <i>ba</i></li></ul></div></body></html>"""
    tree = dom.parse(html)
    stats = chrome.Stats(tree)
    for el in stats.elements:
        assert stats.folded(el) == fold(collapse(dom.loose_text(el)))
    expected = {chrome.fingerprint(collapse(dom.loose_text(el))) for el in stats.elements
                if el.tag in dom.BLOCK_TAGS and collapse(dom.loose_text(el))}
    assert chrome.block_fingerprints(tree, stats=stats) == expected
    assert chrome.block_fingerprints(tree) == expected
    r = extract_page(html, "https://x.example.vn/a", fetched_at=FETCHED)
    assert r.fingerprints == frozenset(expected)
