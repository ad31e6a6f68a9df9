"""The ``eskg`` command line: load, validate, lint, serve, export, diff, neo4j, stats,
shapes.

Exit codes follow pySHACL: 0 fine, 1 the data does not conform, 2 could not run.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click
import uvicorn

from api.app import create_app
from api.http import UVICORN_HTTP
from api.schema import build_schema
from api.workers import serve_workers
from cli import lint as linting
from cli import neo4j_runtime
from cli import synthetic as synth
from cli.common import handled
from cli.common import progress as _progress
from cli.coverage import generate, report_path
from cli.research import diff, export
from eskg.config import get_settings
from eskg.errors import DataNotConformingError, EskgError
from eskg.ontology import load_ontology, shapes_path
from eskg.shapes import render_shapes
from loaders import build, open_filled_store, shared_sparql_path
from loaders.load import load as run_load
from loaders.rdf_file import load_file
from loaders.yaml_source import read_folder


@click.group()
def main() -> None:
    """eskg: the knowledge graph of Japan's economic-security policy landscape."""


@main.command()
@click.option("--data", "data_dir", type=click.Path(path_type=Path), help="Curated data folder.")
@click.option(
    "--accepted",
    type=click.Path(path_type=Path),
    help="Accepted findings (default: lint-accepted.yml in the data folder).",
)
@click.option("--json", "as_json", is_flag=True, help="Findings as JSON.")
@click.option("--warnings/--no-warnings", default=True, help="List warnings (counted anyway).")
def lint(data_dir: Path | None, accepted: Path | None, as_json: bool, warnings: bool) -> None:
    """Curation checks over the validated data (docs/lint.md); exit 1 on errors."""
    settings = get_settings()
    folder = data_dir or settings.data_dir
    try:
        build(settings, folder)  # the checks assume well-formed data
        records = read_folder(folder)
        allow = linting.read_accepted(accepted or folder / linting.ACCEPTED_FILE)
        report = linting.lint(records, load_ontology(settings.ontology_dir), allow)
    except DataNotConformingError as exc:
        click.echo(
            f"error: the data does not validate; fix it first (eskg validate):\n{exc.message}",
            err=True,
        )
        sys.exit(2)
    except EskgError as exc:
        click.echo(f"error: {exc.message}", err=True)
        sys.exit(2)
    counts = linting.summary(report)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "summary": counts,
                    "findings": [linting.as_dict(f) for f in report.findings],
                    "accepted": [linting.as_dict(f) for f in report.accepted],
                    "unused_accepted": [a.__dict__ for a in report.unused],
                },
                ensure_ascii=False,
                indent=1,
            )
        )
    else:
        for f in report.findings:
            if warnings or f.severity == linting.ERROR:
                click.echo(f.line())
        for a in report.unused:
            click.echo(f"note: accepted entry {a.id} [{a.check}] matches no finding; remove it")
        click.echo(
            f"{counts['errors']} error(s), {counts['warnings']} warning(s), "
            f"{counts['accepted']} accepted",
            err=True,
        )
    sys.exit(1 if report.errors else 0)


@main.command()
@click.option("--data", "data_dir", type=click.Path(path_type=Path), help="Curated data folder.")
@handled
def validate(data_dir: Path | None) -> None:
    """Read, compile and validate the curated data; write nothing."""
    built = build(get_settings(), data_dir, progress=_progress)
    c = built.compiled
    click.echo(
        f"conforms: {c.records} records, {c.relations} relations, "
        f"{built.quads} statements in {built.seconds:.2f} s"
    )


@main.command()
@click.option("--data", "data_dir", type=click.Path(path_type=Path), help="Curated data folder.")
@click.option(
    "--store",
    "stores",
    multiple=True,
    type=click.Choice(["neo4j", "embedded"]),
    help="Store(s) to load; default: the configured store (ESKG_STORE).",
)
@click.option(
    "--from",
    "source",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Load this compiled RDF file (.nq N-Quads, .trig TriG) instead of the curated data; "
    "into the embedded store it needs ESKG_EMBEDDED_PATH.",
)
@click.option(
    "--validate/--no-validate",
    "check",
    default=True,
    help="With --from: validate the file against the SHACL shapes first (default; minutes "
    "past a few hundred thousand quads); --no-validate is for trusted data at scale.",
)
@handled
def load(data_dir: Path | None, stores: tuple[str, ...], source: Path | None, check: bool) -> None:
    """Validate the curated data (or an RDF file) and load it into the store(s)."""
    settings = get_settings()
    kinds = list(stores) or [settings.store]
    if source is not None:
        if data_dir is not None:
            raise click.UsageError("give --data or --from, not both")
        summaries = load_file(settings, kinds, source, check, _progress)
    else:
        summaries = run_load(settings, kinds, data_dir, _progress)
    for summary in summaries:
        click.echo(str(summary))


@main.command()
@click.option("--triples", type=click.IntRange(min=1000), required=True, help="About how many.")
@click.option(
    "--output", type=click.Path(path_type=Path, dir_okay=False), required=True, help="FILE.nq"
)
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same quads.")
@handled
def synthetic(triples: int, output: Path, seed: int) -> None:
    """Write synthetic, shape-conformant data of about N triples as N-Quads (streamed)."""
    if output.suffix != ".nq":
        raise click.BadParameter(f"{output}: name an N-Quads file (.nq)", param_hint="--output")
    done = synth.write_nquads(output, triples, seed, get_settings().base_iri, _progress)
    click.echo(
        f"wrote {output}: {done.quads} quads, {done.records} records, {done.relations} "
        f"relations in {done.seconds:.1f} s ({done.quads / done.seconds:,.0f} quads/s)"
    )


@main.command()
@click.option("--host", default=None, help="Interface to listen on (default ESKG_HOST).")
@click.option("--port", default=None, type=int, help="Port (default ESKG_PORT, 8000).")
@click.option(
    "--store",
    type=click.Choice(["embedded", "neo4j"]),
    default=None,
    help="Store that answers queries (default ESKG_STORE, embedded).",
)
@click.option(
    "--workers",
    default=None,
    type=click.IntRange(min=0),
    help="Processes answering requests (default ESKG_WORKERS; 0: one per core on Neo4j, "
    "one on the embedded store).",
)
@handled
def serve(host: str | None, port: int | None, store: str | None, workers: int | None) -> None:
    """Serve GraphQL (/graphql), the explorer (/) and health (/health)."""
    if store:
        os.environ["ESKG_STORE"] = store
        get_settings.cache_clear()
    settings = get_settings()
    if workers is not None:
        settings = settings.model_copy(update={"workers": workers})
    count = serve_workers(settings)
    host, port = host or settings.host, port or settings.port
    if count == 1:
        uvicorn.run(
            create_app(settings),
            host=host,
            port=port,
            log_level="info",
            access_log=settings.access_log,
            http=UVICORN_HTTP,
            limit_concurrency=settings.http_limit_concurrency,
            timeout_keep_alive=settings.http_keep_alive_seconds,
        )
        return
    if settings.store == "neo4j":
        # every process opens the SPARQL store read-only: write it once, here, first
        path = shared_sparql_path(settings, _progress)
        os.environ["ESKG_SPARQL_PATH"] = str(path)
    _progress(f"serving from {settings.store} in {count} processes (ESKG_WORKERS)")
    # the processes read the settings from the environment, as this one did
    uvicorn.run(
        "api.app:create_app",
        factory=True,
        workers=count,
        timeout_worker_healthcheck=settings.worker_healthcheck_seconds,
        host=host,
        port=port,
        log_level="info",
        access_log=settings.access_log,
        http=UVICORN_HTTP,
        limit_concurrency=settings.http_limit_concurrency,
        timeout_keep_alive=settings.http_keep_alive_seconds,
    )


@main.command()
@click.option("--store", type=click.Choice(["embedded", "neo4j"]), default=None)
@handled
def stats(store: str | None) -> None:
    """Counts per class and relation (the embedded store is loaded from the data first)."""
    settings = get_settings()
    kind = store or settings.store
    st = open_filled_store(settings, kind, _progress)
    s = st.stats()
    click.echo(f"{kind} store: {s.entities} entities")
    click.echo("classes:")
    for name, count in sorted(s.classes.items()):
        click.echo(f"  {name:28} {count:6}")
    click.echo("relations:")
    for name, count in sorted(s.relations.items()):
        click.echo(f"  {name:28} {count:6}")
    st.close()


@main.group()
def neo4j() -> None:
    """Run a local Neo4j 5.26 Community from Maven Central jars (no Docker)."""


@neo4j.command("start")
@handled
def neo4j_start() -> None:
    """Fetch the jars if needed, start Neo4j and wait until Bolt answers."""
    st = neo4j_runtime.start()
    click.echo(f"running: pid {st.pid}, {st.bolt_uri}, browser {st.http_url}browser/")


@neo4j.command("stop")
@handled
def neo4j_stop() -> None:
    """Stop the local Neo4j."""
    neo4j_runtime.stop()
    click.echo("stopped")


@neo4j.command("status")
@handled
def neo4j_status() -> None:
    """Say whether the local Neo4j runs; exit 3 when it does not."""
    st = neo4j_runtime.status()
    if st.running:
        click.echo(f"running: pid {st.pid}, Neo4j {st.version} {st.edition}, {st.bolt_uri}")
    else:
        click.echo("not running")
        sys.exit(3)


@main.command()
@handled
def schema() -> None:
    """Print the GraphQL schema (SDL); `eskg schema > schema.graphql` refreshes the file."""
    settings = get_settings()
    click.echo(build_schema(load_ontology(settings.ontology_dir), settings).as_str())


@main.command()
@handled
def shapes() -> None:
    """Regenerate ontology/shapes.ttl from the ontology."""
    settings = get_settings()
    path = shapes_path(settings.ontology_dir)
    path.write_text(render_shapes(load_ontology(settings.ontology_dir)), encoding="utf-8")
    click.echo(f"wrote {path}")


@main.command()
@click.option(
    "--check", is_flag=True, help="Exit 1 if docs/coverage.md is not current; write nothing."
)
@handled
def coverage(check: bool) -> None:
    """Write docs/coverage.md: seed sections, the entities encoding them, counts."""
    text = generate(get_settings(), progress=_progress)
    path = report_path()
    if check:
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        click.echo("current" if current == text else f"{path} is out of date")
        sys.exit(0 if current == text else 1)
    path.write_text(text, encoding="utf-8")
    click.echo(f"wrote {path}")


# export and diff (RDF dumps and change feed for researchers)
main.add_command(export)
main.add_command(diff)

if __name__ == "__main__":
    main()
