"""The DCAT + VoID description of the dataset that every dump carries.

The description sits in its own named graph (``<dataset IRI>/description``) so it never
mixes with the curated statements: ``eskg diff`` and the round-trip tests leave it out.
It states the title, licence, version (package version + a hash of the data), the time
the dump was made, triple and entity counts, one distribution per dump format, and the
SPARQL endpoint.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata

from rdflib import RDF, XSD, Literal, Namespace, URIRef

from eskg import paths
from eskg.config import Settings
from eskg.errors import DataNotConformingError
from eskg.ontology import DCTERMS, ESKG

DCAT = Namespace("http://www.w3.org/ns/dcat#")
VOID = Namespace("http://rdfs.org/ns/void#")
FOAF_PAGE = URIRef("http://xmlns.com/foaf/0.1/page")
OWL_VERSION_INFO = URIRef("http://www.w3.org/2002/07/owl#versionInfo")

Triple = tuple[URIRef, URIRef, URIRef | Literal]
Term = URIRef | Literal
Quad = tuple[URIRef, URIRef, Term, URIRef | None]  # graph None: the default graph
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@dataclass(frozen=True)
class DumpFormat:
    """A dump format: its file extension, media type, rdflib name and whether it has graphs."""

    ext: str
    media_type: str
    rdflib_name: str
    title: str
    quads: bool


FORMATS: dict[str, DumpFormat] = {
    "nq": DumpFormat("nq", "application/n-quads", "nquads", "N-Quads", True),
    "trig": DumpFormat("trig", "application/trig", "trig", "TriG", True),
    "jsonld": DumpFormat("jsonld", "application/ld+json", "json-ld", "JSON-LD", True),
    "ttl": DumpFormat("ttl", "text/turtle", "turtle", "Turtle", False),
    "nt": DumpFormat("nt", "application/n-triples", "nt", "N-Triples", False),
}


# ------------------------------------------------------------------ canonical N-Quads
# The form the version hash is computed from; also the N-Quads/N-Triples dump writer.

_ECHAR = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_NEEDS_ESCAPE = re.compile(r'[\\"\x00-\x1f\x7f]')
_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def _escape(match: re.Match[str]) -> str:
    ch = match.group(0)
    return _ECHAR.get(ch, f"\\u{ord(ch):04X}")


def _iri(term: str) -> str:
    if _BAD_IRI.search(term):
        raise DataNotConformingError(f"not a valid IRI, cannot be written: {term!r}")
    return f"<{term}>"


def term_nq(term: Term) -> str:
    """A term in canonical N-Quads form (language tags lower-cased, xsd:string implicit)."""
    if isinstance(term, Literal):
        text = '"' + _NEEDS_ESCAPE.sub(_escape, str(term)) + '"'
        if term.language:
            return f"{text}@{term.language.lower()}"
        if term.datatype and str(term.datatype) != XSD_STRING:
            return f"{text}^^{_iri(str(term.datatype))}"
        return text
    return _iri(str(term))


def quad_line(q: Quad) -> str:
    """One canonical N-Quads line (without the newline)."""
    s, p, o, g = q
    graph = f" {_iri(str(g))}" if g is not None else ""
    return f"{term_nq(s)} {term_nq(p)} {term_nq(o)}{graph} ."


def canonical_lines(quads: Iterable[Quad]) -> list[str]:
    """Sorted, de-duplicated canonical N-Quads lines: equal lists mean equal datasets
    (our data has no blank nodes)."""
    return sorted({quad_line(q) for q in quads})


def package_version() -> str:
    """The eskg version: the installed distribution's, else pyproject.toml's."""
    try:
        return metadata.version("eskg")
    except metadata.PackageNotFoundError:
        data = tomllib.loads((paths.ROOT / "pyproject.toml").read_text(encoding="utf-8"))
        return str(data["project"]["version"])


def data_hash(canonical_lines: Iterable[str]) -> str:
    """First 12 hex digits of the SHA-256 of the sorted canonical N-Quads lines."""
    digest = hashlib.sha256()
    for line in sorted(canonical_lines):
        digest.update(line.encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()[:12]


def public_address(settings: Settings) -> str:
    """Where the API is reached, without a trailing slash: ``ESKG_PUBLIC_URL``, else the
    configured host and port (the API itself passes the address each request came to)."""
    return (settings.public_url or f"http://{settings.host}:{settings.port}").rstrip("/")


def description_graph(settings: Settings) -> URIRef:
    """The named graph that holds the description."""
    return URIRef(settings.dataset_iri.rstrip("/") + "/description")


@dataclass(frozen=True)
class Counts:
    """What the description counts in the data."""

    triples: int
    entities: int
    classes: int
    properties: int


def describe(
    settings: Settings,
    counts: Counts,
    digest: str,
    source: str,
    now: datetime | None = None,
) -> list[Triple]:
    """DCAT + VoID triples describing the dataset (``source`` names the store read)."""
    ds = URIRef(settings.dataset_iri)
    public = public_address(settings)
    stamp = (now or datetime.now(UTC)).replace(microsecond=0)
    version = f"{package_version()}+{digest}"
    out: list[Triple] = [
        (ds, RDF.type, DCAT.Dataset),
        (ds, RDF.type, VOID.Dataset),
        (
            ds,
            DCTERMS["title"],
            Literal("Economic security policy of Japan: knowledge graph", lang="en"),
        ),
        (ds, DCTERMS["title"], Literal("日本の経済安全保障政策ナレッジグラフ", lang="ja")),
        (
            ds,
            DCTERMS.description,
            Literal(
                "Laws, measures, specified critical materials, technologies, countries, "
                "dialogues and organisations of Japan's economic-security policy; every "
                "statement sits in a named graph linked by eskg:citation to its sources "
                "(document, locator, verbatim quote).",
                lang="en",
            ),
        ),
        (ds, DCTERMS.license, URIRef(settings.data_license)),
        (ds, DCAT.version, Literal(version)),
        (ds, OWL_VERSION_INFO, Literal(version)),
        (
            ds,
            DCTERMS.modified,
            Literal(stamp.isoformat().replace("+00:00", "Z"), datatype=XSD.dateTime),
        ),
        (ds, DCTERMS.source, Literal(f"exported from the {source} store")),
        (ds, VOID.triples, Literal(str(counts.triples), datatype=XSD.integer)),
        (ds, VOID.entities, Literal(str(counts.entities), datatype=XSD.integer)),
        (ds, VOID.classes, Literal(str(counts.classes), datatype=XSD.integer)),
        (ds, VOID.properties, Literal(str(counts.properties), datatype=XSD.integer)),
        (ds, VOID.uriSpace, Literal(settings.base_iri)),
        (ds, VOID.vocabulary, URIRef(str(ESKG))),
        (ds, VOID.sparqlEndpoint, URIRef(f"{public}/sparql")),
        (ds, DCAT.landingPage, URIRef(f"{public}/dumps/")),
    ]
    service = URIRef(f"{public}/sparql")
    out += [
        (service, RDF.type, DCAT.DataService),
        (service, DCAT.endpointURL, service),
        (service, DCAT.servesDataset, ds),
        (service, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")),
        (ds, DCAT.accessService, service),
    ]
    for fmt in FORMATS.values():
        dist = URIRef(f"{settings.dataset_iri}#dump-{fmt.ext}")
        url = URIRef(f"{public}/dumps/eskg.{fmt.ext}")
        note = (
            "with named graphs (complete provenance)"
            if fmt.quads
            else ("union of all graphs; provenance through eskg:citation links and graph names")
        )
        out += [
            (ds, DCAT.distribution, dist),
            (ds, VOID.dataDump, url),
            (dist, RDF.type, DCAT.Distribution),
            (dist, DCTERMS["title"], Literal(f"{fmt.title} dump, {note}", lang="en")),
            (dist, DCAT.downloadURL, url),
            (dist, DCAT.accessURL, url),
            (
                dist,
                DCAT.mediaType,
                URIRef(f"https://www.iana.org/assignments/media-types/{fmt.media_type}"),
            ),
            (dist, DCTERMS["format"], Literal(fmt.media_type)),
            (dist, DCTERMS.license, URIRef(settings.data_license)),
        ]
    return out
