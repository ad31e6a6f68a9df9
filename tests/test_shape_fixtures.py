"""Per-shape examples, collected by glob (pySHACL runs the W3C suites this way).

``tests/shapes/<ShapeName>/valid/*.ttl`` must conform to the committed shapes, and
``tests/shapes/<ShapeName>/invalid/*.ttl`` must be refused by that shape, through the
loader's own check (``loaders.validate.shacl_violations``: the ontology mixed in, as a
load does). An invalid file says what it breaks in header lines::

    # violates: CitationShape locator

that is, the node shape the report names (``sh:sourceShape``, or the node shape holding
that property shape) and the property path. The file is refused with exactly those
violations, on a node of the shape's target class. A shape with no constraints of its own
(``AssociationShape``) is refused through the shapes of its class's superclasses, so its
invalid file names one of those. Every node shape in ontology/shapes.ttl needs at least
one valid and one invalid file, so a new shape without examples fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Dataset, Graph, URIRef

from eskg.config import Settings
from eskg.ontology import SH, Ontology, local_name
from loaders.compile import Compiled
from loaders.validate import Violation, load_shapes, shacl_violations

HERE = Path(__file__).resolve().parent / "shapes"
FIXTURES = sorted(HERE.glob("*/*/*.ttl"))
EXPECTS = re.compile(r"^# violates: (\w+) (\w+)\s*$", re.MULTILINE)


def _id(path: Path) -> str:
    return path.relative_to(HERE).with_suffix("").as_posix()


@pytest.fixture(scope="module")
def shapes(settings: Settings) -> Graph:
    return load_shapes(settings.ontology_dir)


def _node_shapes(shapes: Graph) -> dict[str, URIRef]:
    """Node shape name -> its target class."""
    out: dict[str, URIRef] = {}
    for shape in shapes.subjects(RDF.type, SH.NodeShape):
        target = shapes.value(shape, SH.targetClass)
        assert isinstance(shape, URIRef) and isinstance(target, URIRef), shape
        out[local_name(str(shape))] = target
    return out


def _violations(path: Path, onto: Ontology, shapes: Graph) -> tuple[Graph, list[Violation]]:
    data = Dataset()
    data.parse(path, format="turtle")
    graph = Graph()
    for s, p, o, _ in data.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph, shacl_violations(Compiled(dataset=data), onto, shapes)


def _allowed_shapes(name: str, shapes: Graph, onto: Ontology) -> set[str]:
    """The node shapes an invalid file of ``name`` may be refused by: itself, or, for a
    shape without constraints of its own, the shapes of its target class's superclasses."""
    by_name = _node_shapes(shapes)
    own = by_name[name]
    if any((shape, SH.property, None) in shapes for shape in shapes.subjects(SH.targetClass, own)):
        return {name}
    ancestors = set(onto.graph.transitive_objects(own, RDFS.subClassOf)) - {own}
    return {n for n, target in by_name.items() if target in ancestors}


def _instances(graph: Graph, target: URIRef, onto: Ontology) -> set[str]:
    """Nodes typed with ``target`` or a class below it (the shape's focus nodes)."""
    classes = set(onto.graph.transitive_subjects(RDFS.subClassOf, target))
    return {str(s) for c in classes for s in graph.subjects(RDF.type, c)}


def test_there_are_fixtures() -> None:
    assert len(FIXTURES) >= 2 * 30, f"expected the per-shape fixtures under {HERE}"


def test_every_shape_has_a_valid_and_an_invalid_example(shapes: Graph) -> None:
    missing = [
        f"{HERE.name}/{name}/{kind}/"
        for name in sorted(_node_shapes(shapes))
        for kind in ("valid", "invalid")
        if not list((HERE / name / kind).glob("*.ttl"))
    ]
    assert not missing, f"write at least one Turtle example in each of: {missing}"


def test_no_fixture_is_for_a_shape_that_is_gone(shapes: Graph) -> None:
    known = set(_node_shapes(shapes))
    unknown = sorted({p.parent.parent.name for p in FIXTURES} - known)
    assert not unknown, f"fixtures for shapes not in ontology/shapes.ttl: {unknown}"
    kinds = sorted({p.parent.name for p in FIXTURES} - {"valid", "invalid"})
    assert not kinds, f"fixture folders must be valid/ or invalid/, not {kinds}"


@pytest.mark.parametrize("path", [p for p in FIXTURES if p.parent.name == "valid"], ids=_id)
def test_a_valid_example_conforms(path: Path, onto: Ontology, shapes: Graph) -> None:
    graph, found = _violations(path, onto, shapes)
    assert not found, "\n".join(map(str, found))
    target = _node_shapes(shapes)[path.parent.parent.name]
    assert _instances(graph, target, onto), f"{path.name} has no {local_name(str(target))}"


@pytest.mark.parametrize("path", [p for p in FIXTURES if p.parent.name == "invalid"], ids=_id)
def test_an_invalid_example_is_refused_by_its_shape(
    path: Path, onto: Ontology, shapes: Graph
) -> None:
    name = path.parent.parent.name
    expected = set(EXPECTS.findall(path.read_text(encoding="utf-8")))
    assert expected, f"{path.name}: say what it breaks, as '# violates: {name} <property>'"
    allowed = _allowed_shapes(name, shapes, onto)
    assert {shape for shape, _ in expected} <= allowed, (
        f"{path.name} must break {sorted(allowed)}, not {sorted(expected)}"
    )
    graph, found = _violations(path, onto, shapes)
    assert {(v.shape, v.path) for v in found} == expected, "\n".join(map(str, found))
    target = _node_shapes(shapes)[name]
    focus = _instances(graph, target, onto)
    for v in found:
        assert v.focus in focus, f"{v.focus} broke {v.shape}, but is no {local_name(str(target))}"
