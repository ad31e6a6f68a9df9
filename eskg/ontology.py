"""The ontology as a Python model: classes, properties and the names derived from them.

Everything that names a class or property elsewhere (Neo4j labels and relationship
types, property keys, GraphQL types, the explorer legend, SHACL shapes) asks this
module, so a term is typed once, in ``ontology/*.ttl``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from rdflib import OWL, RDF, RDFS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from eskg.errors import ConfigurationError

ESKG = Namespace("https://w3id.org/eskg/ontology#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
PROV = Namespace("http://www.w3.org/ns/prov#")
ORG = Namespace("http://www.w3.org/ns/org#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
SH = Namespace("http://www.w3.org/ns/shacl#")

PREFIXES: dict[str, str] = {
    "eskg": str(ESKG),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "org": str(ORG),
    "eli": str(ELI),
    "foaf": str(FOAF),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
}

#: Neo4j label every entity node carries besides its class labels.
RESOURCE_LABEL = "Resource"


def local_name(iri: str) -> str:
    """The part of an IRI after its last ``#`` or ``/``."""
    return re.split(r"[#/]", iri)[-1]


def rel_type(prop_local: str) -> str:
    """Neo4j relationship type of an object property: camelCase -> UPPER_SNAKE."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", prop_local).upper()


@dataclass(frozen=True)
class OntClass:
    """An OWL class of the ontology."""

    iri: URIRef
    name: str
    labels: dict[str, str]
    comment: str
    parents: tuple[str, ...]  # local names of direct eskg superclasses


@dataclass(frozen=True)
class OntProperty:
    """An object or datatype property of the ontology."""

    iri: URIRef
    name: str
    is_object: bool
    labels: dict[str, str]
    comment: str
    domain: tuple[str, ...]  # local names of eskg classes
    range: tuple[str, ...]  # eskg class local names (object) or one datatype IRI
    required: bool
    functional: bool

    @property
    def is_lang_string(self) -> bool:
        """True when values are language-tagged text."""
        return not self.is_object and self.range == (str(RDF.langString),)

    @property
    def single_valued(self) -> bool:
        """At most one value (per language for language-tagged text)."""
        return self.functional or self.name == "prefLabel"

    @property
    def rel_type(self) -> str:
        """Neo4j relationship type of this object property."""
        return rel_type(self.name)


@dataclass
class Ontology:
    """The loaded ontology with look-ups by local name and IRI."""

    graph: Graph
    classes: dict[str, OntClass] = field(default_factory=dict)
    properties: dict[str, OntProperty] = field(default_factory=dict)
    _props_by_iri: dict[str, OntProperty] = field(default_factory=dict, repr=False)
    _classes_by_iri: dict[str, OntClass] = field(default_factory=dict, repr=False)
    _memos: dict[str, dict[Any, Any]] = field(default_factory=dict, repr=False)
    _memo_size: tuple[int, int] = field(default=(-1, -1), repr=False)

    def memo(self, name: str) -> dict[Any, Any]:
        """A dict for look-ups derived from the ontology (per reader, by ``name``), emptied
        when classes or properties are added; answering a request reads the same few keys
        thousands of times."""
        size = (len(self.classes), len(self.properties))
        if size != self._memo_size:
            self._memos.clear()
            self._memo_size = size
        return self._memos.setdefault(name, {})

    def cls(self, name: str) -> OntClass:
        """The class of that local name, or a ConfigurationError naming close matches."""
        try:
            return self.classes[name]
        except KeyError:
            raise ConfigurationError(f"unknown class {name!r}") from None

    def ancestors(self, name: str) -> list[str]:
        """The class and all its eskg superclasses, nearest first."""
        memo = self.memo("ancestors")
        found = memo.get(name)
        if found is None:
            found = memo[name] = tuple(self._ancestors(name))
        return list(found)

    def _ancestors(self, name: str) -> list[str]:
        seen: list[str] = []
        todo = [name]
        while todo:
            current = todo.pop(0)
            if current in seen or current not in self.classes:
                continue
            seen.append(current)
            todo.extend(self.classes[current].parents)
        return seen

    def descendants(self, name: str) -> list[str]:
        """The class and all its subclasses."""
        return [c for c in self.classes if name in self.ancestors(c)]

    def property_by_iri(self, iri: str) -> OntProperty | None:
        """The property with that IRI, if the ontology has it."""
        if len(self._props_by_iri) != len(self.properties):
            self._props_by_iri = {str(p.iri): p for p in self.properties.values()}
        return self._props_by_iri.get(iri)

    def class_by_iri(self, iri: str) -> OntClass | None:
        """The class with that IRI, if the ontology has it."""
        if len(self._classes_by_iri) != len(self.classes):
            self._classes_by_iri = {str(c.iri): c for c in self.classes.values()}
        return self._classes_by_iri.get(iri)

    def property_by_rel_type(self, rel: str) -> OntProperty | None:
        """The object property whose Neo4j relationship type is ``rel``."""
        index = self.memo("rel_type")
        if not index:
            for prop in self.object_properties:  # in name order: the first one wins
                index.setdefault(prop.rel_type, prop)
        found: OntProperty | None = index.get(rel)
        return found

    @property
    def object_properties(self) -> list[OntProperty]:
        """Object properties, in name order."""
        return sorted((p for p in self.properties.values() if p.is_object), key=lambda p: p.name)

    @property
    def datatype_properties(self) -> list[OntProperty]:
        """Datatype properties, in name order."""
        return sorted(
            (p for p in self.properties.values() if not p.is_object), key=lambda p: p.name
        )


def _texts(g: Graph, subject: Node, predicate: URIRef) -> dict[str, str]:
    out: dict[str, str] = {}
    for o in g.objects(subject, predicate):
        if isinstance(o, Literal):
            out[o.language or ""] = str(o)
    return out


def _class_list(g: Graph, node: Node | None) -> tuple[str, ...]:
    """Local names of the classes a domain or range names (a class or an owl:unionOf)."""
    if node is None:
        return ()
    if isinstance(node, BNode):
        union = g.value(node, OWL.unionOf)
        if union is None:
            return ()
        return tuple(local_name(str(m)) for m in Collection(g, union))
    return (local_name(str(node)),)


def parse_ontology(graph: Graph) -> Ontology:
    """Build the model from an ontology graph."""
    onto = Ontology(graph=graph)
    for c in sorted(set(graph.subjects(RDF.type, OWL.Class)), key=str):
        if not isinstance(c, URIRef) or not str(c).startswith(str(ESKG)):
            continue
        parents = tuple(
            local_name(str(p))
            for p in graph.objects(c, RDFS.subClassOf)
            if str(p).startswith(str(ESKG))
        )
        labels = _texts(graph, c, RDFS.label)
        onto.classes[local_name(str(c))] = OntClass(
            iri=c,
            name=local_name(str(c)),
            labels=labels,
            comment=_texts(graph, c, RDFS.comment).get("en", ""),
            parents=parents,
        )
    for kind, is_object in ((OWL.ObjectProperty, True), (OWL.DatatypeProperty, False)):
        for p in sorted(set(graph.subjects(RDF.type, kind)), key=str):
            if not isinstance(p, URIRef):
                continue
            name = local_name(str(p))
            if name in onto.properties:
                raise ConfigurationError(
                    f"two ontology properties share the local name {name!r}: "
                    f"{onto.properties[name].iri} and {p}; rename one"
                )
            rng_node = graph.value(p, RDFS.range)
            rng = (
                _class_list(graph, rng_node)
                if is_object
                else ((str(rng_node),) if rng_node is not None else ())
            )
            onto.properties[name] = OntProperty(
                iri=p,
                name=name,
                is_object=is_object,
                labels=_texts(graph, p, RDFS.label),
                comment=_texts(graph, p, RDFS.comment).get("en", ""),
                domain=_class_list(graph, graph.value(p, RDFS.domain)),
                range=rng,
                required=graph.value(p, ESKG.required) == Literal(True),
                functional=(p, RDF.type, OWL.FunctionalProperty) in graph,
            )
    return onto


def ontology_files(directory: Path) -> list[Path]:
    """The ontology's Turtle files: every ``*.ttl`` but the shapes."""
    files = sorted(p for p in directory.glob("*.ttl") if not p.name.startswith("shapes"))
    if not files:
        raise ConfigurationError(f"no ontology files (*.ttl) in {directory}")
    return files


@lru_cache(maxsize=4)
def load_ontology(directory: Path) -> Ontology:
    """Parse every ontology file of a folder into one model (cached per folder)."""
    g = Graph()
    for path in ontology_files(directory):
        try:
            g.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises several unrelated types
            raise ConfigurationError(f"{path}: cannot parse the ontology: {exc}") from exc
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    return parse_ontology(g)


def shapes_path(directory: Path) -> Path:
    """Where the SHACL shapes live."""
    return directory / "shapes.ttl"
