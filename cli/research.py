"""Commands for researchers: ``eskg export`` (RDF dumps) and ``eskg diff`` (change feed).

Added to the main group by ``cli/main.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from cli import diff as differ
from cli.common import handled
from cli.common import progress as _progress
from eskg.config import Settings, get_settings
from eskg.describe import FORMATS
from eskg.export import export_store
from eskg.store.base import Store
from loaders import open_filled_store


def open_for_export(settings: Settings, source: str) -> Store:
    """The store to export; the in-memory embedded store is built from the data first."""
    return open_filled_store(settings, source, _progress)


@click.command()
@click.option(
    "--from",
    "source",
    type=click.Choice(["neo4j", "embedded"]),
    default=None,
    help="Store to read (default ESKG_STORE). The in-memory embedded store "
    "is built from the curated data first.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(FORMATS)),
    default="nq",
    show_default=True,
    help="nq and trig and jsonld keep the named graphs.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path),
    default=None,
    help="File to write (default: standard output).",
)
@handled
def export(source: str | None, fmt: str, output: Path | None) -> None:
    """Write the whole dataset as RDF, with its DCAT/VoID description."""
    settings = get_settings()
    kind = source or settings.store
    store = open_for_export(settings, kind)
    try:
        _progress(f"exporting from the {kind} store")
        dump = export_store(store, settings, _progress)
        data = dump.serialize(fmt)
    finally:
        store.close()
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        output.write_bytes(data)
    c = dump.counts
    where = str(output) if output else "standard output"
    _progress(
        f"{c.triples if c else 0} statements, {c.entities if c else 0} entities, "
        f"version {dump.version}, {FORMATS[fmt].title} ({len(data)} bytes) to {where} "
        f"in {dump.seconds:.2f} s"
    )


@click.command()
@click.argument("old", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("new", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the changes as JSON.")
@handled
def diff(old: Path, new: Path, as_json: bool) -> None:
    """Statements added, removed and changed between two dumps, with their sources."""
    settings = get_settings()
    result = differ.diff_files(old, new, settings)
    click.echo(differ.to_json(result) if as_json else differ.to_text(result, settings))
