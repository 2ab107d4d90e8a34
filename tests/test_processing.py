"""The worker processes: one pathological page can neither freeze nor swell
the crawl, and workers never outlive the process that started them."""

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from crawler.processing import WorkerFailed, Workers


def sleep_then(seconds, value):
    time.sleep(seconds)
    return value


def allocate(megabytes):
    try:
        block = bytearray(megabytes * 1024 * 1024)
        return len(block)
    except MemoryError:
        return "refused"


def die(code):
    os._exit(code)


def test_a_page_stuck_past_the_timeout_is_reported_and_the_pool_goes_on():
    with Workers(2, timeout=1) as workers:
        stuck = workers.submit(sleep_then, 30, "never")
        started = time.monotonic()
        with pytest.raises(WorkerFailed, match="timed out after 1 s; worker timed out"):
            workers.result(stuck)
        assert time.monotonic() - started < 10
        assert workers.result(workers.submit(sleep_then, 0, "next page")) == "next page"


def test_a_worker_that_dies_is_replaced_and_its_neighbours_retried():
    with Workers(2) as workers:
        neighbour = workers.submit(sleep_then, 0.5, "neighbour")
        crash = workers.submit(die, 3)
        with pytest.raises(WorkerFailed, match="crashed"):
            workers.result(crash)
        assert workers.result(neighbour) == "neighbour"


def test_a_worker_cannot_grow_past_its_memory_cap():
    with Workers(1, memory_mb=400) as workers:
        assert workers.result(workers.submit(allocate, 2048)) == "refused"
        assert workers.result(workers.submit(allocate, 50)) == 50 * 1024 * 1024


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signal is Linux's")
def test_workers_die_with_their_parent_even_on_kill_9():
    script = textwrap.dedent("""
        import os, sys, time
        from crawler.processing import Workers
        from tests.test_processing import sleep_then
        workers = Workers(2)
        tasks = [workers.submit(sleep_then, 60, i) for i in range(2)]
        time.sleep(3)
        print(" ".join(str(p) for p in workers.pool._processes), flush=True)
        time.sleep(60)
    """)
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True,
                              cwd=os.path.dirname(os.path.dirname(__file__)))
    pids = [int(p) for p in parent.stdout.readline().split()]
    assert len(pids) == 2
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait(timeout=10)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(os.path.exists(f"/proc/{p}") and _alive(p) for p in pids):
        time.sleep(0.1)
    assert not any(os.path.exists(f"/proc/{p}") and _alive(p) for p in pids)


def _alive(pid) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False
