"""Datasette plugin for the archive's own pages (the article template).

- `from_json` shows the record's JSON columns (captions, figures, duplicates)
  as lists.
- `web_url` keeps a URL only if it is http(s): a crawled page may link to
  `javascript:…`, and autoescaping escapes quotes, not schemes, so only this
  keeps such a link out of an href.

They are filters of new names, so they change no page of another database.
"""

import json
from urllib.parse import urlsplit

from datasette import hookimpl


def from_json(value):
    if not value:
        return []
    try:
        return json.loads(value)
    except (TypeError, ValueError):
        return []


def web_url(value) -> str:
    """The URL if it is http(s), else the empty string."""
    url = str(value or "").strip()
    return url if urlsplit(url).scheme.lower() in ("http", "https") else ""


@hookimpl
def prepare_jinja2_environment(env):
    env.filters["from_json"] = from_json
    env.filters["web_url"] = web_url
