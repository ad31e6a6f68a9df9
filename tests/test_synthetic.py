"""The synthetic benchmark data: SHACL-conformant, in our provenance pattern, deterministic."""

from __future__ import annotations

from cli import synthetic
from eskg.config import Settings
from eskg.ontology import ESKG, Ontology
from eskg.store.property_graph import to_property_graph
from loaders.validate import load_shapes, quote_violations, shacl_violations


def test_ten_thousand_conforms_to_the_shapes(settings: Settings, onto: Ontology) -> None:
    data = synthetic.generate(10_000, seed=0)
    assert 9_000 <= len(data) <= 11_000
    compiled = data.compiled()
    assert shacl_violations(compiled, onto, load_shapes(settings.ontology_dir)) == []
    assert quote_violations(compiled, settings.sources_dir) == []
    # the Neo4j mapping accepts it: one graph per entity, every relation end an entity
    pg = to_property_graph(compiled.dataset, onto)
    assert pg.node_count > data.records and pg.relationship_count > data.relations


def test_provenance_pattern(onto: Ontology) -> None:
    data = synthetic.generate(10_000, seed=0)
    ds = data.dataset()
    default = ds.default_graph
    preds = {p for _, p, _ in default}
    assert preds <= {
        ESKG.citation,
        ESKG.document,
        ESKG.locator,
        ESKG.quote,
        __import__("rdflib").RDF.type,
    }
    graphs = {str(g) for *_, g in data.quads if g is not None}
    assert any(g.endswith("#record") for g in graphs)
    assert any("/stmt/" in g for g in graphs)
    # every named graph is cited
    cited = {str(s) for s, p, _ in default if p == ESKG.citation}
    assert graphs <= cited
    # no document has a local copy, so no quote check applies
    assert not any(p == ESKG.localCopy for _, p, _, _ in data.quads)


def test_deterministic_by_seed() -> None:
    a = synthetic.generate(10_000, seed=7)
    b = synthetic.generate(10_000, seed=7)
    c = synthetic.generate(10_000, seed=8)
    assert a.nquads() == b.nquads()
    assert a.nquads() != c.nquads()
    assert a.targets == b.targets


def test_scale_factor_is_near_the_target() -> None:
    data = synthetic.generate(100_000, seed=0)
    assert 90_000 <= len(data) <= 110_000
