"""RDF -> Neo4j -> exported RDF is the validated input, quad for quad.

Our data has no blank nodes, so two datasets are equal (isomorphic) exactly when their
sorted canonical N-Quads lines are equal; the description graph is left out. Checked on
the bundled data and on a generated data set that uses every class and property of the
ontology and every kind of literal (ja/en and other language tags, dates, decimals,
booleans, integers, multi-valued properties, long texts, Unicode with emoji and
combining marks), built with the real compile + SHACL pipeline.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from rdflib import Dataset
from rdflib.compare import isomorphic

from eskg.config import Settings
from eskg.export import canonical_lines, dataset_quads, export_embedded, export_neo4j
from eskg.ontology import Ontology
from eskg.queries import load_library
from eskg.store.embedded import EmbeddedStore
from eskg.store.neo4j import Neo4jStore
from loaders.pipeline import Built, build

QUOTE = "永久磁石 🧲 café (e\u0301) か\u309a 👩\u200d🔬"
LONG = ("経済安全保障推進法に基づく特定重要物資の安定供給確保。 " * 400) + '\n\ttab "quoted" \\ end'
TEXTS = ["🧲 magnets", "e\u0301cole combining", "ｶﾀｶﾅ半角", "שלום", 'quote " and \\ backslash']
DATATYPE_VALUES: dict[str, Any] = {
    "date": dt.date(2022, 12, 20),
    "designatedOn": dt.date(2023, 1, 31),
    "enactedOn": dt.date(2022, 5, 11),
    "inForceFrom": dt.date(2024, 5, 17),
    "promulgatedOn": dt.date(1949, 12, 1),
    "validUntil": dt.date(2099, 12, 31),
    "validFrom": dt.date(2020, 4, 1),
    "datePrecision": "month",
    "status": "in_force",
    "officialEnglishLabel": False,
    "ordinal": 42,
    "approximate": True,
    "value": 0.6,
    "figureKind": "budget",
    "fiscalYear": "FY2022",
    "unit": "JPY",
    "egovLawId": "504AC0000000043",
    "lawNumber": "令和4年法律第43号",
    "articleRange": "第2条〜第5条",
    "isoCode": "JP",
    "corporateNumber": "4010001008772",
    "publisherName": "経済産業省",
    "secondarySource": True,
    "localCopy": "generated.txt",
    "note": ["short note", LONG, "Ünïcödé 🇯🇵 note"],
    "url": ["https://example.org/a?x=1&y=2", "https://例え.jp/パス"],
    "altLabel": {
        "ja": ["別名", "べつめい"],
        "en": ["alias", "another alias"],
        "ko": ["별칭"],
        "zh-Hant": ["別稱"],
    },
    "description": {"ja": ["説明文 " + QUOTE], "en": ["A description.", "Second one."]},
}
DECIMALS = [0.6, 950000000000, 0.0000001, -3.25, 12, "123456789012345678901234567890.125"]
INTEGERS = [42, 0, -7, 2**40]


def _applies(onto: Ontology, domain: tuple[str, ...], classes: list[str]) -> bool:
    return not domain or bool(set(domain) & {a for c in classes for a in onto.ancestors(c)})


def generated_records(onto: Ontology) -> list[dict[str, Any]]:
    """One record per class (one with two classes), every property used at least once."""
    doc = {
        "id": "gen/document",
        "type": "Document",
        "label": {"ja": "生成文書", "en": "Generated document"},
        "properties": {
            "localCopy": "generated.txt",
            "url": ["https://example.org/doc"],
            "publisherName": "生成省 (Ministry of Generation)",
            "secondarySource": True,
        },
    }
    records: list[dict[str, Any]] = [doc]
    cite = [
        {"document": "gen/document", "locator": "§1 見出し 🧲", "quote": QUOTE},
        {"document": "gen/document", "locator": "page"},
    ]
    classes = [c for c in sorted(onto.classes) if c not in {"Citation", "Document"}]
    typesets = [[c] for c in classes] + [["Company", "ResearchBody"]]
    for i, types in enumerate(typesets):
        rid = "gen/" + "-".join(t.lower() for t in types)
        props: dict[str, Any] = {}
        for prop in onto.datatype_properties:
            # validFrom is a relation's (on its statement graph), written below
            if prop.name in {"prefLabel", "locator", "quote", "localCopy", "validFrom"}:
                continue
            if not _applies(onto, prop.domain, types):
                continue
            props[prop.name] = DATATYPE_VALUES[prop.name]
        if "ordinal" in props:
            props["ordinal"] = INTEGERS[i % len(INTEGERS)]
        records.append(
            {
                "id": rid,
                "type": types if len(types) > 1 else types[0],
                "label": {"ja": f"{TEXTS[i % len(TEXTS)]} ラベル{i}", "en": f"Label {i} {QUOTE}"},
                "properties": props,
                "sources": cite[: 1 + i % 2],
            }
        )
    for n, number in enumerate(DECIMALS):  # more figures: every kind of decimal
        records.append(
            {
                "id": f"gen/figure-{n}",
                "type": "Figure",
                "label": {"ja": f"数値{n}", "en": f"Figure {n}"},
                "properties": {"value": number, "unit": "share", "approximate": n % 2 == 0},
                "sources": cite[:1],
            }
        )
    by_id = {r["id"]: r for r in records}

    def types_of(rid: str) -> list[str]:
        t = by_id[rid]["type"]
        return t if isinstance(t, list) else [t]

    for prop in onto.object_properties:
        if prop.name in {"citation", "document"}:
            continue
        subjects = [
            r for r in by_id if r != "gen/document" and _applies(onto, prop.domain, types_of(r))
        ]
        targets = [r for r in by_id if _applies(onto, prop.range, types_of(r))]
        assert subjects and targets, prop.name
        s = subjects[0]
        rels = by_id[s].setdefault("relations", {})
        chosen = [t for t in targets if t != s][:2] or targets[:1]
        rels[prop.name] = [chosen[0], {"target": chosen[-1], "sources": [cite[1]]}]
        if prop.name == "memberOf":  # a relation that holds for a time, both bounds
            rels[prop.name][1].update(
                validFrom=dt.date(2020, 1, 1), validUntil=dt.date(2024, 3, 31)
            )
        if prop.name == "coversMaterial":  # one bound only
            rels[prop.name][1].update(validFrom=dt.date(2024, 2, 2))
    # an extension record: adds a relation to a record defined above, with its own source
    records.append(
        {
            "id": "gen/measure",
            "relations": {"concerns": "gen/risk"},
            "sources": [{"document": "gen/document", "locator": "extension"}],
        }
    )
    return records


@pytest.fixture(scope="module")
def generated(
    tmp_path_factory: pytest.TempPathFactory, settings: Settings, onto: Ontology
) -> tuple[Built, Settings]:
    root = tmp_path_factory.mktemp("generated")
    (root / "data").mkdir()
    (root / "sources").mkdir()
    (root / "sources" / "generated.txt").write_text(f"本文: {QUOTE}\n", encoding="utf-8")
    text = yaml.safe_dump(generated_records(onto), allow_unicode=True, sort_keys=False)
    (root / "data" / "generated.yaml").write_text(text, encoding="utf-8")
    cfg = settings.model_copy(update={"sources_dir": root / "sources"})
    return build(cfg, root / "data"), cfg


def test_generated_uses_every_term(generated: tuple[Built, Settings], onto: Ontology) -> None:
    ds = generated[0].compiled.dataset
    used = {str(p) for _, p, _, _ in ds.quads((None, None, None, None))}
    used |= {str(o) for _, p, o, _ in ds.quads((None, None, None, None)) if str(p).endswith("type")}
    missing = [p.name for p in onto.properties.values() if str(p.iri) not in used]
    missing += [c.name for c in onto.classes.values() if str(c.iri) not in used]
    assert not missing
    kinds = {getattr(o, "datatype", None) for _, _, o, _ in ds.quads((None, None, None, None))}
    langs = {getattr(o, "language", None) for _, _, o, _ in ds.quads((None, None, None, None))}
    xsd = "http://www.w3.org/2001/XMLSchema#"
    assert {f"{xsd}{k}" for k in ("date", "decimal", "boolean", "integer", "anyURI")} <= {
        str(k) for k in kinds
    }
    assert {"ja", "en", "ko", "zh-Hant"} <= langs


def _assert_same(expected: Dataset, got: list[Any]) -> None:
    want = canonical_lines(dataset_quads(expected))
    have = canonical_lines(got)
    missing, extra = sorted(set(want) - set(have)), sorted(set(have) - set(want))
    assert not missing and not extra, (
        f"{len(missing)} quads lost, {len(extra)} quads added; first lost: {missing[:3]}; "
        f"first added: {extra[:3]}"
    )


def _isomorphic_per_graph(expected: Dataset, got: list[Any]) -> None:
    """The rdflib comparison, graph by graph, on top of the canonical one."""
    back = Dataset()
    for s, p, o, g in got:
        back.add((s, p, o, g) if g is not None else (s, p, o))
    names = {str(g.identifier) for g in expected.graphs()} | {
        str(g.identifier) for g in back.graphs()
    }
    for name in sorted(names):
        assert isomorphic(expected.graph(name), back.graph(name)), name


@pytest.mark.neo4j
def test_bundled_data_round_trips_through_neo4j(
    loaded_neo4j: Neo4jStore, built: Built, settings: Settings
) -> None:
    dump = export_neo4j(loaded_neo4j, settings)
    _assert_same(built.compiled.dataset, dump.quads)
    _isomorphic_per_graph(built.compiled.dataset, dump.quads)


@pytest.mark.neo4j
def test_generated_data_round_trips_through_neo4j(
    empty_neo4j: Neo4jStore, generated: tuple[Built, Settings]
) -> None:
    built, cfg = generated
    empty_neo4j.replace_all(built.compiled.dataset)
    dump = export_neo4j(empty_neo4j, cfg)
    _assert_same(built.compiled.dataset, dump.quads)
    _isomorphic_per_graph(built.compiled.dataset, dump.quads)


def test_generated_data_round_trips_through_embedded(
    generated: tuple[Built, Settings], onto: Ontology
) -> None:
    built, cfg = generated
    store = EmbeddedStore(onto, load_library(cfg.queries_dir))
    store.replace_all(built.compiled.dataset)
    _assert_same(built.compiled.dataset, export_embedded(store, cfg).quads)


def test_bundled_data_round_trips_through_embedded(
    embedded: EmbeddedStore, built: Built, settings: Settings
) -> None:
    _assert_same(built.compiled.dataset, export_embedded(embedded, settings).quads)


@pytest.mark.parametrize(
    "fmt,rdflib_format", [("nq", "nquads"), ("trig", "trig"), ("jsonld", "json-ld")]
)
def test_dump_files_parse_back_to_the_input(
    generated: tuple[Built, Settings],
    onto: Ontology,
    fmt: str,
    rdflib_format: str,
    tmp_path: Path,
) -> None:
    built, cfg = generated
    store = EmbeddedStore(onto, load_library(cfg.queries_dir))
    store.replace_all(built.compiled.dataset)
    dump = export_embedded(store, cfg)
    parsed = Dataset()
    parsed.parse(data=dump.serialize(fmt), format=rdflib_format)
    got = dataset_quads(parsed, skip_graphs=[str(dump.description_graph)])
    _assert_same(built.compiled.dataset, got)
