"""Articles about the same meeting share an `event_id`.

    event_key(record) -> "2024-01-04|tinh|can tho|tong-ket-nam" | None
    event_id(record)  -> "ev-<12 hex>" | None        (hash of the key)
    assign_events(records, clusters=None) -> {article id: event_id | None}

A record is a mapping with `event_date` ("YYYY-MM-DD"), `level` (e.g. "trung-uong",
"tinh", "huyen", "khoi"), `province` and/or `organiser`, and `doc_type`.

Key = event_date | level | place | doc_type, every part folded (lower-case, no
diacritics, spaces collapsed: "Thanh Hoá" == "Thanh Hóa" == "thanh hoa"):
* no event_date → None (an undated review is not a meeting we can match);
* place = organiser if given, else province; for the central level ("trung-uong",
  "tw", "trung uong", "toan quoc") place may be empty; for any other level a missing
  place → None (two provinces' conferences on the same day must not merge);
* level missing → None; doc_type missing → "" (part of the key, so a year-end review
  and a routine session on the same day by the same committee stay apart).

`assign_events` gives every member of one duplicate cluster the same event: the key of
the cluster's canonical member (clusters as returned by Clusterer.clusters(): canonical
first) if it has one, else the most common key among the members (ties → smallest
key). Members whose own key differs are overridden — a copy is about its original's
meeting — and members without a key inherit it.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from typing import Iterable, Mapping

CENTRAL = {"trung-uong", "trung uong", "tw", "toan quoc", "toan-quoc", "central"}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _fold(s) -> str:
    if s is None:
        return ""
    d = unicodedata.normalize("NFD", str(s).replace("đ", "d").replace("Đ", "D").lower())
    d = "".join(c for c in d if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w\- ]+", " ", d).split())


def _get(rec, name):
    return rec.get(name) if isinstance(rec, Mapping) else getattr(rec, name, None)


def event_key(record) -> str | None:
    date = _get(record, "event_date")
    if not date or not _DATE.match(str(date)[:10]):
        return None
    level = _fold(_get(record, "level"))
    if not level:
        return None
    place = _fold(_get(record, "organiser")) or _fold(_get(record, "province"))
    if not place and level not in CENTRAL:
        return None
    return "|".join([str(date)[:10], level, place, _fold(_get(record, "doc_type"))])


def event_id_of_key(key: str | None) -> str | None:
    return None if key is None else "ev-" + hashlib.blake2b(key.encode("utf-8"), digest_size=6).hexdigest()


def event_id(record) -> str | None:
    return event_id_of_key(event_key(record))


def assign_events(records: Mapping[object, object] | Iterable, clusters: Mapping | None = None,
                  id_field: str = "id") -> dict:
    """{article id: event_id or None}. `records`: {id: record} or an iterable of records
    carrying `id_field`. `clusters`: {cluster_id: [member ids, canonical first]}."""
    if not isinstance(records, Mapping):
        records = {_get(r, id_field): r for r in records}
    keys = {aid: event_key(r) for aid, r in records.items()}
    for members in (clusters or {}).values():
        ms = [m for m in members if m in keys]
        if not ms:
            continue
        key = keys[ms[0]]
        if key is None:
            counts = Counter(keys[m] for m in ms if keys[m] is not None)
            if counts:
                best = max(counts.values())
                key = min(k for k, c in counts.items() if c == best)
        if key is not None:
            for m in ms:
                keys[m] = key
    return {aid: event_id_of_key(k) for aid, k in keys.items()}


def group_events(assigned: Mapping) -> dict:
    """{event_id: [article ids]} from assign_events' output (articles without an event left out)."""
    out: dict = {}
    for aid, ev in assigned.items():
        if ev is not None:
            out.setdefault(ev, []).append(aid)
    return out
