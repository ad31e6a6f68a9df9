"""The load pipeline up to validated RDF: read YAML, compile to RDF, validate."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from eskg.config import Settings
from eskg.errors import ConfigurationError
from eskg.ontology import load_ontology
from eskg.store import open_store
from eskg.store.base import Store
from eskg.store.embedded import EmbeddedStore
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


def _fingerprint(settings: Settings, data_dir: Path) -> str:
    """A hash of everything the validated RDF depends on: data, ontology, sources, code."""
    digest = hashlib.sha256(settings.base_iri.encode())
    folders = (data_dir, settings.ontology_dir, settings.sources_dir, Path(__file__).parent)
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


def validated_nquads(settings: Settings, progress: Progress = _quiet) -> bytes:
    """The validated data as N-Quads, from a cache keyed by the inputs' hash when possible.

    Validation takes seconds; serving the same files again needs none of it. The cache
    lives in ``ESKG_CACHE_DIR``; a changed data file, shape or loader gives a new key.
    """
    folder = settings.data_dir
    cache = settings.cache_dir / "validated" / f"{_fingerprint(settings, folder)}.nq"
    if cache.is_file():
        progress(f"using validated data from {cache}")
        return cache.read_bytes()
    built = build(settings, folder, progress)
    data = built.compiled.dataset.serialize(format="nquads").encode("utf-8")
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(f".{os.getpid()}.tmp")  # processes may race here
        tmp.write_bytes(data)
        tmp.replace(cache)
    except OSError as exc:
        progress(f"could not cache the validated data ({exc.strerror}); continuing")
    return data


def validated_nquads_file(settings: Settings, progress: Progress = _quiet) -> Path:
    """The cached file of ``validated_nquads`` (validated and written first if needed)."""
    cache = settings.cache_dir / "validated" / f"{_fingerprint(settings, settings.data_dir)}.nq"
    if not cache.is_file():
        data = validated_nquads(settings, progress)
        if not cache.is_file():
            raise ConfigurationError(
                f"could not write the validated data ({len(data)} bytes) to {cache}; "
                "set ESKG_CACHE_DIR to a folder this user can write"
            )
    return cache


def open_filled_store(
    settings: Settings,
    kind: str | None = None,
    progress: Progress = _quiet,
    read_only: bool = False,
) -> Store:
    """``open_store(settings, kind, read_only)``, and an embedded store that lives only in
    memory filled with the validated bundled data: the one way every command and the API
    get a store."""
    store = open_store(settings, kind, read_only)
    if isinstance(store, EmbeddedStore) and settings.embedded_path is None:
        store.replace_with_nquads(validated_nquads(settings, progress))
    return store
