"""Stores behind one interface: :class:`eskg.store.base.Store`."""

from __future__ import annotations

from eskg.config import Settings
from eskg.ontology import load_ontology
from eskg.queries import load_library
from eskg.store.base import Store
from eskg.store.embedded import EmbeddedStore
from eskg.store.neo4j import Neo4jStore
from eskg.store.read_only import ReadOnlyEmbeddedStore
from eskg.store.search_index import index_path


def open_store(settings: Settings, kind: str | None = None, read_only: bool = False) -> Store:
    """The configured store (``settings.store``), or the one named by ``kind``. With
    ``read_only``, an on-disk embedded store that holds data is opened read-only (a
    reader, such as a server, beside the loads that replace it)."""
    onto = load_ontology(settings.ontology_dir)
    queries = load_library(settings.queries_dir)
    chosen = kind or settings.store
    if chosen == "neo4j":
        return Neo4jStore(onto, queries, settings)
    path = settings.embedded_path
    if read_only and path is not None and index_path(path).is_file():
        return ReadOnlyEmbeddedStore(onto, queries, path)
    return EmbeddedStore(onto, queries, path)
