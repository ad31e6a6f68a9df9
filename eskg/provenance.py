"""How provenance is named in RDF: the graph of a record's own statements, the graph of
one relation statement, and a citation's IRI. Stable: the same inputs give the same IRI,
so loads, dumps, diffs and the /id/ pages agree on them."""

from __future__ import annotations

import hashlib

from rdflib import URIRef


def _digest(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:20]


def record_graph(iri: str) -> URIRef:
    """Graph IRI that holds a record's own statements."""
    return URIRef(f"{iri}#record")


def statement_graph(base: str, s: str, p: str, o: str) -> URIRef:
    """Graph IRI that holds one relation statement."""
    return URIRef(f"{base}stmt/{_digest(s, p, o)}")


def citation_iri(base: str, doc: str, locator: str, quote: str | None) -> URIRef:
    """Stable IRI of a citation: the same document, locator and quote give the same IRI."""
    return URIRef(f"{base}citation/{_digest(doc, locator, quote or '')}")
