"""`crawler serve`: Datasette on the archive, with the project's metadata."""

import errno
import json
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

# Packaged beside this module (the repository's top-level datasette_metadata.json
# is a symlink to it), so an installed wheel serves the same pages as a checkout.
METADATA = Path(__file__).with_name("datasette_metadata.json")
TEMPLATES = Path(__file__).with_name("templates")  # the article page
# Settings of every instance: a bounded SQL time and no download of the whole
# database file. Facet suggestions are off: on a large archive they try a
# grouping on every column of every page of results. Table pages cut long
# cells (an article's text) to a few lines; the article page and the JSON API
# give them whole. The plugins come through their entry point (pyproject.toml).
SETTINGS = {
    "sql_time_limit_ms": "3000",
    "allow_download": "off",
    "default_page_size": "50",
    "facet_time_limit_ms": "500",
    "suggest_facets": "off",
    "truncate_cells_html": "300",
}
# A public instance, on top of those: the database opened immutable (read-only,
# no locks, so nothing a request does can write to it), a short SQL time limit
# and a row cap, so one visitor's query cannot hold a worker or send the whole
# archive. Arbitrary SQL stays allowed (default_allow_sql): researchers ask
# questions no canned query foresaw, Datasette runs only single SELECTs, and
# the limits above bound what one costs. CSV streaming is refused because it
# returns every row, past the cap; a CSV is capped in size like the rest.
PUBLIC_SETTINGS = {
    "sql_time_limit_ms": "1000",
    "max_returned_rows": "500",
    "allow_csv_stream": "off",
    "max_csv_mb": "10",
}


class PortUnavailable(Exception):
    """Datasette could not listen where it was asked to; one line naming where."""


def ensure_port_free(host: str, port: int) -> None:
    """Raise PortUnavailable now if Datasette could not listen on host:port,
    instead of uvicorn's multi-line error once it has started."""
    if port == 0:  # the system picks a free port
        return
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        # create_server sets SO_REUSEADDR as uvicorn does, so a port left in
        # TIME_WAIT by the last run counts as free, as it is for uvicorn.
        with socket.create_server((host, port), family=family):
            pass
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise PortUnavailable(f"port {port} on {host} is in use (choose another with --port)") from None
        raise PortUnavailable(f"cannot listen on port {port} of {host}: {exc.strerror or exc}") from None


def metadata_for(db_path: Path, metadata_path: Path = METADATA) -> dict:
    """The committed metadata describes a database named 'archive'; re-key it
    to the name Datasette gives this file, so `--db other.db` keeps it."""
    metadata = json.loads(Path(metadata_path).read_text(encoding="utf-8"))
    databases = metadata.get("databases", {})
    if "archive" in databases and db_path.stem != "archive":
        databases[db_path.stem] = databases.pop("archive")
    return metadata


def datasette_command(db_path, *, host="127.0.0.1", port=8001, metadata_file, public=False) -> list[str]:
    database = ["-i", str(db_path)] if public else [str(db_path)]
    command = [sys.executable, "-m", "datasette", "serve", *database,
               "--metadata", str(metadata_file), "--host", host, "--port", str(port),
               "--template-dir", str(TEMPLATES)]
    settings = {**SETTINGS, **PUBLIC_SETTINGS} if public else SETTINGS
    for name, value in settings.items():
        command += ["--setting", name, value]
    return command


def serve(db_path, *, host="127.0.0.1", port=8001, metadata_path=METADATA, wait=True, public=False):
    """Start Datasette (with public=True, the read-only public instance);
    with wait=False return the running process."""
    db_path = Path(db_path)
    metadata = metadata_for(db_path, metadata_path)
    handle = tempfile.NamedTemporaryFile("w", suffix=".json", prefix="datasette-metadata-",
                                         delete=False, encoding="utf-8")
    json.dump(metadata, handle, ensure_ascii=False)
    handle.close()
    process = subprocess.Popen(datasette_command(db_path, host=host, port=port, metadata_file=handle.name,
                                                 public=public))
    if not wait:
        return process
    # Stopping `crawler serve` (Ctrl-C, or SIGTERM from a service manager)
    # stops Datasette too, instead of leaving it running on its own.
    previous = signal.signal(signal.SIGTERM, lambda *_: process.terminate())
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        return process.wait()
    finally:
        signal.signal(signal.SIGTERM, previous)
        Path(handle.name).unlink(missing_ok=True)
