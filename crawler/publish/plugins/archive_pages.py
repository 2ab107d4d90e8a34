"""Datasette plugin for the archive's own pages: a `from_json` template filter,
so the article page can show the record's JSON columns (captions, figures,
duplicates) as lists. It only adds a filter of a new name, so it changes no
page of another database."""

import json

from datasette import hookimpl


def from_json(value):
    if not value:
        return []
    try:
        return json.loads(value)
    except (TypeError, ValueError):
        return []


@hookimpl
def prepare_jinja2_environment(env):
    env.filters["from_json"] = from_json
