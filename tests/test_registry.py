import pytest

from crawler.registry import RegistryError, load_registry, parse_registry, select

GOOD = """
[[source]]
id = "quangninh"
name = "Báo Quảng Ninh"
home = "http://127.0.0.9:8000/"
province = "Quảng Ninh"
level = "provincial"
feeds = ["http://127.0.0.9:8000/rss.xml"]
"""


def test_parses_a_source_with_defaults():
    (source,) = parse_registry(GOOD)
    assert source.id == "quangninh"
    assert source.province == "Quảng Ninh"
    assert source.feeds == ("http://127.0.0.9:8000/rss.xml",)
    assert source.start_urls == () and source.sitemaps == ()
    assert source.entry_urls() == ["http://127.0.0.9:8000/"]
    assert source.host == "127.0.0.9:8000"


@pytest.mark.parametrize(
    "edit, message",
    [
        (('level = "provincial"', 'level = "national"'), "source 'quangninh': key 'level' must be one of"),
        (('province = "Quảng Ninh"', 'provnce = "Quảng Ninh"'), "source 'quangninh': unknown key 'provnce'"),
        (('home = "http://127.0.0.9:8000/"', 'home = "ftp://x"'), "source 'quangninh': key 'home' must be an http(s) URL"),
        (('name = "Báo Quảng Ninh"', ''), "source 'quangninh': key 'name' is required"),
        (('feeds = ["http://127.0.0.9:8000/rss.xml"]', 'feeds = "http://x/rss"'), "source 'quangninh': key 'feeds' must be a list"),
        (('id = "quangninh"', 'id = "Quang Ninh"'), "source #1: key 'id' must be a lowercase slug"),
    ],
)
def test_bad_values_name_file_source_and_key(edit, message):
    with pytest.raises(RegistryError) as info:
        parse_registry(GOOD.replace(*edit), "sources.toml")
    text = str(info.value)
    assert text.startswith("sources.toml: ")
    assert message in text
    assert "\n" not in text


def test_duplicate_ids_and_bad_toml_and_empty():
    with pytest.raises(RegistryError, match="'quangninh': key 'id' is used twice"):
        parse_registry(GOOD + GOOD)
    with pytest.raises(RegistryError, match="not valid TOML"):
        parse_registry("[[source]\nid=")
    with pytest.raises(RegistryError, match="no \\[\\[source\\]\\] tables"):
        parse_registry("")


def test_missing_file(tmp_path):
    with pytest.raises(RegistryError, match="registry file not found"):
        load_registry(tmp_path / "nope.toml")


def test_select_unknown_source():
    sources = parse_registry(GOOD)
    assert select(sources, []) == sources
    with pytest.raises(RegistryError, match="unknown source 'x'"):
        select(sources, ["x"])


def test_default_registry_parses():
    assert load_registry()
