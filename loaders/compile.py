"""Turn curated records into RDF: one named graph per cited statement group.

Provenance pattern (documented in ``docs/data-format.md``):

* the types, labels and literal properties of a record sit in the record's graph
  ``<entity IRI>#record``;
* each relation ``s p o`` sits in its own graph ``<base>stmt/<hash of s p o>``;
* in the default graph, each of these graph IRIs has ``eskg:citation`` links to
  citation resources (``eskg:document``, ``eskg:locator``, ``eskg:quote``).

Everything the ontology does not know (a class, a property, a property outside its
domain, an unknown target id, a duplicate id) stops here with the file and line.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from rdflib import RDF, XSD, Dataset, Literal, URIRef

from eskg.errors import DataNotConformingError
from eskg.ontology import ESKG, Ontology, OntProperty
from eskg.provenance import citation_iri, record_graph, statement_graph
from eskg.vocab import CITATION_CLASS, DOCUMENT_CLASS, LABEL
from loaders.yaml_source import CitationSpec, Location, Record, RelationSpec

RDF_LANGSTRING = str(RDF.langString)
MAX_ERRORS = 50


@dataclass
class Compiled:
    """The RDF of a set of records, with where each IRI was written."""

    dataset: Dataset
    origin: dict[str, Location] = field(default_factory=dict)  # IRI -> record location
    citation_origin: dict[str, Location] = field(default_factory=dict)  # citation IRI -> where
    records: int = 0
    relations: int = 0


def canonical_decimal(value: Decimal) -> str:
    """The XSD 1.1 canonical decimal form (no exponent, no trailing zeros, no ".0")."""
    text = format(value.normalize(), "f")
    return "0" if text in {"-0", "0"} else text


def _literal(prop: OntProperty, value: Any, where: Location, rid: str) -> list[Literal]:
    """Literals for one property value; raise with the record's place on a bad value."""
    datatype = prop.range[0] if prop.range else str(XSD.string)
    bad = f"{where}: record {rid!r}: property {prop.name!r}"
    if datatype == RDF_LANGSTRING:
        if not isinstance(value, dict):
            raise DataNotConformingError(f"{bad} takes text per language, as {{ja: ..., en: ...}}")
        out = []
        for lang, text in value.items():
            if lang == "__line__":
                continue
            texts = text if isinstance(text, list) else [text]
            for t in texts:
                if not isinstance(t, str) or not t.strip():
                    raise DataNotConformingError(
                        f"{bad}@{lang}: expected non-empty text, got {t!r}"
                    )
                out.append(Literal(t, lang=lang))
        return out
    values = value if isinstance(value, list) else [value]
    out = []
    for v in values:
        if datatype == str(XSD.date):
            if isinstance(v, datetime) or not isinstance(v, date):
                raise DataNotConformingError(
                    f"{bad}: expected a date written as YYYY-MM-DD (unquoted), got {v!r}"
                )
            out.append(Literal(v.isoformat(), datatype=XSD.date))
        elif datatype == str(XSD.boolean):
            if not isinstance(v, bool):
                raise DataNotConformingError(f"{bad}: expected true or false, got {v!r}")
            out.append(Literal("true" if v else "false", datatype=XSD.boolean))
        elif datatype == str(XSD.integer):
            if isinstance(v, bool) or not isinstance(v, int):
                raise DataNotConformingError(f"{bad}: expected a whole number, got {v!r}")
            if not -(2**63) <= v < 2**63:
                # Neo4j stores 64-bit integers; both stores must accept the same data
                raise DataNotConformingError(
                    f"{bad}: {v} is outside the 64-bit range; write it as a Figure value (decimal)"
                )
            out.append(Literal(str(v), datatype=XSD.integer))
        elif datatype == str(XSD.decimal):
            try:
                number = Decimal(str(v)) if not isinstance(v, bool) else None
            except InvalidOperation:
                number = None
            if number is None or not number.is_finite():
                raise DataNotConformingError(f"{bad}: expected a number, got {v!r}")
            out.append(Literal(canonical_decimal(number), datatype=XSD.decimal))
        else:
            if not isinstance(v, str) or not v.strip():
                raise DataNotConformingError(f"{bad}: expected non-empty text, got {v!r}")
            if datatype == str(XSD.string):
                out.append(Literal(v))
            else:
                out.append(Literal(v, datatype=URIRef(datatype)))
    return out


class _Compiler:
    def __init__(self, onto: Ontology, base: str) -> None:
        self.onto = onto
        self.base = base
        self.ds = Dataset()
        self.out = Compiled(dataset=self.ds)
        self.errors: list[str] = []
        self.ids: dict[str, Record] = {}

    def iri(self, rid: str) -> str:
        return f"{self.base}{rid}"

    def error(self, where: Location, rid: str, message: str) -> None:
        self.errors.append(f"{where}: record {rid!r}: {message}")

    def suggest(self, name: str, options: list[str]) -> str:
        close = difflib.get_close_matches(name, options, n=3)
        return f" (did you mean {', '.join(close)}?)" if close else ""

    def cite(
        self, graph: URIRef, sources: list[CitationSpec] | tuple[CitationSpec, ...], rid: str
    ) -> None:
        for c in sources:
            if c.document not in self.ids:
                self.error(
                    c.where,
                    rid,
                    f"source document {c.document!r} is not a record"
                    + self.suggest(c.document, list(self.ids)),
                )
                continue
            cit = citation_iri(self.base, c.document, c.locator, c.quote)
            self.ds.add((graph, ESKG.citation, cit))
            self.ds.add((cit, RDF.type, ESKG.Citation))
            self.ds.add((cit, ESKG.document, URIRef(self.iri(c.document))))
            self.ds.add((cit, ESKG.locator, Literal(c.locator)))
            if c.quote is not None:
                self.ds.add((cit, ESKG.quote, Literal(c.quote)))
            self.out.citation_origin.setdefault(str(cit), c.where)

    def applies(self, prop: OntProperty, classes: list[str]) -> bool:
        ancestors = {a for c in classes for a in self.onto.ancestors(c)}
        return not prop.domain or bool(ancestors & set(prop.domain))

    def record(self, r: Record) -> None:
        iri = self.iri(r.id)
        subject = URIRef(iri)
        graph = self.ds.graph(record_graph(iri))
        self.out.origin[iri] = r.where
        for t in r.types:
            if t not in self.onto.classes or t == CITATION_CLASS:
                self.error(
                    r.where, r.id, f"unknown class {t!r}" + self.suggest(t, list(self.onto.classes))
                )
                continue
            graph.add((subject, RDF.type, self.onto.classes[t].iri))
        for lang, text in r.labels.items():
            if not text.strip():
                self.error(r.where, r.id, f"empty label@{lang}")
            graph.add((subject, self.onto.properties[LABEL].iri, Literal(text, lang=lang)))
        for name, value in r.properties.items():
            prop = self.onto.properties.get(name)
            if prop is None or prop.is_object:
                kind = "a relation: put it under 'relations'" if prop else "unknown property"
                self.error(
                    r.where,
                    r.id,
                    f"{kind} {name!r}"
                    + (
                        ""
                        if prop
                        else self.suggest(name, [p.name for p in self.onto.datatype_properties])
                    ),
                )
                continue
            if not self.applies(prop, r.types):
                self.error(
                    r.where,
                    r.id,
                    f"property {name!r} does not apply to {r.types} (domain {list(prop.domain)})",
                )
                continue
            try:
                for lit in _literal(prop, value, r.where, r.id):
                    graph.add((subject, prop.iri, lit))
            except DataNotConformingError as exc:
                self.errors.append(exc.message)
        sources = list(r.sources)
        is_document = DOCUMENT_CLASS in {a for t in r.types for a in self.onto.ancestors(t)}
        if not sources and is_document:
            sources = [CitationSpec(r.id, "the document itself", None, r.where)]
        if not sources:
            self.error(
                r.where,
                r.id,
                "no 'sources': every fact needs a citation {document, locator, quote}",
            )
        self.cite(graph.identifier, sources, r.id)  # type: ignore[arg-type]
        for rel in r.relations:
            self.relation(r, subject, rel)

    def relation(self, r: Record, subject: URIRef, rel: RelationSpec) -> None:
        name, target, sources, where = rel.prop, rel.target, rel.sources, rel.where
        prop = self.onto.properties.get(name)
        if prop is None or not prop.is_object:
            kind = "a literal property: put it under 'properties'" if prop else "unknown relation"
            self.error(
                where,
                r.id,
                f"{kind} {name!r}"
                + (
                    ""
                    if prop
                    else self.suggest(name, [p.name for p in self.onto.object_properties])
                ),
            )
            return
        if prop.name == "citation":
            self.error(where, r.id, "'citation' is written through 'sources', not as a relation")
            return
        if target not in self.ids:
            self.error(
                where,
                r.id,
                f"relation {name!r} points to unknown id {target!r}"
                + self.suggest(target, list(self.ids)),
            )
            return
        if not self.applies(prop, r.types):
            self.error(
                where,
                r.id,
                f"relation {name!r} does not apply to {r.types} (domain {list(prop.domain)})",
            )
            return
        if not sources:
            self.error(where, r.id, f"relation {name!r} -> {target!r} has no sources")
        o = self.iri(target)
        g = statement_graph(self.base, str(subject), str(prop.iri), o)
        self.ds.graph(g).add((subject, prop.iri, URIRef(o)))
        self.cite(g, sources, r.id)
        # A bounded relation carries its validity on its statement graph, beside its
        # citations in the default graph.
        for bound, day in ((ESKG.validFrom, rel.valid_from), (ESKG.validUntil, rel.valid_until)):
            if day is not None:
                self.ds.add((g, bound, Literal(day.isoformat(), datatype=XSD.date)))
        if rel.valid_from and rel.valid_until and rel.valid_from > rel.valid_until:
            self.error(
                where, r.id, f"relation {name!r} -> {target!r}: validFrom is after validUntil"
            )
        self.out.relations += 1

    def run(self, records: list[Record]) -> Compiled:
        extensions: list[Record] = []
        for r in records:
            if not r.defines:
                extensions.append(r)
            elif r.id in self.ids:
                first = self.ids[r.id]
                self.error(
                    r.where,
                    r.id,
                    f"duplicate id: already defined at {first.where}; "
                    "merge the two, or drop 'type', labels and properties from this one "
                    "so that it only adds relations",
                )
            else:
                self.ids[r.id] = r
        for r in self.ids.values():
            self.record(r)
        for ext in extensions:
            owner = self.ids.get(ext.id)
            if owner is None:
                self.error(
                    ext.where,
                    ext.id,
                    "extends an id that no record defines (no record with "
                    "this id has a 'type')" + self.suggest(ext.id, list(self.ids)),
                )
                continue
            if not ext.relations:
                self.error(ext.where, ext.id, "a record without a type must add 'relations'")
            for rel in ext.relations:
                self.relation(owner, URIRef(self.iri(ext.id)), rel)
        self.out.records = len(self.ids)
        if self.errors:
            shown = self.errors[:MAX_ERRORS]
            more = len(self.errors) - len(shown)
            tail = f"\n... and {more} more" if more else ""
            raise DataNotConformingError(
                f"{len(self.errors)} problem(s) in the curated data:\n" + "\n".join(shown) + tail
            )
        return self.out


def compile_records(records: list[Record], onto: Ontology, base: str) -> Compiled:
    """RDF for the records; raises DataNotConformingError listing every problem found."""
    return _Compiler(onto, base).run(records)
