"""`crawler serve`: Datasette on the archive, with the project's metadata."""

import json
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

METADATA = Path(__file__).resolve().parents[2] / "datasette_metadata.json"
TEMPLATES = Path(__file__).with_name("templates")  # the article page
PLUGINS = Path(__file__).with_name("plugins")
# Settings for a public, read-only deployment: a short SQL time limit and no
# downloads of the whole database file. Facet suggestions are off: on a large
# archive they try a grouping on every column of every page of results. Table
# pages cut long cells (an article's text) to a few lines; the article page
# and the JSON API give them whole.
SETTINGS = {
    "sql_time_limit_ms": "3000",
    "allow_download": "off",
    "default_page_size": "50",
    "facet_time_limit_ms": "500",
    "suggest_facets": "off",
    "truncate_cells_html": "300",
}


def metadata_for(db_path: Path, metadata_path: Path = METADATA) -> dict:
    """The committed metadata describes a database named 'archive'; re-key it
    to the name Datasette gives this file, so `--db other.db` keeps it."""
    metadata = json.loads(Path(metadata_path).read_text(encoding="utf-8"))
    databases = metadata.get("databases", {})
    if "archive" in databases and db_path.stem != "archive":
        databases[db_path.stem] = databases.pop("archive")
    return metadata


def datasette_command(db_path, *, host="127.0.0.1", port=8001, metadata_file) -> list[str]:
    command = [sys.executable, "-m", "datasette", "serve", str(db_path),
               "--metadata", str(metadata_file), "--host", host, "--port", str(port),
               "--template-dir", str(TEMPLATES), "--plugins-dir", str(PLUGINS)]
    for name, value in SETTINGS.items():
        command += ["--setting", name, value]
    return command


def serve(db_path, *, host="127.0.0.1", port=8001, metadata_path=METADATA, wait=True):
    """Start Datasette; with wait=False return the running process."""
    db_path = Path(db_path)
    metadata = metadata_for(db_path, metadata_path)
    handle = tempfile.NamedTemporaryFile("w", suffix=".json", prefix="datasette-metadata-",
                                         delete=False, encoding="utf-8")
    json.dump(metadata, handle, ensure_ascii=False)
    handle.close()
    process = subprocess.Popen(datasette_command(db_path, host=host, port=port, metadata_file=handle.name))
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
