"""Where the detail of a failure goes: the log file, with its traceback.

The terminal (and cron's mail) gets one line per failure; the traceback of
anything unexpected is written to a log file the line names: the command's
--log-file when given, otherwise CRAWLER_LOG, otherwise crawler.log in the
user's state folder ($XDG_STATE_HOME/ktgs-archive, ~/.local/state/ktgs-archive).
"""

import logging
import os
from pathlib import Path

FORMAT = "%(asctime)s [%(name)s] %(levelname)s: %(message)s"


def error_log_path(log_file=None) -> Path:
    if log_file:
        return Path(log_file)
    if os.environ.get("CRAWLER_LOG"):
        return Path(os.environ["CRAWLER_LOG"])
    state = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state")
    return state / "ktgs-archive" / "crawler.log"


def writable_log(log_file=None) -> Path | None:
    """The log's path once its folder exists, or None when it cannot."""
    path = error_log_path(log_file)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return path


def log_exception(message: str, log_file=None) -> Path | None:
    """Append `message` and the exception being handled to the log; → the
    log's path, or None when it could not be written either."""
    path = writable_log(log_file)
    try:
        handler = logging.FileHandler(path, encoding="utf-8") if path else None
    except OSError:
        handler = None
    if handler is None:
        return None
    handler.setFormatter(logging.Formatter(FORMAT))
    logger = logging.getLogger("crawler")
    logger.addHandler(handler)
    try:
        logger.exception(message)
    finally:
        logger.removeHandler(handler)
        handler.close()
    return path


class ErrorCollector(logging.Handler):
    """Keeps the ERROR records logged during a crawl (Scrapy's "Error
    processing item", a component's traceback), so the crawl can store them
    in crawl_errors when it ends; at most `limit`, then only counted."""

    def __init__(self, limit: int = 1000):
        super().__init__(level=logging.ERROR)
        self.limit = limit
        self.records = []
        self.dropped = 0

    def emit(self, record):
        if record.name.startswith("crawler."):
            return  # the crawl's own failures are in crawl_errors already
        if len(self.records) >= self.limit:
            self.dropped += 1
            return
        message = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            message += f": {type(exc).__name__}: {exc}"
        self.records.append((record.name, message.splitlines()[0][:500] if message else record.name))
