"""``eskg diff OLD NEW``: what changed between two dumps, each statement with its sources.

A statement is a triple in a named graph (N-Quads, TriG, JSON-LD), or, for Turtle and
N-Triples, a triple outside the citation bookkeeping whose graph is found by the naming
rule of ``loaders/compile.py`` (``<s>#record`` for types and literals, ``stmt/<hash>``
for relations). Its sources are the citations of that graph (``eskg:citation``).

* **changed**: same subject and single-valued property (functional, or ``prefLabel`` per
  language), different value;
* **added** / **removed**: every other statement only in NEW / only in OLD;
* **sources changed**: the statement is in both, its citations differ.

The DCAT/VoID description graph is not compared; its versions are reported.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import RDF, Dataset, Graph, Literal, URIRef
from rdflib.util import guess_format

from eskg.config import Settings
from eskg.describe import DCAT, VOID, description_graph
from eskg.errors import InvalidInputError
from eskg.ontology import ESKG, PREFIXES, Ontology, load_ontology
from eskg.provenance import record_graph, statement_graph

Triple = tuple[URIRef, URIRef, URIRef | Literal]
Source = tuple[str, str, str]  # document, locator, quote ("" when absent)
EXTENSIONS = {
    ".nq": "nquads",
    ".trig": "trig",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".ttl": "turtle",
    ".nt": "nt",
}
DESCRIPTION_TYPES = {DCAT.Dataset, VOID.Dataset, DCAT.Distribution, DCAT.DataService}


@dataclass
class Snapshot:
    """The statements of one dump and the sources of each."""

    path: Path
    version: str | None
    statements: dict[Triple, set[Source]] = field(default_factory=dict)


@dataclass
class DiffResult:
    """Statements added, removed, changed and re-sourced from OLD to NEW."""

    old: Snapshot
    new: Snapshot
    added: list[Triple] = field(default_factory=list)
    removed: list[Triple] = field(default_factory=list)
    changed: list[tuple[Triple, Triple]] = field(default_factory=list)  # (old, new)
    resourced: list[Triple] = field(default_factory=list)


def parse_dump(path: Path) -> Dataset:
    """Any RDF file rdflib reads, as a dataset; InvalidInputError when it cannot."""
    fmt = EXTENSIONS.get(path.suffix.lower()) or guess_format(str(path))
    if fmt is None:
        raise InvalidInputError(f"{path}: unknown RDF format; use .nq, .trig, .jsonld, .ttl or .nt")
    ds = Dataset()
    try:
        ds.parse(path, format=fmt)
    except Exception as exc:  # rdflib raises many unrelated types
        raise InvalidInputError(f"{path}: cannot be read as {fmt}: {exc}") from exc
    return ds


def snapshot(path: Path, settings: Settings, onto: Ontology) -> Snapshot:
    """Statements and sources of one dump file."""
    ds = parse_dump(path)
    desc = str(description_graph(settings))
    named: dict[Triple, str] = {}
    union = Graph()
    described: set[URIRef] = set()
    for s, p, o, g in ds.quads((None, None, None, None)):
        name = str(g.identifier if isinstance(g, Graph) else g) if g is not None else ""
        if name == desc:
            continue
        union.add((s, p, o))
        if p == RDF.type and o in DESCRIPTION_TYPES and isinstance(s, URIRef):
            described.add(s)
        if name and name != str(ds.default_graph.identifier):
            named[(s, p, o)] = name  # type: ignore[index]
    version = next(
        (str(q[2]) for q in ds.quads((URIRef(settings.dataset_iri), DCAT.version, None, None))),
        None,
    )
    citations: dict[str, Source] = {}
    for c in union.subjects(RDF.type, ESKG.Citation):
        citations[str(c)] = (
            str(union.value(c, ESKG.document) or ""),
            str(union.value(c, ESKG.locator) or ""),
            str(union.value(c, ESKG.quote) or ""),
        )
    graph_sources: dict[str, set[Source]] = defaultdict(set)
    for link in union.triples((None, ESKG.citation, None)):
        graph_sources[str(link[0])].add(citations.get(str(link[2]), (str(link[2]), "", "")))
    snap = Snapshot(path=path, version=version)
    bookkeeping = set(citations) | set(graph_sources) | {str(x) for x in described}
    for s, p, o in union:
        if str(s) in bookkeeping or not isinstance(s, URIRef):
            continue
        if not isinstance(o, (URIRef, Literal)):
            continue
        t: Triple = (s, URIRef(str(p)), o)
        graph = named.get(t) or _graph_by_rule(t, settings, onto)
        snap.statements[t] = graph_sources.get(graph, set())
    return snap


def _graph_by_rule(t: Triple, settings: Settings, onto: Ontology) -> str:
    s, p, o = t
    prop = onto.property_by_iri(str(p))
    if isinstance(o, URIRef) and p != RDF.type and (prop is None or prop.is_object):
        return str(statement_graph(settings.base_iri, str(s), str(p), str(o)))
    return str(record_graph(str(s)))


def _single_key(t: Triple, onto: Ontology) -> tuple[str, str, str] | None:
    s, p, o = t
    prop = onto.property_by_iri(str(p))
    if prop is None or not prop.single_valued:
        return None
    lang = o.language or "" if isinstance(o, Literal) else ""
    return (str(s), str(p), lang)


def diff_snapshots(old: Snapshot, new: Snapshot, onto: Ontology) -> DiffResult:
    """Compare two snapshots."""
    res = DiffResult(old=old, new=new)
    gone = [t for t in old.statements if t not in new.statements]
    came = [t for t in new.statements if t not in old.statements]
    came_by_key: dict[tuple[str, str, str], list[Triple]] = defaultdict(list)
    for t in came:
        key = _single_key(t, onto)
        if key:
            came_by_key[key].append(t)
    paired: set[Triple] = set()
    for t in gone:
        key = _single_key(t, onto)
        if key and came_by_key.get(key):
            other = came_by_key[key].pop(0)
            res.changed.append((t, other))
            paired.add(other)
        else:
            res.removed.append(t)
    res.added = [t for t in came if t not in paired]
    res.resourced = [
        t for t in old.statements if t in new.statements and old.statements[t] != new.statements[t]
    ]
    order = _sort_key
    res.added.sort(key=order)
    res.removed.sort(key=order)
    res.resourced.sort(key=order)
    res.changed.sort(key=lambda pair: order(pair[0]))
    return res


def _sort_key(t: Triple) -> tuple[str, str, str]:
    return (str(t[0]), str(t[1]), str(t[2]))


def diff_files(old: Path, new: Path, settings: Settings) -> DiffResult:
    """Read two dumps and compare them."""
    onto = load_ontology(settings.ontology_dir)
    return diff_snapshots(snapshot(old, settings, onto), snapshot(new, settings, onto), onto)


# ------------------------------------------------------------------ output


def _term(term: URIRef | Literal) -> dict[str, Any]:
    if isinstance(term, Literal):
        out: dict[str, Any] = {"value": str(term)}
        if term.language:
            out["lang"] = term.language
        elif term.datatype:
            out["datatype"] = str(term.datatype)
        return out
    return {"iri": str(term)}


def _sources(sources: set[Source]) -> list[dict[str, str | None]]:
    return [
        {"document": d, "locator": loc or None, "quote": q or None} for d, loc, q in sorted(sources)
    ]


def _statement(t: Triple, sources: set[Source]) -> dict[str, Any]:
    return {
        "subject": str(t[0]),
        "predicate": str(t[1]),
        "object": _term(t[2]),
        "sources": _sources(sources),
    }


def to_json(res: DiffResult) -> str:
    """The changes as one JSON document."""
    body = {
        "old": {
            "file": str(res.old.path),
            "version": res.old.version,
            "statements": len(res.old.statements),
        },
        "new": {
            "file": str(res.new.path),
            "version": res.new.version,
            "statements": len(res.new.statements),
        },
        "summary": {
            "added": len(res.added),
            "removed": len(res.removed),
            "changed": len(res.changed),
            "sources_changed": len(res.resourced),
        },
        "added": [_statement(t, res.new.statements[t]) for t in res.added],
        "removed": [_statement(t, res.old.statements[t]) for t in res.removed],
        "changed": [
            {
                "subject": str(a[0]),
                "predicate": str(a[1]),
                "old": _term(a[2]),
                "new": _term(b[2]),
                "old_sources": _sources(res.old.statements[a]),
                "sources": _sources(res.new.statements[b]),
            }
            for a, b in res.changed
        ],
        "sources_changed": [
            {**_statement(t, res.new.statements[t]), "old_sources": _sources(res.old.statements[t])}
            for t in res.resourced
        ],
    }
    return json.dumps(body, ensure_ascii=False, indent=2)


def _short(term: URIRef | Literal, base: str) -> str:
    if isinstance(term, Literal):
        text = str(term) if len(str(term)) <= 100 else str(term)[:97] + "..."
        text = json.dumps(text, ensure_ascii=False)
        if term.language:
            return f"{text}@{term.language}"
        return text
    iri = str(term)
    if iri.startswith(base):
        return iri[len(base) :]
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return f"<{iri}>"


def _source_lines(sources: set[Source], base: str) -> list[str]:
    if not sources:
        return ["    source: (none)"]
    out = []
    for doc, loc, quote in sorted(sources):
        line = f"    source: {_short(URIRef(doc), base)}" + (f" | {loc}" if loc else "")
        out.append(line + (f" | “{quote[:100]}”" if quote else ""))
    return out


def to_text(res: DiffResult, settings: Settings) -> str:
    """The changes for people: one block per statement, with its sources."""
    base = settings.base_iri
    lines = [
        (
            f"old: {res.old.path} (version {res.old.version or 'unknown'}, "
            f"{len(res.old.statements)} statements)"
        ),
        (
            f"new: {res.new.path} (version {res.new.version or 'unknown'}, "
            f"{len(res.new.statements)} statements)"
        ),
        (
            f"{len(res.changed)} changed, {len(res.added)} added, {len(res.removed)} removed, "
            f"{len(res.resourced)} with changed sources"
        ),
    ]
    for a, b in res.changed:
        lines.append(
            f"~ {_short(a[0], base)} {_short(a[1], base)} "
            f"{_short(a[2], base)} -> {_short(b[2], base)}"
        )
        lines += _source_lines(res.new.statements[b], base)
    for sign, items, snap in (
        ("+", res.added, res.new),
        ("-", res.removed, res.old),
        ("*", res.resourced, res.new),
    ):
        for t in items:
            lines.append(f"{sign} {_short(t[0], base)} {_short(t[1], base)} {_short(t[2], base)}")
            lines += _source_lines(snap.statements[t], base)
    return "\n".join(lines)
