"""The on-disk store ``/sparql`` answers from when Neo4j answers GraphQL.

Every ``eskg serve`` process opens it read-only (``eskg.store.read_only``), so the graph
is on disk once, not in memory once per process. It is ``ESKG_EMBEDDED_PATH`` when set
(filled by ``eskg load --store embedded``, the same data ``eskg load`` wrote to Neo4j);
else a store of the validated bundled data, written once into ``ESKG_CACHE_DIR``
(``sparql/<hash of the inputs>/store``) by the process that starts the others.
"""

from __future__ import annotations

from pathlib import Path

from eskg.config import Settings
from eskg.errors import ConfigurationError
from eskg.ontology import load_ontology
from loaders.pipeline import Progress, validated_nquads_file
from loaders.rdf_file import fill_embedded


def _quiet(_: str) -> None:
    return None


def shared_sparql_path(settings: Settings, progress: Progress = _quiet) -> Path:
    """The folder of the store SPARQL answers from, written first if it is missing."""
    if settings.sparql_path is not None:
        return settings.sparql_path
    if settings.embedded_path is not None:
        if not settings.embedded_path.is_dir():
            raise ConfigurationError(
                f"ESKG_EMBEDDED_PATH ({settings.embedded_path}) holds no store; fill it with "
                "`eskg load --store embedded` (the data you loaded into Neo4j) or unset it"
            )
        return settings.embedded_path
    nquads = validated_nquads_file(settings, progress)
    path = settings.cache_dir / "sparql" / nquads.stem / "store"
    if not path.is_dir():
        progress(f"writing the SPARQL store {path} (once; every process reads it)")
        on_disk = settings.model_copy(update={"embedded_path": path})
        fill_embedded(on_disk, nquads, load_ontology(settings.ontology_dir), progress)
    return path


__all__ = ["shared_sparql_path"]
