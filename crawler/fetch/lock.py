"""One crawl per archive at a time, so cron can fire without checking.

An advisory lock on a file beside the database (flock): the kernel releases it
when the process dies, so a crashed crawl never leaves a stale lock behind.
"""

import fcntl
import os
from contextlib import contextmanager
from pathlib import Path


class CrawlLocked(Exception):
    pass


@contextmanager
def crawl_lock(db_path):
    lock_path = Path(str(db_path) + ".crawl.lock")
    handle = open(lock_path, "a+")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise CrawlLocked(f"{db_path}: another crawl is running on this archive (pid {holder})") from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield
    finally:
        handle.close()
