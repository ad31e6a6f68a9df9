"""The ontology linter (followthemoney's check_model) and the shapes snapshot."""

from __future__ import annotations

from rdflib import Graph
from rdflib.compare import isomorphic

from eskg.config import Settings
from eskg.ontology import Ontology, shapes_path
from eskg.shapes import build_shapes


def test_every_class_has_both_labels_and_a_comment(onto: Ontology) -> None:
    missing = [
        c.name for c in onto.classes.values() if not {"ja", "en"} <= set(c.labels) or not c.comment
    ]
    assert missing == []


def test_every_property_has_labels_comment_domain_and_range(onto: Ontology) -> None:
    bad = []
    for p in onto.properties.values():
        if not {"ja", "en"} <= set(p.labels) or not p.comment or not p.range:
            bad.append(p.name)
        if p.name != "citation" and not p.domain:
            bad.append(f"{p.name}: no domain")
        for c in p.domain + (p.range if p.is_object else ()):
            if c not in onto.classes:
                bad.append(f"{p.name}: unknown class {c}")
    assert bad == []


def test_labels_do_not_collide(onto: Ontology) -> None:
    seen: dict[tuple[str, str], str] = {}
    clashes = []
    for c in onto.classes.values():
        for lang, text in c.labels.items():
            if (lang, text) in seen:
                clashes.append((text, seen[(lang, text)], c.name))
            seen[(lang, text)] = c.name
    assert clashes == []


def test_committed_shapes_match_the_generator(onto: Ontology, settings: Settings) -> None:
    committed = Graph().parse(shapes_path(settings.ontology_dir), format="turtle")
    assert isomorphic(committed, build_shapes(onto)), "run `eskg shapes` and commit the result"


def test_every_shape_targets_an_ontology_class(onto: Ontology, settings: Settings) -> None:
    shapes = Graph().parse(shapes_path(settings.ontology_dir), format="turtle")
    targets = {
        str(o)
        for o in shapes.objects(
            None, __import__("rdflib").URIRef("http://www.w3.org/ns/shacl#targetClass")
        )
    }
    assert targets == {str(c.iri) for c in onto.classes.values()}


def test_settings_page_is_current() -> None:
    from pathlib import Path

    from cli.settings_doc import render

    page = Path(__file__).resolve().parent.parent / "docs" / "settings.md"
    assert page.read_text(encoding="utf-8") == render(), (
        "run python -m cli.settings_doc > docs/settings.md"
    )
