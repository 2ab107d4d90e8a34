"""The `crawler` command: crawl, extract, reprocess, export, serve, demo."""

import errno
import functools
import json
import os
import signal
import sys
from pathlib import Path

import click

from .archive import Archive, ArchiveError
from .page import NotHTMLError
from .record import json_schema
from .registry import DEFAULT_REGISTRY, RegistryError, Source, load_registry, select
from .report.recognise import DOC_TYPES, LEVELS

DEFAULT_DB = "archive.db"
EXIT_LOCKED = 75  # EX_TEMPFAIL: cron may simply try again later
# OSErrors without a file name that the machine, not the code, causes.
USER_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EIO}


class Interrupted(Exception):
    """Ctrl-C or SIGTERM during a command that cleans up before it exits."""

    def __init__(self, signum):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def stop_on_signals():
    """Turn SIGTERM, like Ctrl-C, into Interrupted in the main thread, so the
    command's `finally` blocks and transactions unwind before it exits."""

    def handler(signum, frame):
        raise Interrupted(signum)

    signal.signal(signal.SIGINT, handler)
    signal.signal(signal.SIGTERM, handler)


def one_line_errors(command):
    """Errors a user can cause (a missing file, a bad registry, an old
    archive, a port in use) come out as `Error: …` on one line with a
    non-zero exit. Anything else is a bug: its traceback goes to the log
    file, and the line says where."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        from .fetch.lock import CrawlLocked
        from .publish.export import ExportError
        from .publish.serve import PortUnavailable

        try:
            return command(*args, **kwargs)
        except BrokenPipeError:
            # The reader went away (`crawler export | head`): stop quietly.
            sys.stdout = open(os.devnull, "w")
            sys.exit(1)
        except CrawlLocked as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(EXIT_LOCKED)
        except Interrupted as exc:
            click.echo(f"Interrupted by {exc}.", err=True)
            sys.exit(128 + exc.signum)
        except (RegistryError, ArchiveError, NotHTMLError, ExportError, PortUnavailable) as exc:
            raise click.ClickException(str(exc)) from None
        except OSError as exc:
            if exc.filename is not None:
                raise click.ClickException(f"{exc.filename}: {exc.strerror or exc}") from None
            if exc.errno in USER_ERRNOS:  # a full disk, a read-only file system
                raise click.ClickException(exc.strerror or str(exc)) from None
            raise click.ClickException(_logged(exc, kwargs.get("log_file"))) from None
        except Exception as exc:
            raise click.ClickException(_logged(exc, kwargs.get("log_file"))) from None

    return wrapper


def _logged(exc: Exception, log_file=None) -> str:
    """Log the exception being handled, with its traceback; → the one line to print."""
    from .logs import log_exception

    where = log_exception(f"unexpected error in `crawler {' '.join(sys.argv[1:])}`", log_file)
    line = f"unexpected {type(exc).__name__}: {exc}".splitlines()[0]
    return f"{line} (a bug: the traceback is in {where})" if where else f"{line} (a bug; no log file could be written)"


sources_option = click.option(
    "--sources", "sources_file", type=click.Path(dir_okay=False, path_type=Path),
    help=f"Source registry (TOML) to use instead of the default ({DEFAULT_REGISTRY.name}).",
)
db_option = click.option(
    "--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_DB,
    show_default=True, help="The archive database.",
)


@click.group()
@click.version_option(package_name="ktgs-archive")
def cli():
    """An archive of Vietnam's party inspection and supervision reviews.

    Crawl provincial and party portals into an SQLite archive, clean each
    article, and publish the archive with Datasette or export it as JSON.

    \b
    Typical use:
        crawler crawl                       # crawl every source in the registry
        crawler serve                       # browse and search in Datasette
        crawler export --query "kiểm tra" -o reports.json
    """


@cli.command()
@sources_option
@db_option
@click.option("--source", "source_ids", multiple=True, metavar="ID",
              help="Crawl only this source (repeatable).")
@click.option("--log-file", type=click.Path(dir_okay=False, path_type=Path),
              help="Write Scrapy's log (INFO) to this file; otherwise only warnings go to stderr.")
@click.option("--depth", type=click.IntRange(0), help="How many links deep to follow from entry pages.")
@click.option("--delay", type=click.FloatRange(0), help="Seconds between requests to one site.")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), metavar="YYYY-MM-DD",
              help="Stop paging into listings whose items are all older than this date.")
@click.option("--max-pages", type=click.IntRange(0), metavar="N",
              help="Requests per source at most (0: no limit; default 20000).")
@click.option("--max-minutes", type=click.FloatRange(0), metavar="M",
              help="Minutes per source at most, from its first request (0: no limit; default 120).")
@one_line_errors
def crawl(sources_file, db_path, source_ids, log_file, depth, delay, since, max_pages, max_minutes):
    """Crawl the registry's sources into the archive.

    Every fetched page is kept raw; articles are extracted in worker processes.
    Links are followed likeliest-report first (cues in anchor text and URL), and
    with --since a listing is not paged past items older than that date.
    Safe under cron: a second crawl on the same archive refuses to start
    (exit 75), and the exit status is 1 when a source failed entirely.
    Ctrl-C or SIGTERM stops it within seconds (exit 130 or 143): what was
    fetched is kept, and pages not yet extracted are extracted by the next
    crawl. Each source stops at its budget (--max-pages, --max-minutes).

    \b
    Prints one summary line, e.g.:
        crawl 3: 412 pages fetched, 57 new articles, 2 errors
    """
    from .fetch.lock import crawl_lock
    from .fetch.run import run_crawl

    sources = select(load_registry(sources_file), source_ids)
    overrides = {}
    if depth is not None:
        overrides["DEPTH_LIMIT"] = depth
    if delay is not None:
        overrides["DOWNLOAD_DELAY"] = delay
    if max_pages is not None:
        overrides["SOURCE_MAX_PAGES"] = max_pages
    if max_minutes is not None:
        overrides["SOURCE_MAX_MINUTES"] = max_minutes
    if log_file and not log_file.parent.exists():
        raise click.ClickException(f"{log_file}: folder {log_file.parent} does not exist")
    with crawl_lock(_writable_db(db_path)):
        summary = run_crawl(sources, db_path, log_file=log_file, overrides=overrides,
                            since=since.date() if since else None)
    click.echo(summary.line())
    sys.exit(summary.exit_code)


@cli.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--url", required=True, help="The URL the page was saved from.")
@click.option("--source", "source_id", metavar="ID",
              help="Registry id of the page's source; its learnt site template is applied.")
@sources_option
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_DB,
              show_default=True, help="Archive holding the source's learnt template (used with --source).")
@one_line_errors
def extract(file, url, source_id, sources_file, db_path):
    """Print the article record for one saved HTML page, as JSON.

    With --source, the site template learnt for that source in the archive
    (--db) is applied, as in a crawl.

    The bytes are decoded as a browser would (byte-order mark, then the page's
    declared charset, then detection).

    \b
        crawler extract saved.html --url https://example.vn/tin/123.html
    """
    from .article import extract_article
    from .article.template import TemplateLearner

    source, template = None, None
    if source_id:
        source = select(load_registry(sources_file), [source_id])[0]
        if db_path.exists():
            learner = Archive.open(db_path, readonly=True).load_learner(TemplateLearner(), source=source_id)
            template = learner.template(source_id)
    try:
        body = file.read_bytes()
    except OSError as exc:
        raise click.ClickException(f"{file}: cannot read: {exc.strerror}") from None
    record = extract_article(body, url, source, template=template)
    if record is None:
        raise click.ClickException(f"{file}: no article found on this page (a listing or a page with too little text)")
    click.echo(json.dumps(record, ensure_ascii=False, indent=2))


@cli.command()
@db_option
@sources_option
@click.option("--workers", type=click.IntRange(1), help="Worker processes (default: one per core).")
@click.option("--log-file", type=click.Path(dir_okay=False, path_type=Path),
              help="Write errors with their tracebacks to this file (default: the crawler's log).")
@one_line_errors
def reprocess(db_path, sources_file, workers, log_file):
    """Rebuild articles and every derived table from the archived raw pages.

    No network: use it after improving extraction. It runs in one transaction,
    so Datasette keeps showing the old tables until the new ones are complete,
    and Ctrl-C (or a crash) leaves them as they were. A page that cannot be
    read or extracted keeps its article and is listed in crawl_errors.
    """
    from .archive.reprocess import reprocess as run_reprocess
    from .fetch import settings
    from .fetch.lock import crawl_lock

    archive = Archive.open(db_path)
    registry = load_registry(sources_file) if sources_file else None
    with crawl_lock(db_path):
        if registry:
            archive.save_sources(registry)
        sources = {row["id"]: _source_from_row(row) for row in archive.db["sources"].rows}
        run_id = archive.start_run(sorted(sources), command="reprocess")
        stop_on_signals()
        status = "failed"
        try:
            counts = run_reprocess(archive, sources, run_id=run_id, workers=workers,
                                   memory_mb=settings.PROCESS_MEMORY_MB, timeout=settings.EXTRACT_TIMEOUT)
            status = "ok"
        except Interrupted:
            status = "interrupted"
            raise
        finally:
            done = counts if status == "ok" else {"pages": 0, "articles": 0, "errors": 0}
            archive.finish_run(run_id, pages_fetched=done["pages"], new_articles=done["articles"],
                               errors=done["errors"], failed_sources=[], status=status)
            archive.close()
    click.echo(f"reprocessed {counts['pages']} pages: {counts['articles']} articles, {counts['errors']} errors, "
               f"{counts['clusters']} stories published more than once")


@cli.command()
@db_option
@one_line_errors
def migrate(db_path):
    """Bring an archive made by an older version to this version's schema.

    One transaction: interrupted, the archive stays as it was. `crawler
    crawl` migrates by itself when it starts; `serve` and `export` open the
    archive read-only and ask for this instead.

    \b
        crawler migrate --db archive.db
    """
    from .archive import SCHEMA_VERSION
    from .fetch.lock import crawl_lock

    if not db_path.exists():
        Archive.open(db_path)  # the one-line "no archive here"
    with crawl_lock(db_path):
        archive = Archive.create(db_path)
        archive.close()
    if archive.migrated_from is None:
        click.echo(f"{db_path}: already at schema {SCHEMA_VERSION}, nothing to do")
    else:
        click.echo(f"{db_path}: migrated from schema {archive.migrated_from} to {SCHEMA_VERSION}")


@cli.command()
@db_option
@click.option("--source", "source_ids", multiple=True, metavar="ID", help="Only this source (repeatable).")
@click.option("--province", help="Only this province (diacritics optional: 'Quang Ninh').")
@click.option("--since", metavar="YYYY-MM-DD", help="Published on or after this date.")
@click.option("--until", metavar="YYYY-MM-DD", help="Published on or before this date.")
@click.option("--query", "-q", help="Full-text search over title and text, diacritics optional, "
                                    "\"quoted phrases\" kept together; best matches first.")
@click.option("--relevant-only", is_flag=True, help="Only year-end and term reviews of inspection work.")
@click.option("--canonical-only", is_flag=True,
              help="One row per story: only the canonical member of each duplicate cluster.")
@click.option("--year", "years", multiple=True, type=int, metavar="YYYY",
              help="Only reports reviewing this year (repeatable).")
@click.option("--doc-type", "doc_types", multiple=True, metavar="TYPE", type=click.Choice(DOC_TYPES),
              help="Only this document type (repeatable).")
@click.option("--level", "levels", multiple=True, metavar="LEVEL", type=click.Choice(LEVELS),
              help="Only meetings organised at this level (repeatable).")
@click.option("--fields", metavar="A,B,…",
              help="Only these record fields, in this order (e.g. url,title,published,report_year).")
@click.option("--format", "fmt", type=click.Choice(["json", "jsonl", "csv"]), default="json", show_default=True,
              help="A JSON array, one JSON object per line, or CSV (lists as JSON in their cell).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of stdout.")
@click.option("--schema", is_flag=True,
              help="Print the JSON Schema of one record (of the --fields chosen) and exit.")
@one_line_errors
def export(db_path, source_ids, province, since, until, query, relevant_only, canonical_only, years,
           doc_types, levels, fields, fmt, output, schema):
    """Export the filtered article set in the record schema.

    \b
        crawler export --query "kiểm tra" -o reports.json
        crawler export --province "Quang Ninh" --since 2023-01-01 --format jsonl
        crawler export --relevant-only --year 2023 --level provincial -o 2023.json
        crawler export --relevant-only --fields url,title,province_current,report_year --format csv
        crawler export --schema > record.schema.json     # the JSON Schema of a record

    --province matches the province as named at publication or its unit after
    the 2025 merger, with or without diacritics.
    """
    from .publish.export import Filters, count_records, iter_records, parse_fields, write_records

    chosen = parse_fields(fields)
    if schema:
        click.echo(json.dumps(json_schema(chosen), ensure_ascii=False, indent=2))
        return
    filters = Filters(sources=source_ids, province=province, since=since, until=until, query=query,
                      relevant_only=relevant_only, canonical_only=canonical_only, years=years,
                      doc_types=doc_types, levels=levels)
    filters.validate()
    if output:
        _check_writable(output)
    archive = Archive.open(db_path, readonly=True)
    filters.validate(archive.db)
    records = iter_records(archive.db, filters, chosen)
    if not output:
        write_records(records, sys.stdout, fmt, chosen)
        return
    # Written beside the target and renamed when complete: an export that is
    # interrupted or meets a full disk leaves the old file (or none), never half of one.
    tmp = output.with_name(output.name + ".part")
    stop_on_signals()
    try:
        # newline="" so the csv module writes its own line endings
        with open(tmp, "w", encoding="utf-8", newline="") as out:
            if sys.stderr.isatty():
                with click.progressbar(records, length=count_records(archive.db, filters), file=sys.stderr,
                                       label=f"exporting to {output.name}") as bar:
                    count = write_records(bar, out, fmt, chosen)
            else:
                count = write_records(records, out, fmt, chosen)
        tmp.replace(output)
    finally:
        tmp.unlink(missing_ok=True)
    click.echo(f"exported {count} articles to {output}", err=True)


def _check_writable(output: Path):
    if output.is_dir():
        raise click.ClickException(f"{output}: is a folder; give a file name")
    if not output.parent.exists():
        raise click.ClickException(f"{output}: folder {output.parent} does not exist")
    if not os.access(output.parent, os.W_OK) or (output.exists() and not os.access(output, os.W_OK)):
        raise click.ClickException(f"{output}: not writable")


@cli.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; behind a reverse proxy keep 127.0.0.1.")
@click.option("--port", default=8001, show_default=True, type=click.IntRange(0, 65535))
@click.option("--public", is_flag=True,
              help="A public instance: the file opened immutable, SQL stopped after 1 s, "
                   "at most 500 rows a query, no CSV streaming. Serve a copy the crawl does "
                   "not write to (README, Public deployment).")
@one_line_errors
def serve(db_path, host, port, public):
    """Browse and search the archive in Datasette (read-only).

    The port is checked before Datasette starts: one in use is an error
    naming it.
    """
    from .publish.serve import ensure_port_free
    from .publish.serve import serve as run_datasette

    Archive.open(db_path, readonly=True).close()
    ensure_port_free(host, port)
    click.echo(f"Datasette on http://{host}:{port}/{' (public, read-only)' if public else ''} "
               "(Ctrl-C to stop)", err=True)
    sys.exit(run_datasette(db_path, host=host, port=port, public=public))


@cli.command()
@db_option
@click.option("--port", default=8001, show_default=True, type=click.IntRange(0, 65535),
              help="Port for Datasette.")
@click.option("--sites-port", default=8701, show_default=True, type=click.IntRange(0, 65535),
              help="Port of the sample portals (each on its own 127.0.0.x address).")
@click.option("--no-serve", is_flag=True, help="Crawl the sample network, then stop.")
@one_line_errors
def demo(db_path, port, sites_port, no_serve):
    """Run the whole pipeline offline on a sample portal network.

    Serves five sample portals on loopback (127.0.0.21-25), crawls them into
    the archive, then starts Datasette on it. Nothing leaves this machine.
    """
    from .demo.registry import demo_registry_toml
    from .demo.server import serve_network
    from .fetch.lock import crawl_lock
    from .fetch.run import run_crawl
    from .publish.serve import ensure_port_free, serve as run_datasette
    from .registry import parse_registry

    if not no_serve:
        ensure_port_free("127.0.0.1", port)
    try:
        network = serve_network(port=sites_port)
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            raise
        raise click.ClickException(f"port {sites_port} on 127.0.0.21-25 is in use "
                                   "(choose another with --sites-port)") from None
    with network:
        sources = parse_registry(demo_registry_toml(network.urls), "<demo registry>")
        click.echo(f"serving {len(sources)} sample portals: " + ", ".join(network.urls.values()), err=True)
        with crawl_lock(_writable_db(db_path)):
            summary = run_crawl(sources, db_path, overrides={"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False})
        click.echo(summary.line())
    if summary.interrupted_by or no_serve:
        sys.exit(summary.exit_code)
    click.echo(f"Datasette on http://127.0.0.1:{port}/ (Ctrl-C to stop)", err=True)
    sys.exit(run_datasette(db_path, port=port))


def _writable_db(db_path: Path) -> Path:
    """Check the archive can be created or opened before anything is fetched."""
    Archive.create(db_path).close()
    return db_path


def _source_from_row(row: dict) -> Source:
    lists = {key: tuple(json.loads(row[key] or "[]")) for key in ("start_urls", "feeds", "sitemaps")}
    return Source(id=row["id"], name=row["name"], home=row["home"], province=row["province"],
                  level=row["level"], search=row.get("search"), **lists)


def main():
    """Entry point: click's usage errors also come out as one line."""
    try:
        cli.main(standalone_mode=False)
    except click.UsageError as exc:
        hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx else ""
        click.echo(f"Error: {exc.format_message()}{hint}", err=True)
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        click.echo(f"Error: {exc.format_message()}", err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:  # Ctrl-C where no command handles it
        click.echo("Interrupted.", err=True)
        sys.exit(128 + signal.SIGINT)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)


if __name__ == "__main__":
    main()
