"""Any scale from the command line: ``eskg synthetic`` streams N-Quads, ``eskg load --from``
fills a store from compiled RDF (N-Quads or TriG), validated unless ``--no-validate``, and
a failed load leaves the store (and its search index) as they were."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from cli import synthetic
from cli.main import main
from eskg.config import Settings
from eskg.errors import ConfigurationError, DataNotConformingError, InvalidInputError
from eskg.ontology import Ontology
from eskg.queries import load_library
from eskg.store.embedded import EmbeddedStore
from eskg.store.neo4j import Neo4jStore
from eskg.store.search_index import index_path
from loaders.rdf_file import load_file


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About 10k synthetic quads written by the command, as a user writes them."""
    path = tmp_path_factory.mktemp("synthetic") / "s10k.nq"
    done = CliRunner().invoke(main, ["synthetic", "--triples", "10000", "--output", str(path)])
    assert done.exit_code == 0, done.output
    assert "wrote" in done.output
    return path


def test_synthetic_streams_the_generators_quads(small: Path) -> None:
    lines = small.read_text(encoding="utf-8").splitlines()
    assert sorted(lines) == synthetic.generate(10_000).nquads().splitlines()
    assert not list(small.parent.glob(".*.tmp"))  # written beside, then renamed


def test_synthetic_refuses_another_syntax(tmp_path: Path) -> None:
    out = tmp_path / "data.ttl"
    done = CliRunner().invoke(main, ["synthetic", "--triples", "10000", "--output", str(out)])
    assert done.exit_code == 2 and "N-Quads" in done.output
    assert not out.exists()


def _open(settings: Settings, onto: Ontology, path: Path) -> EmbeddedStore:
    return EmbeddedStore(onto, load_library(settings.queries_dir), path)


def test_embedded_on_disk_is_filled_with_its_search_index(
    settings: Settings, onto: Ontology, small: Path, tmp_path: Path
) -> None:
    on_disk = settings.model_copy(update={"embedded_path": tmp_path / "store"})
    [summary] = load_file(on_disk, ["embedded"], small, check=True)
    assert summary.statements == len(small.read_text(encoding="utf-8").splitlines())
    assert index_path(tmp_path / "store").is_file()
    store = _open(settings, onto, tmp_path / "store")
    try:
        target = synthetic.targets()
        assert store.search(target["search"], None, 5)[0] == target["technology"]
        assert store.entities([target["technology"]])
        assert store.stats().entities == summary.entities
    finally:
        store.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store", "store.search.sqlite"]


def test_a_bad_line_names_the_file_and_line_and_keeps_the_old_store(
    settings: Settings, onto: Ontology, small: Path, tmp_path: Path
) -> None:
    on_disk = settings.model_copy(update={"embedded_path": tmp_path / "store"})
    load_file(on_disk, ["embedded"], small, check=False)
    before = index_path(tmp_path / "store").read_bytes()
    bad = tmp_path / "bad.nq"
    text = small.read_text(encoding="utf-8").splitlines()
    bad.write_text("\n".join(text[:50] + ['<urn:a> <urn:b> "open'] + text[50:]) + "\n")
    for check in (True, False):
        with pytest.raises(DataNotConformingError, match=r"bad\.nq: .*line 51"):
            load_file(on_disk, ["embedded"], bad, check=check)
    assert index_path(tmp_path / "store").read_bytes() == before
    store = _open(settings, onto, tmp_path / "store")
    try:
        assert store.entities([synthetic.targets()["technology"]])
    finally:
        store.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.nq", "store", "store.search.sqlite"]


def test_validation_refuses_what_the_shapes_refuse(
    settings: Settings, small: Path, tmp_path: Path
) -> None:
    # a measure without its record graph's label: a Technology with no prefLabel
    broken = tmp_path / "broken.nq"
    lines = small.read_text(encoding="utf-8").splitlines()
    iri = synthetic.targets()["technology"]
    kept = [ln for ln in lines if not (ln.startswith(f"<{iri}> ") and "prefLabel" in ln)]
    assert len(kept) < len(lines)
    broken.write_text("\n".join(kept) + "\n", encoding="utf-8")
    on_disk = settings.model_copy(update={"embedded_path": tmp_path / "store"})
    with pytest.raises(DataNotConformingError, match="violation"):
        load_file(on_disk, ["embedded"], broken, check=True)
    assert not (tmp_path / "store").exists()
    load_file(on_disk, ["embedded"], broken, check=False)  # trusted: loaded as it is
    assert (tmp_path / "store").is_dir()


def test_trig_is_read_too(settings: Settings, onto: Ontology, small: Path, tmp_path: Path) -> None:
    trig = tmp_path / "data.trig"
    ox.serialize(ox.parse(path=small, format=ox.RdfFormat.N_QUADS), trig, ox.RdfFormat.TRIG)
    on_disk = settings.model_copy(update={"embedded_path": tmp_path / "store"})
    [summary] = load_file(on_disk, ["embedded"], trig, check=False)
    assert summary.statements == len(small.read_text(encoding="utf-8").splitlines())


def test_what_cannot_be_loaded_is_said_before_anything_is_written(
    settings: Settings, small: Path, tmp_path: Path
) -> None:
    with pytest.raises(ConfigurationError, match="ESKG_EMBEDDED_PATH"):
        load_file(settings, ["embedded"], small, check=False)
    other = tmp_path / "data.ttl"
    other.write_text("")
    with pytest.raises(InvalidInputError, match=r"data\.ttl: .*\.nq"):
        load_file(settings, ["embedded"], other, check=False)
    done = CliRunner().invoke(main, ["load", "--from", str(tmp_path / "missing.nq")])
    assert done.exit_code == 2 and "missing.nq: no such file" in done.output


def test_neo4j_holds_what_the_embedded_store_holds(
    settings: Settings,
    onto: Ontology,
    empty_neo4j: Neo4jStore,
    neo4j_settings: Settings,
    small: Path,
    tmp_path: Path,
) -> None:
    both = neo4j_settings.model_copy(update={"embedded_path": tmp_path / "store"})
    embedded, neo4j = load_file(both, ["embedded", "neo4j"], small, check=False)
    assert (neo4j.entities, neo4j.relations) == (embedded.entities, embedded.relations)
    text = synthetic.targets()["search"]
    store = _open(settings, onto, tmp_path / "store")
    try:
        assert empty_neo4j.search(text, None, 10) == store.search(text, None, 10)
    finally:
        store.close()
