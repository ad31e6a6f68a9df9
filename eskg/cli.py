"""The ``eskg`` command line: load, validate, serve, export, neo4j, stats, shapes.

Exit codes follow pySHACL: 0 fine, 1 the data does not conform, 2 could not run.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Callable, TypeVar

import click

from eskg.config import get_settings
from eskg.errors import EskgError

F = TypeVar("F", bound=Callable[..., Any])


def _progress(message: str) -> None:
    click.echo(f"· {message}", err=True)


def handled(func: F) -> F:
    """Turn project errors into a message on stderr and the right exit code."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except EskgError as exc:
            click.echo(f"error: {exc.message}", err=True)
            sys.exit(exc.exit_code)

    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    return wrapper  # type: ignore[return-value]


@click.group()
def main() -> None:
    """eskg: the knowledge graph of Japan's economic-security policy landscape."""


@main.command()
@click.option("--data", "data_dir", type=click.Path(path_type=Path), help="Curated data folder.")
@handled
def validate(data_dir: Path | None) -> None:
    """Read, compile and validate the curated data; write nothing."""
    from loaders.pipeline import build

    built = build(get_settings(), data_dir, progress=_progress)
    c = built.compiled
    click.echo(
        f"conforms: {c.records} records, {c.relations} relations, "
        f"{built.quads} statements in {built.seconds:.2f} s"
    )


@main.command()
@handled
def shapes() -> None:
    """Regenerate ontology/shapes.ttl from the ontology."""
    from eskg.ontology import load_ontology, shapes_path
    from eskg.shapes import render_shapes

    settings = get_settings()
    path = shapes_path(settings.ontology_dir)
    path.write_text(render_shapes(load_ontology(settings.ontology_dir)), encoding="utf-8")
    click.echo(f"wrote {path}")


if __name__ == "__main__":
    main()
