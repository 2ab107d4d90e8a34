from dataclasses import dataclass


@dataclass
class PageItem:
    """One fetch, as the spider saw it. `error` is set (and `body` empty) when
    the request failed; such items are logged as crawl errors, not pages,
    under `stage` (see archive.ERROR_STAGES)."""

    source: str
    url: str
    final_url: str
    status: int | None
    content_type: str | None
    etag: str | None
    last_modified: str | None
    body: bytes
    fetched_at: str
    error: str | None = None
    stage: str = "fetch"
