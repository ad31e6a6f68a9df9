"""The load pipeline up to validated RDF: read YAML, compile to RDF, validate."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from eskg.config import Settings
from eskg.ontology import load_ontology
from loaders import compile as compiler
from loaders import validate, yaml_source

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    return None


@dataclass
class Built:
    """Validated RDF of the curated data and what it took."""

    compiled: compiler.Compiled
    seconds: float

    @property
    def quads(self) -> int:
        return len(self.compiled.dataset)


def build(settings: Settings, data_dir: Path | None = None, progress: Progress = _quiet) -> Built:
    """Read, compile and validate the curated data; raise on any problem."""
    start = time.perf_counter()
    folder = data_dir or settings.data_dir
    progress(f"reading curated data in {folder}")
    records = yaml_source.read_folder(folder)
    onto = load_ontology(settings.ontology_dir)
    progress(f"compiling {len(records)} records to RDF")
    compiled = compiler.compile_records(records, onto, settings.base_iri)
    progress(f"validating {len(compiled.dataset)} statements against the SHACL shapes")
    validate.check(
        compiled, onto, validate.load_shapes(settings.ontology_dir), settings.sources_dir
    )
    return Built(compiled=compiled, seconds=time.perf_counter() - start)
