"""The property-graph mapping: the N-Quads (Oxigraph) path gives what the rdflib path
gives, and both refuse the same non-conforming RDF."""

from __future__ import annotations

from typing import Any

import pytest
from rdflib import Dataset, Literal

from cli.synthetic import generate
from eskg.errors import DataNotConformingError
from eskg.ontology import Ontology
from eskg.store.neo4j_codec import RESERVED, encode
from eskg.store.neo4j_load import check_names
from eskg.store.property_graph import PropertyGraph, nquads_property_graph, to_property_graph
from eskg.store.property_graph_stream import file_property_graph
from loaders.pipeline import Built

EX = "https://w3id.org/eskg/id/"
ONT = "https://w3id.org/eskg/ontology#"


def _comparable(pg: PropertyGraph) -> tuple[Any, ...]:
    # relationship order follows the input's quad order, which differs between parsers
    rels = {
        t: sorted(rows, key=lambda r: (r["s"], r["o"], r["graph"]))
        for t, rows in pg.relationships.items()
    }
    return pg.nodes, rels, pg.citations


def test_nquads_path_matches_the_dataset_path_on_curated_data(built: Built, onto: Ontology) -> None:
    ds = built.compiled.dataset
    nquads = ds.serialize(format="nquads").encode("utf-8")
    assert _comparable(nquads_property_graph(nquads, onto)) == _comparable(
        to_property_graph(ds, onto)
    )


def test_nquads_path_matches_on_synthetic_data_from_a_file(tmp_path: Any, onto: Ontology) -> None:
    data = generate(5_000)
    path = tmp_path / "data.nq"
    path.write_text(data.nquads(), encoding="utf-8")
    from_file = nquads_property_graph(path, onto)
    assert _comparable(from_file) == _comparable(to_property_graph(data.dataset(), onto))
    assert from_file.node_count > 0 and from_file.relationship_count > 0


def test_node_properties_are_the_codecs(built: Built, onto: Ontology) -> None:
    """The mapping works out each distinct literal once and assembles the properties
    itself; they must be what ``neo4j_codec.encode`` makes of the same statements."""
    ds = built.compiled.dataset
    literals: dict[str, list[tuple[str, Any]]] = {}
    for s, p, o, g in ds.quads((None, None, None, None)):
        gid = getattr(g, "identifier", g)
        if isinstance(o, Literal) and gid is not None and gid != ds.default_graph.identifier:
            literals.setdefault(str(s), []).append((str(p), o))
    nquads = ds.serialize(format="nquads").encode("utf-8")
    nodes = [n for rows in nquads_property_graph(nquads, onto).nodes.values() for n in rows]
    assert len(nodes) > 10
    values: list[object] = []
    for node in nodes:
        mapped = {k: v for k, v in node.items() if k not in RESERVED}
        assert mapped == encode(onto, literals.get(node["iri"], []), node["iri"])
        values.extend(mapped.values())
    assert {type(v) for v in values} >= {str, list}


def test_non_canonical_literals_map_alike(onto: Ontology) -> None:
    fig, xsd = f"<{EX}figure/f>", "http://www.w3.org/2001/XMLSchema#"
    graph = f"<{EX}figure/f#record>"
    text = (
        f"{fig} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{ONT}Figure> {graph} .\n"
        f'{fig} <{ONT}approximate> "1"^^<{xsd}boolean> {graph} .\n'
        f'{fig} <{ONT}value> "01.50"^^<{xsd}decimal> {graph} .\n'
    )
    via_rdflib = to_property_graph(Dataset().parse(data=text, format="nquads"), onto)
    assert nquads_property_graph(text.encode("utf-8"), onto).nodes == via_rdflib.nodes


BAD = {
    "default-graph statement": f'<{EX}a> <{ONT}prefLabel> "x"@en .\n',
    "blank object": f"<{EX}a> <{ONT}concerns> _:b <{EX}a#record> .\n",
    "unknown class": f"<{EX}a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{ONT}Nope> <{EX}a#record> .\n",
    "unknown relation": f"<{EX}a> <{ONT}nope> <{EX}b> <{EX}a#record> .\n",
    "untyped citation": f"<{EX}citation/c> <{ONT}document> <{EX}doc/d> .\n",
}


@pytest.mark.parametrize("text", BAD.values(), ids=BAD.keys())
def test_both_paths_refuse_the_same_input(text: str, onto: Ontology) -> None:
    with pytest.raises(DataNotConformingError):
        nquads_property_graph(text.encode("utf-8"), onto)
    with pytest.raises(DataNotConformingError):
        to_property_graph(Dataset().parse(data=text, format="nquads"), onto)


def test_labels_outside_the_ontology_are_refused(onto: Ontology) -> None:
    pg = PropertyGraph(nodes={("Resource", "Injected) DETACH DELETE (m"): [{"iri": EX + "a"}]})
    with pytest.raises(DataNotConformingError, match="not in the ontology"):
        check_names(pg, onto)
    pg = PropertyGraph(relationships={"NOT_A_TYPE": []})
    with pytest.raises(DataNotConformingError, match="not in the ontology"):
        check_names(pg, onto)


def _streamed_comparable(pg: PropertyGraph, size: int) -> tuple[Any, ...]:
    rels: dict[str, list[dict[str, Any]]] = {}
    for t, rows in pg.relationship_chunks(size):
        assert 0 < len(rows) <= size
        rels.setdefault(t, []).extend(rows)
    assert set(rels) == pg.relationship_types()
    rels = {t: sorted(rows, key=lambda r: (r["s"], r["o"], r["graph"])) for t, rows in rels.items()}
    return pg.nodes, rels, pg.citations, pg.node_count, pg.relationship_count


@pytest.mark.parametrize("size", [7, 10_000])
def test_the_file_graph_streams_what_the_nquads_path_holds(
    tmp_path: Any, onto: Ontology, built: Built, size: int
) -> None:
    for name, text in (
        ("synthetic", generate(5_000).nquads()),
        ("curated", built.compiled.dataset.serialize(format="nquads")),
    ):
        path = tmp_path / f"{name}.nq"
        path.write_text(text, encoding="utf-8")
        held = nquads_property_graph(path, onto)
        streamed = file_property_graph(path, onto)
        assert streamed.relationships == {}  # nothing held: read again when written
        assert _streamed_comparable(streamed, size) == _streamed_comparable(held, size)
        names = {p.rel_type: p.name for p in onto.object_properties}
        assert streamed.relation_bounds(names) == held.relation_bounds(names)


def test_the_file_graph_refuses_what_the_nquads_path_refuses(tmp_path: Any, onto: Ontology) -> None:
    path = tmp_path / "dangling.nq"
    path.write_text(
        f"<{EX}m1> <{ONT}coversMaterial> <{EX}nowhere> <{EX}g1> .\n"
        f"<{EX}m1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{ONT}Measure> <{EX}g1> .\n",
        encoding="utf-8",
    )
    with pytest.raises(DataNotConformingError, match="nowhere has no statements"):
        nquads_property_graph(path, onto)
    streamed = file_property_graph(path, onto)  # found when the relationships are read
    with pytest.raises(DataNotConformingError, match="nowhere has no statements"):
        list(streamed.relationship_chunks(10))
