"""`crawler export`: the filtered article set as JSON, streamed row by row."""

import csv
import json
import re
from dataclasses import dataclass
from datetime import date

from ..archive.db import decode_article_row
from ..archive.search import fts_query, query_terms
from ..page import nfc
from ..record import FIELD_NAMES
from ..text import fold

FORMATS = ("json", "jsonl", "csv")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class ExportError(ValueError):
    pass


@dataclass
class Filters:
    sources: tuple = ()
    province: str | None = None
    since: str | None = None
    until: str | None = None
    query: str | None = None
    relevant_only: bool = False
    canonical_only: bool = False
    years: tuple = ()
    doc_types: tuple = ()
    levels: tuple = ()

    def validate(self, db=None):
        """Check every filter before a byte is written; with `db`, also that
        the sources named exist in that archive."""
        for name in ("since", "until"):
            value = getattr(self, name)
            if value is None:
                continue
            try:
                if not _DATE.match(value):
                    raise ValueError
                date.fromisoformat(value)
            except ValueError:
                raise ExportError(f"--{name} must be a date as YYYY-MM-DD, got {value!r}") from None
        if self.since and self.until and self.since > self.until:
            raise ExportError(f"--since {self.since} is after --until {self.until}: nothing can match")
        if self.query is not None and not query_terms(self.query):
            raise ExportError(f"--query has no words to search for: {self.query!r}")
        if db is not None and self.sources:
            known = {row[0] for row in db.execute("select id from sources")}
            unknown = [s for s in self.sources if s not in known]
            if unknown:
                raise ExportError(f"--source: no source '{unknown[0]}' in this archive "
                                  f"(sources: {', '.join(sorted(known)) or 'none'})")


def build_query(db, filters: Filters) -> tuple[str, list]:
    """SQL and parameters selecting article rows for `filters`."""
    filters.validate()
    where, params = [], []
    joins = "left join sources on sources.id = articles.source"
    order = "articles.published desc nulls last, articles.url"
    if filters.sources:
        where.append(f"articles.source in ({', '.join('?' * len(filters.sources))})")
        params.extend(filters.sources)
    if filters.province:
        # The province as named at publication or its unit after the 2025 merger:
        # "Hải Dương" finds Hải Dương's reports, "Hải Phòng" finds both.
        db.conn.create_function("fold", 1, fold, deterministic=True)
        where.append("(fold(articles.province) = ? or fold(articles.province_current) = ?)")
        params.extend([fold(nfc(filters.province))] * 2)
    if filters.relevant_only:
        where.append("articles.is_relevant = 1")
    if filters.canonical_only:
        where.append("articles.is_canonical = 1")
    for column, values in (("report_year", filters.years), ("doc_type", filters.doc_types),
                           ("level", filters.levels)):
        if values:
            where.append(f"articles.{column} in ({', '.join('?' * len(values))})")
            params.extend(values)
    if filters.since:
        where.append("substr(articles.published, 1, 10) >= ?")
        params.append(filters.since)
    if filters.until:
        where.append("substr(articles.published, 1, 10) <= ?")
        params.append(filters.until)
    if filters.query:
        joins += " join articles_fts on articles_fts.rowid = articles.doc_id"
        where.append("articles_fts match ?")
        params.append(fts_query(filters.query))
        order = "articles_fts.rank, " + order
    sql = f"select articles.* from articles {joins}"
    if where:
        sql += " where " + " and ".join(where)
    return sql + f" order by {order}", params


def count_records(db, filters: Filters) -> int:
    sql, params = build_query(db, filters)
    return db.execute(f"select count(*) from ({sql})", params).fetchone()[0]


def parse_fields(spec: str | None) -> tuple[str, ...]:
    """'url,title,published' → the fields in that order; all fields when None."""
    if not spec:
        return FIELD_NAMES
    fields = tuple(f.strip() for f in spec.split(",") if f.strip())
    unknown = [f for f in fields if f not in FIELD_NAMES]
    if unknown or not fields:
        raise ExportError(f"--fields: unknown field '{unknown[0] if unknown else spec}' "
                          f"(fields: {', '.join(FIELD_NAMES)})")
    return fields


def iter_records(db, filters: Filters, fields=FIELD_NAMES):
    """The matching records, one at a time (constant memory), with `fields`
    only. The query runs here, so a bad one fails before anything is written."""
    sql, params = build_query(db, filters)
    cursor = db.execute(sql, params)
    columns = [c[0] for c in cursor.description]
    return ({name: record[name] for name in fields}
            for record in (decode_article_row(dict(zip(columns, row))) for row in cursor))


def _csv_cell(value):
    """Lists and objects as JSON, booleans as true/false, null as empty."""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value


def write_records(records, out, fmt: str = "json", fields=FIELD_NAMES) -> int:
    """Write records to the text stream `out`; returns how many were written."""
    count = 0
    if fmt == "csv":
        writer = csv.writer(out)
        writer.writerow(fields)
        for record in records:
            writer.writerow([_csv_cell(record[name]) for name in fields])
            count += 1
        return count
    if fmt == "jsonl":
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
        return count
    out.write("[")
    for record in records:
        out.write(",\n" if count else "\n")
        out.write(json.dumps(record, ensure_ascii=False))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count
