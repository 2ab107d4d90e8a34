"""The source registry: a TOML file with one `[[source]]` table per portal.

    [[source]]
    id = "haiduong-portal"                 # slug, required
    name = "Cổng thông tin điện tử tỉnh Hải Dương"   # required
    home = "https://www.haiduong.gov.vn/"   # required
    province = "Hải Dương"                  # optional, as named at the time
    level = "provincial"                    # optional, see LEVELS
    start_urls = ["https://…/tin-tuc/"]     # optional lists of URLs
    feeds = ["https://…/rss"]
    sitemaps = ["https://…/sitemap.xml"]
    search = "https://…/tim-kiem?q={query}"   # optional: the site's search, {query} filled in

Mistakes are reported as one line naming the file, the source id and the key.
"""

import re
import tomllib
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_REGISTRY = Path(__file__).with_name("sources.toml")

LEVELS = ("central", "provincial", "bloc", "district", "commune", "other")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_URL_LISTS = ("start_urls", "feeds", "sitemaps")
_KNOWN_KEYS = {"id", "name", "home", "province", "level", "search", *_URL_LISTS}


class RegistryError(ValueError):
    """A registry that cannot be used; the message is one line for the user."""


@dataclass(frozen=True)
class Source:
    id: str
    name: str
    home: str
    province: str | None = None
    level: str | None = None
    start_urls: tuple[str, ...] = field(default=())
    feeds: tuple[str, ...] = field(default=())
    sitemaps: tuple[str, ...] = field(default=())
    search: str | None = None

    @property
    def host(self) -> str:
        return urlsplit(self.home).netloc.lower()

    def entry_urls(self) -> list[str]:
        """Home first, then the other pages the crawl starts from, without repeats."""
        return list(dict.fromkeys([self.home, *self.start_urls]))

    def to_row(self) -> dict:
        row = asdict(self)
        for key in _URL_LISTS:
            row[key] = list(row[key])
        return row


def _is_http_url(value) -> bool:
    if not isinstance(value, str):
        return False
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _source_from_table(table: dict, where: str) -> Source:
    sid = table.get("id")
    if not isinstance(sid, str) or not _SLUG.match(sid):
        raise RegistryError(f"{where}: key 'id' must be a lowercase slug (a-z, 0-9, -), got {sid!r}")
    where = f"{where.rsplit(':', 1)[0]}: source '{sid}'"
    unknown = sorted(set(table) - _KNOWN_KEYS)
    if unknown:
        raise RegistryError(f"{where}: unknown key '{unknown[0]}' (known: {', '.join(sorted(_KNOWN_KEYS))})")
    for key in ("name", "home"):
        if not isinstance(table.get(key), str) or not table[key].strip():
            raise RegistryError(f"{where}: key '{key}' is required and must be a non-empty string")
    if not _is_http_url(table["home"]):
        raise RegistryError(f"{where}: key 'home' must be an http(s) URL, got {table['home']!r}")
    province = table.get("province")
    if province is not None and (not isinstance(province, str) or not province.strip()):
        raise RegistryError(f"{where}: key 'province' must be a non-empty string")
    level = table.get("level")
    if level is not None and level not in LEVELS:
        raise RegistryError(f"{where}: key 'level' must be one of {', '.join(LEVELS)}, got {level!r}")
    search = table.get("search")
    if search is not None and not (_is_http_url(search) and "{query}" in search):
        raise RegistryError(f"{where}: key 'search' must be an http(s) URL containing {{query}}")
    lists = {}
    for key in _URL_LISTS:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(_is_http_url(u) for u in value):
            raise RegistryError(f"{where}: key '{key}' must be a list of http(s) URLs")
        lists[key] = tuple(value)
    return Source(
        id=sid,
        name=unicodedata.normalize("NFC", table["name"].strip()),
        home=table["home"],
        province=unicodedata.normalize("NFC", province.strip()) if province else None,
        level=level,
        search=search,
        **lists,
    )


def parse_registry(text: str, path: str = "<registry>") -> list[Source]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RegistryError(f"{path}: not valid TOML: {exc}") from None
    extra = sorted(set(data) - {"source"})
    if extra:
        raise RegistryError(f"{path}: unknown top-level key '{extra[0]}' (expected [[source]] tables)")
    tables = data.get("source", [])
    if not isinstance(tables, list) or not tables:
        raise RegistryError(f"{path}: no [[source]] tables")
    sources, seen = [], set()
    for index, table in enumerate(tables, 1):
        source = _source_from_table(table, f"{path}: source #{index}")
        if source.id in seen:
            raise RegistryError(f"{path}: source '{source.id}': key 'id' is used twice")
        seen.add(source.id)
        sources.append(source)
    return sources


def load_registry(path: str | Path | None = None) -> list[Source]:
    path = Path(path) if path else DEFAULT_REGISTRY
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RegistryError(f"{path}: registry file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RegistryError(f"{path}: cannot read registry: {exc}") from None
    return parse_registry(text, str(path))


def select(sources: list[Source], ids: tuple[str, ...] | list[str]) -> list[Source]:
    """The sources named by `ids` (all when empty); an unknown id is an error."""
    if not ids:
        return sources
    by_id = {s.id: s for s in sources}
    missing = [i for i in ids if i not in by_id]
    if missing:
        raise RegistryError(f"unknown source '{missing[0]}' (known: {', '.join(by_id)})")
    return [by_id[i] for i in ids]
