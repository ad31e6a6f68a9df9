"""``eskg load --from FILE``: already-compiled RDF (N-Quads or TriG) into a store.

The synthetic data at any size, a dump (``eskg export``), third-party RDF in our
provenance pattern. The file is parsed by Oxigraph (a syntax error names the file, line
and column), validated against the SHACL shapes as the curated data is unless the caller
says not to (pySHACL holds the whole graph in rdflib: fine to a few hundred thousand
quads, minutes past that; ``--no-validate`` is for trusted data at scale), then written:

* **embedded, on disk** (``ESKG_EMBEDDED_PATH``): Oxigraph's bulk loader reads the file
  into a new folder beside the store, counting the list bounds as the quads pass
  (``eskg.store.embedded_bounds``), the search index (which keeps the bounds) is built
  beside it, and both replace the old ones by renames at the end; a failure leaves the
  old store and index;
* **embedded, in memory**: nothing would outlive the command, so it is refused;
* **Neo4j**: the property-graph mapping streams the file through Oxigraph's parser and
  ``Neo4jStore.replace_all_nquads`` writes it in batched UNWINDs (one transaction over
  an existing graph, parallel ones into an empty database); TriG is first rewritten to
  N-Quads in a temporary file.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset

from eskg.bounds import BoundsCounter
from eskg.config import Settings
from eskg.errors import ConfigurationError, DataNotConformingError, InvalidInputError
from eskg.ontology import Ontology, load_ontology
from eskg.queries import load_library
from eskg.store import open_store
from eskg.store.embedded import ONTOLOGY_GRAPH
from eskg.store.embedded_bounds import counted
from eskg.store.neo4j import Neo4jStore
from eskg.store.search_index import build as build_index
from eskg.store.search_index import index_path
from loaders import validate
from loaders.compile import Compiled
from loaders.pipeline import Progress
from loaders.summary import LoadSummary, summarise

#: File name endings and the RDF syntax each names (rdflib's name for validation).
FORMATS = {
    ".nq": (ox.RdfFormat.N_QUADS, "nquads"),
    ".nquads": (ox.RdfFormat.N_QUADS, "nquads"),
    ".trig": (ox.RdfFormat.TRIG, "trig"),
}


def rdf_format(path: Path) -> tuple[ox.RdfFormat, str]:
    """The syntax a file's name ends with; ``InvalidInputError`` naming the file if none."""
    found = FORMATS.get(path.suffix.lower())
    if found is None:
        raise InvalidInputError(
            f"{path}: cannot tell the RDF syntax from the name; name it .nq (N-Quads) or "
            ".trig (TriG)"
        )
    if not path.is_file():
        raise InvalidInputError(f"{path}: no such file")
    return found


def _quiet(_: str) -> None:
    return None


def _syntax_error(path: Path, exc: SyntaxError) -> DataNotConformingError:
    return DataNotConformingError(f"{path}: {exc}; nothing was loaded")


def count_quads(path: Path, progress: Progress = _quiet) -> int:
    """Parse the whole file (Oxigraph), counting quads; a syntax error names the line."""
    fmt, _ = rdf_format(path)
    n = 0
    try:
        for _ in ox.parse(path=path, format=fmt):
            n += 1
            if n % 1_000_000 == 0:
                progress(f"{path.name}: {n:,} quads parsed")
    except SyntaxError as exc:
        raise _syntax_error(path, exc) from None
    return n


def validate_file(settings: Settings, path: Path, onto: Ontology, progress: Progress) -> float:
    """SHACL (and quote) validation of a file as the curated data is validated; seconds."""
    start = time.perf_counter()
    _, name = rdf_format(path)
    count_quads(path, progress)  # the syntax first, with Oxigraph's line numbers
    progress(f"validating {path} against the SHACL shapes (pySHACL; --no-validate skips it)")
    ds = Dataset()
    ds.parse(path, format=name)
    validate.check(
        Compiled(dataset=ds),
        onto,
        validate.load_shapes(settings.ontology_dir),
        settings.sources_dir,
    )
    return time.perf_counter() - start


def _beside(path: Path, what: str) -> Path:
    return path.with_name(f"{path.name}.{what}-{os.getpid()}")


def fill_embedded(
    settings: Settings, path: Path | bytes, onto: Ontology, progress: Progress
) -> int:
    """Bulk-load the file (or N-Quads given as bytes) into a new on-disk store with its
    search index, then put both where ``ESKG_EMBEDDED_PATH`` names (the index last: a
    server reading the store reopens it when a new index is there); returns the quads
    the store holds."""
    target = settings.embedded_path
    if target is None:
        raise ConfigurationError(
            "eskg load --from into the embedded store needs ESKG_EMBEDDED_PATH (a folder): "
            "an in-memory store would be gone when the command ends"
        )
    fmt = ox.RdfFormat.N_QUADS if isinstance(path, bytes) else rdf_format(path)[0]
    what = "the N-Quads" if isinstance(path, bytes) else str(path)
    fresh = _beside(target, "loading")
    shutil.rmtree(fresh, ignore_errors=True)
    fresh.parent.mkdir(parents=True, exist_ok=True)
    index = None
    try:
        store = ox.Store(str(fresh))
        progress(f"bulk loading {what} into {fresh}")
        counter = BoundsCounter()
        quads = (
            ox.parse(path, format=fmt)
            if isinstance(path, bytes)
            else ox.parse(path=path, format=fmt)
        )
        try:
            store.bulk_extend(counted(quads, counter, ONTOLOGY_GRAPH))
        except SyntaxError as exc:
            raise _syntax_error(Path(what), exc) from None
        store.bulk_load(
            onto.graph.serialize(format="nt").encode("utf-8"),
            format=ox.RdfFormat.N_TRIPLES,
            to_graph=ox.NamedNode(ONTOLOGY_GRAPH),
        )
        held = len(store)
        progress(f"{held:,} quads stored; building the search index")
        sparql = load_library(settings.queries_dir).get("search_labels").sparql
        index = build_index(store, onto, sparql, index_path(target), counter.bounds())
        store.flush()
        del store  # closed: the folder moves next
        old = _beside(target, "old")
        if target.exists():
            os.replace(target, old)
        os.replace(fresh, target)
        index.install(index_path(target))
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(fresh, ignore_errors=True)
        if index is not None and index.pending is not None:
            index.pending.unlink(missing_ok=True)
    return held - len(onto.graph)


@contextmanager
def as_nquads(path: Path) -> Iterator[Path]:
    """The file itself if it is N-Quads, else a temporary N-Quads copy (streamed)."""
    fmt, _ = rdf_format(path)
    if fmt == ox.RdfFormat.N_QUADS:
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="eskg-load-") as tmp:
        out = Path(tmp) / "data.nq"
        try:
            ox.serialize(ox.parse(path=path, format=fmt), output=out, format=ox.RdfFormat.N_QUADS)
        except SyntaxError as exc:
            raise _syntax_error(path, exc) from None
        yield out


def fill_neo4j(settings: Settings, path: Path, onto: Ontology, progress: Progress) -> None:
    """Map the file to the property graph and replace Neo4j's graph with it."""
    store = open_store(settings, "neo4j")
    assert isinstance(store, Neo4jStore)
    try:
        with as_nquads(path) as nquads:
            progress(f"mapping {nquads} to the property graph and writing it to Neo4j")
            try:
                store.replace_all_nquads(nquads)
            except SyntaxError as exc:
                raise _syntax_error(path, exc) from None
    finally:
        store.close()


def load_file(
    settings: Settings,
    stores: list[str],
    path: Path,
    check: bool = True,
    progress: Progress = _quiet,
) -> list[LoadSummary]:
    """Validate the file (unless ``check`` is false), then fill each store from it; each
    summary's seconds are its store's (validation apart: it is said as progress)."""
    onto = load_ontology(settings.ontology_dir)
    rdf_format(path)
    if check:
        took = validate_file(settings, path, onto, progress)
        progress(f"{path} conforms ({took:.1f} s)")
    summaries = []
    for kind in stores:
        progress(f"writing {path} to the {kind} store")
        start = time.perf_counter()
        if kind == "embedded":
            quads = fill_embedded(settings, path, onto, progress)
        else:
            fill_neo4j(settings, path, onto, progress)
            quads = -1
        took = time.perf_counter() - start
        progress(f"{kind} store filled in {took:.1f} s; counting what it holds")
        store = open_store(settings, kind, read_only=True)  # a server may read it now
        try:
            summaries.append(summarise(store, kind, max(quads, 0), took))
        finally:
            store.close()
    return summaries
