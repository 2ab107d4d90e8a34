"""The `crawler` command: crawl, extract, reprocess, export, serve, demo."""

import functools
import json
import os
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


def one_line_errors(command):
    """Turn every expected failure into `Error: …` on one line and a non-zero exit."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        from .fetch.lock import CrawlLocked
        from .publish.export import ExportError

        try:
            return command(*args, **kwargs)
        except BrokenPipeError:
            # The reader went away (`crawler export | head`): stop quietly.
            sys.stdout = open(os.devnull, "w")
            sys.exit(1)
        except CrawlLocked as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(EXIT_LOCKED)
        except (RegistryError, ArchiveError, NotHTMLError, ExportError) as exc:
            raise click.ClickException(str(exc)) from None
        except OSError as exc:
            raise click.ClickException(f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": ")) from None
        except Exception as exc:  # never a traceback for the user; say what broke
            raise click.ClickException(f"unexpected {type(exc).__name__}: {exc}") from None

    return wrapper


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
@one_line_errors
def crawl(sources_file, db_path, source_ids, log_file, depth, delay, since):
    """Crawl the registry's sources into the archive.

    Every fetched page is kept raw; articles are extracted in worker processes.
    Links are followed likeliest-report first (cues in anchor text and URL), and
    with --since a listing is not paged past items older than that date.
    Safe under cron: a second crawl on the same archive refuses to start
    (exit 75), and the exit status is 1 when a source failed entirely.

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
    if log_file and not log_file.parent.exists():
        raise click.ClickException(f"{log_file}: folder {log_file.parent} does not exist")
    with crawl_lock(_writable_db(db_path)):
        summary = run_crawl(sources, db_path, log_file=log_file, overrides=overrides,
                            since=since.date() if since else None)
    click.echo(summary.line())
    if summary.failed_sources:
        sys.exit(1)


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
            learner = Archive.open(db_path).load_learner(TemplateLearner(), source=source_id)
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
@one_line_errors
def reprocess(db_path, sources_file, workers):
    """Rebuild articles and every derived table from the archived raw pages.

    No network: use it after improving extraction. It runs in one transaction,
    so Datasette keeps showing the old tables until the new ones are complete.
    """
    from .archive.reprocess import reprocess as run_reprocess

    archive = Archive.open(db_path)
    if sources_file:
        archive.save_sources(load_registry(sources_file))
    sources = {row["id"]: _source_from_row(row) for row in archive.db["sources"].rows}
    counts = run_reprocess(archive, sources, workers=workers)
    archive.close()
    click.echo(f"reprocessed {counts['pages']} pages: {counts['articles']} articles, {counts['errors']} errors, "
               f"{counts['clusters']} stories published more than once")


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
    archive = Archive.open(db_path)
    filters = Filters(sources=source_ids, province=province, since=since, until=until, query=query,
                      relevant_only=relevant_only, canonical_only=canonical_only, years=years,
                      doc_types=doc_types, levels=levels)
    records = iter_records(archive.db, filters, chosen)
    if not output:
        write_records(records, sys.stdout, fmt, chosen)
        return
    if not output.parent.exists():
        raise click.ClickException(f"{output}: folder {output.parent} does not exist")
    tmp = output.with_name(output.name + ".part")
    # newline="" so the csv module writes its own line endings
    with open(tmp, "w", encoding="utf-8", newline="") as out:
        if sys.stderr.isatty():
            with click.progressbar(records, length=count_records(archive.db, filters), file=sys.stderr,
                                   label=f"exporting to {output.name}") as bar:
                count = write_records(bar, out, fmt, chosen)
        else:
            count = write_records(records, out, fmt, chosen)
    tmp.replace(output)
    click.echo(f"exported {count} articles to {output}", err=True)


@cli.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8001, show_default=True, type=click.IntRange(0, 65535))
@one_line_errors
def serve(db_path, host, port):
    """Browse and search the archive in Datasette (read-only)."""
    from .publish.serve import serve as run_datasette

    Archive.open(db_path).close()
    click.echo(f"Datasette on http://{host}:{port}/ (Ctrl-C to stop)", err=True)
    sys.exit(run_datasette(db_path, host=host, port=port))


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
    from .publish.serve import serve as run_datasette
    from .registry import parse_registry

    with serve_network(port=sites_port) as network:
        sources = parse_registry(demo_registry_toml(network.urls), "<demo registry>")
        click.echo(f"serving {len(sources)} sample portals: " + ", ".join(network.urls.values()), err=True)
        with crawl_lock(_writable_db(db_path)):
            summary = run_crawl(sources, db_path, overrides={"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False})
        click.echo(summary.line())
        if no_serve:
            return
        click.echo(f"Datasette on http://127.0.0.1:{port}/ (Ctrl-C to stop)", err=True)
        run_datasette(db_path, port=port)


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
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)


if __name__ == "__main__":
    main()
