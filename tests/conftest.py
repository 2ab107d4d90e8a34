"""Fixtures that build real things: the sample portal network on loopback,
an archive made by a real `crawler crawl` of it, and the `crawler` command."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.demo.registry import demo_registry_toml
from crawler.demo.server import serve_network

ROOT = Path(__file__).resolve().parents[1]
TRUTH = json.loads((ROOT / "crawler" / "demo" / "truth.json").read_text(encoding="utf-8"))


def run_cli(*args, cwd=None, timeout=240):
    """Run the real `crawler` command in a subprocess; returns CompletedProcess."""
    env = dict(os.environ, PYTHONWARNINGS="ignore")
    return subprocess.run(
        [sys.executable, "-m", "crawler.cli", *map(str, args)],
        capture_output=True, text=True, cwd=cwd or ROOT, timeout=timeout, env=env,
    )


@pytest.fixture(scope="session")
def network():
    """The five sample portals, each on its own 127.0.0.x address, ephemeral ports."""
    with serve_network(port=0) as handle:
        yield handle


@pytest.fixture(scope="session")
def registry_file(network, tmp_path_factory):
    path = tmp_path_factory.mktemp("registry") / "sources.toml"
    path.write_text(demo_registry_toml(network.urls), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def crawled_db(registry_file, tmp_path_factory):
    """An archive built by one real crawl of the sample network (read-only for tests)."""
    db = tmp_path_factory.mktemp("crawl") / "archive.db"
    result = run_cli("crawl", "--sources", registry_file, "--db", db, "--delay", "0")
    assert result.returncode == 0, result.stderr + result.stdout
    assert "new articles" in result.stdout
    return db


@pytest.fixture
def archive_copy(crawled_db, tmp_path):
    """A private copy of the crawled archive that a test may change."""
    target = tmp_path / "archive.db"
    shutil.copy(crawled_db, target)
    return target


def truth_articles():
    return [page for page in TRUTH if page["kind"] == "article"]


def truth_url(network, page):
    return network.urls[page["site"]].rstrip("/") + page["path"]
