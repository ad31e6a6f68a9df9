"""Generate the SHACL shapes (``ontology/shapes.ttl``) from the ontology.

Each ontology class gets a node shape; each property whose domain includes the class
gets a property shape with its range (``sh:class`` or ``sh:datatype``) and, where the
ontology marks it required, ``sh:minCount 1``. A few constraints that domain and range
cannot say (labels in both languages, the allowed status values, ISO codes) are added
here. The committed file is checked against this generator by a test, so the two never
drift: change the ontology, then run ``eskg shapes``.
"""

from __future__ import annotations

from rdflib import RDF, XSD, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from eskg.ontology import ESKG, PREFIXES, SH, SKOS, Ontology, OntProperty
from eskg.vocab import LABEL, vocabulary

LANGUAGES = ("ja", "en")


def _list(g: Graph, items: list[Node]) -> BNode:
    head = BNode()
    Collection(g, head, items)
    return head


def _range_constraint(g: Graph, shape: BNode, prop: OntProperty, onto: Ontology) -> None:
    if not prop.is_object:
        if prop.range:
            g.add((shape, SH.datatype, URIRef(prop.range[0])))
        return
    classes = [onto.classes[c].iri for c in prop.range if c in onto.classes]
    if len(classes) == 1:
        g.add((shape, SH["class"], classes[0]))
    elif classes:
        alternatives: list[Node] = []
        for c in classes:
            alt = BNode()
            g.add((alt, SH["class"], c))
            alternatives.append(alt)
        g.add((shape, SH["or"], _list(g, alternatives)))
    g.add((shape, SH.nodeKind, SH.IRI))


def _extra_constraints(g: Graph, shape: BNode, prop: OntProperty, onto: Ontology) -> None:
    allowed = vocabulary(onto).values.get(prop.name)
    if allowed:
        g.add((shape, SH["in"], _list(g, [Literal(v) for v in allowed])))
    if prop.name == "isoCode":
        g.add((shape, SH.pattern, Literal("^[A-Z]{2}$")))
        g.add((shape, SH.maxCount, Literal(1)))
    elif prop.name == LABEL:
        g.add((shape, SH.uniqueLang, Literal(True)))
        g.add((shape, SH.languageIn, _list(g, [Literal(x) for x in LANGUAGES])))
    if prop.functional and prop.name != "isoCode":
        g.add((shape, SH.maxCount, Literal(1)))


def _label_in(g: Graph, node_shape: URIRef, lang: str, language_name: str) -> None:
    ps = BNode()
    qualified = BNode()
    g.add((node_shape, SH.property, ps))
    g.add((ps, SH.path, SKOS.prefLabel))
    g.add((qualified, SH.languageIn, _list(g, [Literal(lang)])))
    g.add((ps, SH.qualifiedValueShape, qualified))
    g.add((ps, SH.qualifiedMinCount, Literal(1)))
    g.add((ps, SH.message, Literal(f"needs a {language_name} label (prefLabel@{lang})")))


def build_shapes(onto: Ontology) -> Graph:
    """The SHACL shapes graph derived from the ontology."""
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    g.bind("sh", str(SH))
    for cls in sorted(onto.classes.values(), key=lambda c: c.name):
        node_shape = ESKG[f"{cls.name}Shape"]
        g.add((node_shape, RDF.type, SH.NodeShape))
        g.add((node_shape, SH.targetClass, cls.iri))
        if cls.name == "Entity":
            _label_in(g, node_shape, "ja", "Japanese")
            _label_in(g, node_shape, "en", "English")
        for prop in sorted(onto.properties.values(), key=lambda p: p.name):
            if cls.name not in prop.domain:
                continue
            ps = BNode()
            g.add((node_shape, SH.property, ps))
            g.add((ps, SH.path, prop.iri))
            if prop.required:
                g.add((ps, SH.minCount, Literal(1)))
            _range_constraint(g, ps, prop, onto)
            _extra_constraints(g, ps, prop, onto)
    return g


def render_shapes(onto: Ontology) -> str:
    """The shapes as Turtle text, with a header saying where they come from."""
    header = (
        "# Generated from the ontology by `eskg shapes`; do not edit by hand.\n"
        "# A test checks that this file matches the generator.\n"
    )
    body = build_shapes(onto).serialize(format="turtle")
    return header + body


__all__ = ["XSD", "build_shapes", "render_shapes"]
