"""How RDF literals become Neo4j property values and back, driven by the ontology.

* a property ``p`` with a datatype range is stored under the key ``p``; a
  language-tagged one under ``p_<lang>`` (``prefLabel_ja``);
* single-valued properties (``owl:FunctionalProperty``, and ``prefLabel`` per language)
  are scalars, the others lists;
* ``xsd:date`` becomes a Neo4j date, ``xsd:boolean`` a boolean, ``xsd:integer`` an
  integer; ``xsd:decimal`` stays text so no digit is lost; the rest is text.

Reserved keys on every node: ``iri``, ``graph`` (the named graph of the node's own
statements), ``citations`` (citation IRIs of that graph), ``types`` (asserted classes).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rdflib import XSD, Literal

from eskg.errors import DataNotConformingError
from eskg.model import Lit
from eskg.ontology import Ontology, OntProperty

RESERVED = {
    "iri",
    "graph",
    "citations",
    "types",
    "locator",
    "quote",
    "searchNames",
    "searchAcronyms",
    "searchRelations",
}
XSD_STRING = str(XSD.string)


def key_for(prop: OntProperty, lang: str | None) -> str:
    """The Neo4j property key of a property (and language)."""
    return f"{prop.name}_{lang.replace('-', '_')}" if lang else prop.name


def to_neo4j(lit: Literal) -> Any:
    """A literal as a Neo4j value."""
    dt = str(lit.datatype) if lit.datatype else None
    if dt == str(XSD.date):
        return date.fromisoformat(str(lit))
    if dt == str(XSD.boolean):
        return str(lit) == "true"
    if dt == str(XSD.integer):
        return int(str(lit))
    return str(lit)


def encode(onto: Ontology, literals: list[tuple[str, Literal]], where: str) -> dict[str, Any]:
    """Node properties for an entity's literal statements (property IRI, literal)."""
    props: dict[str, Any] = {}
    for p_iri, lit in literals:
        prop = onto.property_by_iri(p_iri)
        if prop is None or prop.is_object:
            raise DataNotConformingError(f"{where}: property {p_iri} is not in the ontology")
        key = key_for(prop, lit.language)
        value = to_neo4j(lit)
        if prop.single_valued:
            if key in props and props[key] != value:
                raise DataNotConformingError(f"{where}: {prop.name} takes one value, got two")
            props[key] = value
        else:
            props.setdefault(key, []).append(value)
    for key, value in props.items():
        if isinstance(value, list):
            value.sort(key=str)
    return props


def lexical(value: Any) -> str:
    """The lexical form of a Neo4j value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "iso_format"):
        return str(value.iso_format())
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _key_info(onto: Ontology, key: str) -> tuple[str, str | None, str | None] | None:
    """(property name, language, datatype) a node property key stores; None for keys
    that are no literal property (reserved, or unknown to the ontology)."""
    if key in RESERVED:
        return None
    prop = onto.properties.get(key)
    lang = None
    if prop is None and "_" in key:
        name, lang = key.split("_", 1)
        prop = onto.properties.get(name)
        lang = lang.replace("_", "-")
    if prop is None:
        return None
    if lang:
        return prop.name, lang, None
    dt = prop.range[0] if prop.range else XSD_STRING
    return prop.name, None, None if dt == XSD_STRING else dt


def decode(onto: Ontology, props: dict[str, Any]) -> list[tuple[str, Lit]]:
    """Literal statements (property name, literal) of a node's properties."""
    keys = onto.memo("neo4j_keys")
    out: list[tuple[str, Lit]] = []
    for key, raw in props.items():
        if raw is None:  # a key of a projection the node lacks
            continue
        info = keys.get(key, ())
        if info == ():
            info = keys[key] = _key_info(onto, key)
        if info is None:
            continue
        name, lang, dt = info
        for v in raw if isinstance(raw, list) else (raw,):
            out.append((name, Lit(v if isinstance(v, str) else lexical(v), lang, dt)))
    out.sort(key=lambda kv: (kv[0], kv[1].lang or "", kv[1].value))
    return out


def to_literal(lit: Lit) -> Literal:
    """An rdflib literal of ours."""
    if lit.lang:
        return Literal(lit.value, lang=lit.lang)
    return Literal(lit.value, datatype=lit.datatype) if lit.datatype else Literal(lit.value)
