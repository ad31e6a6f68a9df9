"""An on-disk embedded store opened read-only, by as many processes as serve it.

When Neo4j answers GraphQL, ``/sparql`` answers from an embedded store holding the same
data. One process writes that store to disk (``eskg load --from`` or ``eskg serve``
before it starts its workers), and every worker opens it read-only: the graph is held
once, in the page cache, not once per process. Oxigraph's read-only mode must not be
used while another process writes the folder, so a load writes a new folder beside it
and renames it into place, its search index last; the processes serving the old one
reopen the new one when they see the new index file (``EmbeddedStore.
reopen_if_replaced``). ``eskg serve`` on the embedded store opens a filled
``ESKG_EMBEDDED_PATH`` this way too.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset

from eskg.errors import ConfigurationError
from eskg.ontology import Ontology
from eskg.queries import QueryLibrary
from eskg.store.embedded import EmbeddedStore
from eskg.store.search_index import index_path


class ReadOnlyEmbeddedStore(EmbeddedStore):
    """``EmbeddedStore`` over a folder written before, which it never writes."""

    name = "embedded"

    def __init__(self, onto: Ontology, queries: QueryLibrary, path: Path) -> None:
        if not path.is_dir() or not index_path(path).is_file():
            raise ConfigurationError(
                f"{path} holds no embedded store with its search index; fill it with "
                "`ESKG_EMBEDDED_PATH={path} eskg load --store embedded` (or --from FILE)"
            )
        super().__init__(onto, queries, path)

    @staticmethod
    def _new_store(path: Path | None) -> ox.Store:
        assert path is not None
        try:
            return ox.Store.read_only(str(path))
        except OSError as exc:
            raise ConfigurationError(
                f"{path}: cannot open the embedded store read-only ({exc}); fill it again "
                "with `eskg load --store embedded`"
            ) from exc

    def _refuse(self) -> None:
        raise ConfigurationError(
            f"{self.path} is open read-only here; load it with `eskg load --store embedded` "
            "(a running `eskg serve` reopens it)"
        )

    def replace_all(self, dataset: Dataset) -> None:
        self._refuse()

    def replace_with_nquads(self, nquads: bytes) -> None:
        self._refuse()
