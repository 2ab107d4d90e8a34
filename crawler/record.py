"""The article record: one schema for `extract`, `export` and the `articles` table.

`FIELDS` is the single place the record is defined. The archive creates its
columns from it, `export` writes its keys in this order, and the Datasette
metadata describes the same columns (a test keeps the two in step).
"""

from dataclasses import dataclass

# SQLite column types for the Python types used below.
# Fields the extraction core derives from the page itself; the rest are
# derived from those (recognition, figures) by `complete_record`.
PAGE_FIELDS = ("url", "canonical_url", "source", "title", "published", "author", "origin", "text",
               "captions", "word_count", "fetched_at")


@dataclass(frozen=True)
class Field:
    name: str
    type: type
    description: str
    nullable: bool = True


FIELDS = (
    Field("url", str, "The URL the article was fetched from (after redirects).", nullable=False),
    Field("canonical_url", str, "One URL for the article, whatever variant was fetched.", nullable=False),
    Field("source", str, "Id of the source in the registry (sources.id).", nullable=False),
    Field("title", str, "The article's headline, never the portal's name."),
    Field("published", str, "The article's own publication time, ISO 8601 with offset (Asia/Ho_Chi_Minh), or null."),
    Field("author", str, "Byline as printed (e.g. 'Đoàn Hồng'), or null."),
    Field("origin", str, "Outlet the text is credited to ('TTXVN' for 'Theo TTXVN'), or null."),
    Field("text", str, "Clean body text, NFC, one paragraph per line; no captions, bylines or portal chrome.", nullable=False),
    Field("captions", list, "Photo captions taken out of the body (JSON list of strings).", nullable=False),
    Field("word_count", int, "Number of words in text.", nullable=False),
    Field("fetched_at", str, "When the page was fetched, ISO 8601 UTC.", nullable=False),
    # What the report is (crawler/report): issue "recognise the reports".
    Field("doc_type", str, "year_end_review, term_review, mid_year_review, periodic_briefing, commission_session, discipline_case or other."),
    Field("is_relevant", bool, "1 for annual and term reviews of inspection and supervision work (year_end_review, term_review)."),
    Field("relevance_cues", list, "The cue phrases that decided doc_type, as they appear in the text (JSON list)."),
    Field("report_year", int, "The year under review ('tổng kết … năm 2023' → 2023, also for a meeting in January 2024)."),
    Field("event_date", str, "The meeting's date, YYYY-MM-DD, its year inferred when the text omits it."),
    Field("level", str, "Who organised the meeting: central, provincial, bloc, district, commune or other."),
    Field("province", str, "Province as named at publication (pre-2025 name); null for a central event."),
    Field("province_current", str, "The province's unit in the 34-unit map after the 1 July 2025 merger."),
    # The statistics (crawler/figures): issue "inspection statistics as data".
    Field("figures", list, "Every statistic in the text: metric, subject, count, qualifier, actor, period, sentence, start, end (JSON list; also the figures table)."),
    # One story, one row (crawler/dedup): set by the archive across articles;
    # a single extracted page is its own cluster.
    Field("cluster_id", str, "The story: exact and near copies of one text share it (the canonical member's URL)."),
    Field("is_canonical", bool, "1 for the one member of a cluster that stands for it: the earliest published; on a tie, the outlet the text is credited to."),
    Field("duplicates", list, "URLs of the other members of the cluster: where else this story appeared (JSON list)."),
    Field("event_id", str, "The meeting: articles about the same event date, level, province and type share it, even when written independently."),
)

FIELD_NAMES = tuple(f.name for f in FIELDS)

# One statistic in `figures` (crawler/figures; also a row of the figures table).
FIGURE_FIELDS = (
    Field("metric", str, "What was counted: inspected, supervised, disciplined, expelled, …", nullable=False),
    Field("subject", str, "Who or what: party_organization, party_member, committee_member, cadre, case, other.",
          nullable=False),
    Field("count", int, "The number as stated ('1.234' → 1234, 'ba' → 3).", nullable=False),
    Field("qualifier", str, "exact, or over / about / under for 'hơn', 'khoảng', 'dưới' before the number.",
          nullable=False),
    Field("actor", str, "Who did it, as written ('cấp ủy các cấp', 'Ủy ban Kiểm tra các cấp'), or null."),
    Field("period", str, "The period the count covers ('2023', '6 tháng đầu năm 2024'), or null."),
    Field("sentence", str, "The sentence the figure was read from, verbatim.", nullable=False),
    Field("start", int, "Offset of the sentence in text: text[start:end] == sentence.", nullable=False),
    Field("end", int, "End offset of the sentence in text.", nullable=False),
)

_JSON_TYPES = {str: "string", int: "integer", bool: "boolean", list: "array"}


def _property(field: Field, **extra) -> dict:
    kind = _JSON_TYPES[field.type]
    prop = {"type": [kind, "null"] if field.nullable else kind, "description": field.description, **extra}
    if "enum" in prop and field.nullable:
        prop["enum"] = [*prop["enum"], None]
    return prop


def json_schema(fields=FIELD_NAMES) -> dict:
    """The JSON Schema (draft 2020-12) of an exported record with `fields`,
    generated from FIELDS, so the documentation cannot drift from the data."""
    from .figures import METRICS, QUALIFIERS, SUBJECTS
    from .report.recognise import DOC_TYPES, LEVELS

    figure_enums = {"metric": METRICS, "subject": SUBJECTS, "qualifier": QUALIFIERS}
    figure = {
        "type": "object",
        "properties": {f.name: _property(f, **({"enum": list(figure_enums[f.name])} if f.name in figure_enums else {}))
                       for f in FIGURE_FIELDS},
        "required": [f.name for f in FIGURE_FIELDS],
        "additionalProperties": False,
    }
    extras = {
        "doc_type": {"enum": list(DOC_TYPES)},
        "level": {"enum": list(LEVELS)},
        "captions": {"items": {"type": "string"}},
        "relevance_cues": {"items": {"type": "string"}},
        "duplicates": {"items": {"type": "string"}},
        "figures": {"items": figure},
    }
    by_name = {f.name: f for f in FIELDS}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Article record",
        "description": "One article of the archive, as `crawler export` and `crawler extract` write it "
                       "(a JSON array of these, or one per line with --format jsonl).",
        "type": "object",
        "properties": {name: _property(by_name[name], **extras.get(name, {})) for name in fields},
        "required": list(fields),
        "additionalProperties": False,
    }


def complete_record(page_record: dict, source=None) -> dict:
    """The full article record from what was read off the page: report
    recognition and the figures, in FIELD_NAMES order."""
    from .figures import extract_figures
    from .report import recognise

    from .dedup.events import event_id
    from .dedup.urls import canonical_url

    record = dict(page_record)
    declared = record["canonical_url"] if record["canonical_url"] != record["url"] else None
    record["canonical_url"] = canonical_url(record["url"], declared)
    record.update(recognise(record["title"], record["text"], record["published"], source))
    # Inspection statistics are read from texts about inspection work only.
    about_inspection = record["doc_type"] != "other" or record["relevance_cues"]
    record["figures"] = extract_figures(record["text"], record["report_year"]) if about_inspection else []
    record.update(cluster_id=record["url"], is_canonical=True, duplicates=[], event_id=event_id(record))
    return {name: record[name] for name in FIELD_NAMES}
