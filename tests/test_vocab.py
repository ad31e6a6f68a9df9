"""The ontology is the only vocabulary: dates, statuses, colours and the flagship registry
come from it (eskg/vocab.py), the explorer takes them from the API, and an ontology that
lacks a term the code names is refused at start-up."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal

from api.app import create_app
from eskg.config import Settings
from eskg.errors import ConfigurationError
from eskg.ontology import ESKG, Ontology, parse_ontology
from eskg.queries import load_library
from eskg.store.embedded import EmbeddedStore
from eskg.vocab import CODE_TERMS, FALLBACK_COLOUR, FLAGSHIP_QUESTIONS, vocabulary

ROOT = Path(__file__).resolve().parent.parent


def test_vocabulary_comes_from_the_ontology(onto: Ontology) -> None:
    v = vocabulary(onto)
    g = onto.graph
    for name in (*v.start_dates, *v.end_dates):
        assert onto.properties[name].range == ("http://www.w3.org/2001/XMLSchema#date",)
    assert v.start_dates and v.end_dates
    marked = {
        onto.properties[n].name
        for n in onto.properties
        if g.value(onto.properties[n].iri, ESKG.validityRole) is not None
    }
    assert marked == set(v.start_dates) | set(v.end_dates)
    # every class has a colour, the same as its top-level class's
    for name in onto.classes:
        for ancestor in onto.ancestors(name):
            own = g.value(onto.classes[ancestor].iri, ESKG.colour)
            if own is not None:
                assert v.colours[name] == str(own)
                break
    assert "in_force" in v.values["status"]


def test_shapes_take_the_allowed_values_from_the_schemes(onto: Ontology) -> None:
    shapes = (ROOT / "ontology" / "shapes.ttl").read_text(encoding="utf-8")
    for values in vocabulary(onto).values.values():
        for value in values:
            assert f'"{value}"' in shapes


def _without(onto: Ontology, name: str) -> Ontology:
    g = Graph()
    for t in onto.graph:
        g.add(t)
    iri = ESKG[name]
    for t in list(g.triples((iri, None, None))):
        g.remove(t)
    return parse_ontology(g)


@pytest.mark.parametrize("term", ["validUntil", "coversMaterial", "Certification"])
def test_an_ontology_without_a_term_the_code_names_is_refused(
    onto: Ontology, settings: Settings, term: str
) -> None:
    assert term in CODE_TERMS
    lacking = _without(onto, term)
    with pytest.raises(ConfigurationError, match=term):
        vocabulary(lacking)
    with pytest.raises(ConfigurationError, match=term):
        EmbeddedStore(lacking, load_library(settings.queries_dir))


def test_an_ontology_without_start_dates_is_refused(onto: Ontology) -> None:
    g = Graph()
    for t in onto.graph:
        if t[1] != ESKG.validityRole or t[2] != Literal("start"):
            g.add(t)
    with pytest.raises(ConfigurationError, match="start"):
        vocabulary(parse_ontology(g))


def test_the_api_serves_the_vocabulary(embedded: EmbeddedStore, settings: Settings) -> None:
    client = TestClient(create_app(settings, store=embedded))
    query = (
        "{ vocabulary { startDates endDates labelProperty values { property values } "
        "flagship { field argument targetClass } } }"
    )
    got = client.post("/graphql", json={"query": query}).json()["data"]["vocabulary"]
    v = vocabulary(embedded.onto)
    assert got["startDates"] == list(v.start_dates)
    assert got["endDates"] == list(v.end_dates)
    assert {f["argument"] for f in got["flagship"]} == {q.parameter for q in FLAGSHIP_QUESTIONS}
    fields = client.post(
        "/graphql", json={"query": "{ __schema { queryType { fields { name } } } }"}
    )
    roots = {f["name"] for f in fields.json()["data"]["__schema"]["queryType"]["fields"]}
    assert {f["field"] for f in got["flagship"]} <= roots


def test_the_explorer_spells_out_no_ontology_term(onto: Ontology) -> None:
    """The explorer's sources name no date property, status, colour of the ontology, and
    no class but the root (the GraphQL interface's name)."""
    v = vocabulary(onto)
    watched = (
        set(v.start_dates)
        | set(v.end_dates)
        | {x for vals in v.values.values() for x in vals}
        | {c for c in onto.classes if c != "Entity"}
        | {"prefLabel", "altLabel"}
    )
    hits = []
    for path in sorted((ROOT / "frontend" / "src").glob("*.js")):
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"""["'`]([A-Za-z_]+)["'`]""", text):
            if m.group(1) in watched:
                line = text[: m.start()].count("\n") + 1
                hits.append(f"{path.name}:{line}: {m.group(1)}")
        # the root's colour doubles as the explorer's neutral grey for unknown classes
        palette = set(v.colours.values()) - {FALLBACK_COLOUR}
        hits += [f"{path.name}: colour {c}" for c in palette if c.lower() in text.lower()]
    assert not hits, "take these from the API (GraphQL vocabulary / ontology):\n" + "\n".join(hits)


def test_the_explorer_check_would_see_a_term(tmp_path: Path) -> None:
    """The pattern above finds a quoted term (so the check can fail)."""
    sample = 'const KEYS = ["inForceFrom", "designatedOn"];'
    assert re.findall(r"""["'`]([A-Za-z_]+)["'`]""", sample) == ["inForceFrom", "designatedOn"]


def test_unknown_flagship_class_is_refused(onto: Ontology) -> None:
    target = FLAGSHIP_QUESTIONS[0].target_class
    with pytest.raises(ConfigurationError, match=target):
        vocabulary(_without(onto, target))


#: Python sources that may spell ontology terms: the vocabulary module, the ontology's
#: reader, and the example arguments of the named questions (data, like the curated YAML).
SPELLING_ALLOWED = {"eskg/vocab.py", "eskg/ontology.py", "eskg/query_examples.py"}
#: Names of XSD datatypes that are also names of ontology properties (eskg:date).
XSD_NAMES = {"date"}


def _spelled_terms(onto: Ontology, paths: list[Path], root: Path = ROOT) -> list[str]:
    v = vocabulary(onto)
    watched = (
        {c for c in onto.classes if c != "Entity"}
        | set(v.start_dates)
        | set(v.end_dates)
        | {x for vals in v.values.values() for x in vals}
        | {"prefLabel", "altLabel"}
    ) - XSD_NAMES
    hits = []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"""["']([A-Za-z_]+)["']""", text):
            if m.group(1) in watched:
                line = text[: m.start()].count("\n") + 1
                hits.append(f"{path.relative_to(root)}:{line}: {m.group(1)}")
    return hits


def test_the_api_and_the_stores_spell_out_no_ontology_term(onto: Ontology) -> None:
    """Classes, label, date and validity properties and status values are named in
    eskg/vocab.py (or read from the ontology), never as strings in the API or the stores."""
    paths = [
        p
        for folder in ("api", "eskg")
        for p in sorted((ROOT / folder).rglob("*.py"))
        if str(p.relative_to(ROOT)) not in SPELLING_ALLOWED
    ]
    hits = _spelled_terms(onto, paths)
    assert not hits, "name these through eskg/vocab.py:\n" + "\n".join(hits)


def test_the_spelling_check_would_see_a_term(onto: Ontology, tmp_path: Path) -> None:
    """The check finds a class and a label property written as strings (so it can fail)."""
    sample = tmp_path / "sample.py"
    sample.write_text('x = data.values("prefLabel")\ny = onto.classes["Measure"]\n')
    assert _spelled_terms(onto, [sample], tmp_path) == [
        "sample.py:1: prefLabel",
        "sample.py:2: Measure",
    ]


def test_offered_types_come_from_the_ontology(onto: Ontology) -> None:
    """Reconciliation's default types are the classes ranked by ``eskg:offerRank``."""
    offered = vocabulary(onto).offered
    assert offered and set(offered) <= set(onto.classes)
    g = onto.graph
    ranks = [int(str(g.value(onto.classes[c].iri, ESKG.offerRank))) for c in offered]
    assert ranks == sorted(ranks)
