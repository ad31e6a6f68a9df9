"""Loading into a real Neo4j: idempotent, atomic on bad input, provenance kept."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cli.synthetic import generate, targets
from eskg.config import Settings
from eskg.errors import EskgError
from eskg.store.neo4j import Neo4jStore
from eskg.store.neo4j_load import counts
from loaders.load import load
from loaders.pipeline import Built

pytestmark = pytest.mark.neo4j


def test_loading_twice_gives_the_same_counts(empty_neo4j: Neo4jStore, built: Built) -> None:
    empty_neo4j.replace_all(built.compiled.dataset)
    first = counts(empty_neo4j.driver, "neo4j")
    empty_neo4j.replace_all(built.compiled.dataset)
    assert counts(empty_neo4j.driver, "neo4j") == first
    assert first[0] > built.compiled.records  # entities plus citation nodes


def test_cli_load_twice(empty_neo4j: Neo4jStore, neo4j_settings: Settings) -> None:
    first = load(neo4j_settings, ["neo4j"])
    n1 = counts(empty_neo4j.driver, "neo4j")
    second = load(neo4j_settings, ["neo4j"])
    assert counts(empty_neo4j.driver, "neo4j") == n1
    assert first[0].entities == second[0].entities > 0


@pytest.mark.parametrize(
    "extra",
    [
        (
            "- id: material/x\n  type: SpecifiedCriticalMaterial\n  label: {en: X}\n"
            "  sources: [{document: doc/meti-action-plan-2024, locator: 表紙, quote: 経済産業省}]\n"
        ),
        (
            "- id: material/x\n  type: SpecifiedCriticalMaterial\n  label: {ja: エックス, en: X}\n"
            "  sources: [{document: doc/meti-action-plan-2024, locator: 表紙, quote: 経済産業省}]\n"
            "  relations: {responsibleBody: org/nowhere}\n"
        ),
        "- id: material/x\n  type: [unclosed\n",
    ],
    ids=["no-japanese-label", "unknown-target", "malformed-yaml"],
)
def test_bad_input_leaves_neo4j_as_it_was(
    loaded_neo4j: Neo4jStore, neo4j_settings: Settings, tmp_path: Path, extra: str
) -> None:
    before = counts(loaded_neo4j.driver, "neo4j")
    sample = loaded_neo4j.entities([neo4j_settings.base_iri + "material/permanent-magnets"])
    data = tmp_path / "data"
    shutil.copytree(neo4j_settings.data_dir, data, ignore=shutil.ignore_patterns("sources"))
    (data / "zz-bad.yaml").write_text(extra, encoding="utf-8")
    with pytest.raises(EskgError) as err:
        load(neo4j_settings, ["neo4j"], data)
    assert "zz-bad.yaml" in err.value.message
    assert counts(loaded_neo4j.driver, "neo4j") == before
    assert loaded_neo4j.entities([neo4j_settings.base_iri + "material/permanent-magnets"]) == sample


def test_provenance_on_nodes_and_relationships(loaded_neo4j: Neo4jStore) -> None:
    with loaded_neo4j.driver.session() as session:
        missing_node = session.run(
            "MATCH (n:Entity) WHERE size(coalesce(n.citations, [])) = 0 RETURN count(n) AS c"
        ).single()
        missing_rel = session.run(
            "MATCH ()-[r]->() WHERE r.graph IS NOT NULL AND size(coalesce(r.citations, [])) = 0 "
            "RETURN count(r) AS c"
        ).single()
    assert missing_node is not None and missing_node["c"] == 0
    assert missing_rel is not None and missing_rel["c"] == 0


def test_a_load_makes_the_iri_constraint_and_drops_obsolete_indexes(
    empty_neo4j: Neo4jStore, built: Built
) -> None:
    # an index per relationship type on r.graph, as loads before November 2026 made
    with empty_neo4j.driver.session() as session:
        session.run(
            "CREATE INDEX rel_graph_covers_material IF NOT EXISTS "
            "FOR ()-[r:COVERS_MATERIAL]-() ON (r.graph)"
        ).consume()
    empty_neo4j.replace_all(built.compiled.dataset)
    with empty_neo4j.driver.session() as session:
        names = {r["name"] for r in session.run("SHOW CONSTRAINTS YIELD name")}
        indexes = {r["name"] for r in session.run("SHOW INDEXES YIELD name")}
    assert "resource_iri" in names
    assert "resource_graph" in indexes
    assert not {i for i in indexes if i.startswith("rel_graph_")}


def test_nquads_load_gives_what_the_dataset_load_gives(
    empty_neo4j: Neo4jStore, built: Built, neo4j_settings: Settings
) -> None:
    iri = neo4j_settings.base_iri + "material/permanent-magnets"
    empty_neo4j.replace_all(built.compiled.dataset)
    expected = counts(empty_neo4j.driver, "neo4j"), empty_neo4j.entities([iri]), empty_neo4j.stats()
    empty_neo4j.replace_all_nquads(
        built.compiled.dataset.serialize(format="nquads").encode("utf-8")
    )
    got = counts(empty_neo4j.driver, "neo4j"), empty_neo4j.entities([iri]), empty_neo4j.stats()
    assert got == expected


def test_replacing_a_bigger_graph_leaves_nothing_of_it(
    empty_neo4j: Neo4jStore, built: Built
) -> None:
    empty_neo4j.replace_all(built.compiled.dataset)
    alone = counts(empty_neo4j.driver, "neo4j")
    empty_neo4j.replace_all(generate(3_000).dataset())
    assert counts(empty_neo4j.driver, "neo4j") != alone
    empty_neo4j.replace_all(built.compiled.dataset)
    assert counts(empty_neo4j.driver, "neo4j") == alone


def _what_neo4j_holds(store: Neo4jStore, iris: list[str]) -> tuple[object, ...]:
    return (
        counts(store.driver, "neo4j"),
        store.entities(iris),
        store.relations(iris),
        store.stats(),
        store.list_bounds(),
    )


def test_a_file_load_streams_the_graph_the_dataset_load_writes(
    empty_neo4j: Neo4jStore, tmp_path: Path
) -> None:
    """From a file the relationships are read in a second pass (``property_graph_stream``),
    in a first load (parallel units) and over a graph (one transaction)."""
    data = generate(3_000)
    path = tmp_path / "s.nq"
    path.write_text(data.nquads(), encoding="utf-8")
    t = targets()
    iris = [t["technology"], t["technology_field"], t["material"], t["measure"]]
    empty_neo4j.replace_all(data.dataset())
    expected = _what_neo4j_holds(empty_neo4j, iris)
    empty_neo4j.replace_all_nquads(path)  # over the graph
    assert _what_neo4j_holds(empty_neo4j, iris) == expected
    with empty_neo4j.driver.session() as session:
        session.run("MATCH (n) DETACH DELETE n").consume()
    empty_neo4j.replace_all_nquads(path)  # a first load
    assert _what_neo4j_holds(empty_neo4j, iris) == expected


def test_a_file_with_a_dangling_relation_leaves_neo4j_as_it_was(
    empty_neo4j: Neo4jStore, built: Built, tmp_path: Path
) -> None:
    """The dangling end is found in the second pass, after the nodes were written: the
    first load is undone, the load over a graph rolled back."""
    text = built.compiled.dataset.serialize(format="nquads")
    base = "https://w3id.org/eskg/"
    dangling = (
        f"<{base}id/org/meti> <{base}ontology#memberOf> <{base}id/org/nowhere> "
        f"<{base}id/org/meti#record> .\n"
    )
    path = tmp_path / "bad.nq"
    path.write_text(text + dangling, encoding="utf-8")
    for before in ("empty", "loaded"):
        if before == "loaded":
            empty_neo4j.replace_all(built.compiled.dataset)
        held = counts(empty_neo4j.driver, "neo4j")
        with pytest.raises(EskgError, match="nowhere has no statements"):
            empty_neo4j.replace_all_nquads(path)
        assert counts(empty_neo4j.driver, "neo4j") == held
