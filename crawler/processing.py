"""Page processing in worker processes, shared by the crawl and `reprocess`.

Extraction is CPU-bound (lxml, trafilatura, dateparser), so it never runs on
the crawl's reactor thread: the pipeline hands raw bytes to worker processes
and awaits the result. Workers are spawned, not forked, so they never inherit
a running reactor or open database connections.

One pathological page must neither freeze nor swell the crawl, and a killed
crawl must not leave workers behind, so each worker
- dies with the process that started it (Linux's parent-death signal, and a
  check of its parent for the moment before that was set),
- has its address space capped (PROCESS_MEMORY_MB): a page that would need
  more fails with MemoryError in the worker, as that page's error,
- gets at most `timeout` seconds per page: a worker stuck longer is killed
  with its pool, which is started again, and the pages that were in flight
  with it are tried once more.
"""

import asyncio
import ctypes
import logging
import multiprocessing
import os
import resource
import signal
import sys
import traceback
from concurrent.futures import ProcessPoolExecutor, TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from .article import extract_page
from .article.template import page_fingerprints
from .page import NotHTMLError
from .registry import Source

logger = logging.getLogger(__name__)

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


@dataclass(frozen=True)
class Outcome:
    """What processing one page gave: the article record (None when the page
    is not an article), or the error with the stage it happened in and its
    traceback, and the page's block fingerprints for template learning."""

    record: dict | None = None
    fingerprints: frozenset = frozenset()
    error: str | None = None
    stage: str | None = None
    traceback: str | None = None


def process_page(body: bytes, url: str, source: Source | None, content_type: str | None,
                 fetched_at: str | None, template=None, max_html: int | None = None) -> Outcome:
    """Extract one page. Never raises, so one bad page cannot take a worker or
    the crawl down. Only the first `max_html` bytes are parsed (cut before a
    tag, so no character is split)."""
    if max_html and len(body) > max_html:
        cut = body.rfind(b"<", 0, max_html)
        body = body[:cut if cut > 0 else max_html]
    try:
        result = extract_page(body, url, source, content_type=content_type,
                              fetched_at=fetched_at, template=template)
        return Outcome(result.record, result.fingerprints)
    except NotHTMLError as exc:
        return Outcome(error=f"not HTML: {exc}", stage="decode")
    except MemoryError:
        return Outcome(error="extraction ran out of memory (the worker's PROCESS_MEMORY_MB)", stage="extract")
    except Exception as exc:  # an extraction bug must not stop the archive
        return Outcome(error=f"extraction failed: {type(exc).__name__}: {exc}", stage="extract",
                       traceback=traceback.format_exc())


def fingerprint_page(body: bytes, content_type: str | None) -> frozenset:
    """The page's block fingerprints alone (for learning templates before extracting)."""
    try:
        return page_fingerprints(body, content_type)
    except Exception:
        return frozenset()


def default_workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


def _start_worker(parent_pid: int, memory_mb: int | None):
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent_pid:  # the parent died before the signal was armed
        os._exit(1)
    # Workers are stopped by the parent (pool shutdown or kill), never by a
    # Ctrl-C sent to the whole process group.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if memory_mb:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


class WorkerFailed(Exception):
    """A page's worker was killed (timeout, crash) twice; the message says why."""


class Workers:
    """A process pool for page processing that survives its workers (see the
    module's docstring). `submit` returns a task; `result` (blocking) and
    `wait` (async) give its value or raise WorkerFailed."""

    def __init__(self, workers: int | None = None, *, memory_mb: int | None = None,
                 timeout: float | None = None):
        self.size = workers or default_workers()
        self.memory_mb = memory_mb
        self.timeout = timeout
        self.generation = 0
        self.closed = False
        self.pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=self.size, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_start_worker, initargs=(os.getpid(), self.memory_mb))

    def submit(self, fn, *args) -> "Task":
        return Task(fn, args, self.pool.submit(fn, *args), self.generation)

    def result(self, task: "Task"):
        try:
            return task.future.result(timeout=self.timeout)
        except FutureTimeout:
            self._restart(task, "timed out")
        except BrokenProcessPool:
            self._restart(task, "crashed")
        return self.result(self._retry(task))

    async def wait(self, task: "Task"):
        try:
            return await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(task.future)), self.timeout)
        except asyncio.TimeoutError:
            self._restart(task, "timed out")
        except BrokenProcessPool:
            self._restart(task, "crashed")
        return await self.wait(self._retry(task))

    def _restart(self, task: "Task", why: str):
        if self.closed:
            raise WorkerFailed("the workers were stopped")
        task.failures.append(f"worker {why} after {self.timeout:g} s" if why == "timed out" else f"worker {why}")
        if task.generation == self.generation:  # the first to notice restarts the pool
            logger.warning("a page worker %s; starting the pool again", why)
            self._kill_processes()
            self.generation += 1
            self.pool = self._new_pool()

    def _retry(self, task: "Task") -> "Task":
        # A page in flight when a neighbour broke the pool gets one more try;
        # a page that broke it twice is reported.
        if len(task.failures) >= 2:
            raise WorkerFailed("; ".join(task.failures))
        retry = self.submit(task.fn, *task.args)
        retry.failures = task.failures
        return retry

    def kill(self):
        """Stop every worker now (they hold no state worth saving)."""
        self.closed = True
        self._kill_processes()

    def _kill_processes(self):
        # ProcessPoolExecutor has no public way to kill its workers before
        # Python 3.14 (terminate_workers); its process table is stable since 3.2.
        for process in list((self.pool._processes or {}).values()):
            process.kill()
        self.pool.shutdown(wait=False, cancel_futures=True)

    def shutdown(self):
        self.closed = True
        self.pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if exc[0] is None:
            self.shutdown()
        else:
            self.kill()


class Task:
    def __init__(self, fn, args, future, generation):
        self.fn, self.args, self.future, self.generation = fn, args, future, generation
        self.failures = []
