"""The competency questions on certifications, support, groups and change over time,
on both stores: over the inline data set (``tests/inline_data.py``: certified plans,
a grant under another law, a grouping whose membership changed) the answers are the
data's, and both stores give the same rows; over the bundled data they run and agree
(``tests/test_competency_questions.py`` sweeps them), and the support decisions of the
reference file answer ``cq_company_support``. Through GraphQL ``question`` too."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from rdflib import URIRef

from api.app import create_app
from eskg.config import Settings
from eskg.ontology import Ontology
from eskg.queries import load_library
from eskg.store.embedded import EmbeddedStore
from eskg.store.neo4j import Neo4jStore
from loaders.pipeline import Built
from tests.inline_data import build_inline

pytestmark = pytest.mark.neo4j
Row = dict[str, object]


@pytest.fixture(scope="module")
def inline(tmp_path_factory: pytest.TempPathFactory, settings: Settings) -> tuple[Built, Settings]:
    return build_inline(tmp_path_factory.mktemp("cq"), settings)


@pytest.fixture()
def stores(
    inline: tuple[Built, Settings], onto: Ontology, empty_neo4j: Neo4jStore
) -> tuple[EmbeddedStore, Neo4jStore, Settings]:
    built, cfg = inline
    local = EmbeddedStore(onto, load_library(cfg.queries_dir))
    local.replace_all(built.compiled.dataset)
    empty_neo4j.replace_all(built.compiled.dataset)
    return local, empty_neo4j, cfg


def ask(stores: tuple[EmbeddedStore, Neo4jStore, Settings], name: str, **params: Any) -> list[Row]:
    """The rows on both stores, required equal, with IRIs shortened to ids."""
    local, neo, cfg = stores
    typed = {k: URIRef(cfg.base_iri + v) if isinstance(v, str) else v for k, v in params.items()}
    mine = local.rows(name, typed)
    assert neo.rows(name, typed) == mine, f"{name} {params}: the stores disagree"
    return [
        {k: v.removeprefix(cfg.base_iri) if isinstance(v, str) else v for k, v in row.items()}
        for row in mine
    ]


def pick(rows: list[Row], *cols: str) -> list[tuple[object, ...]]:
    return [tuple(r[c] for c in cols) for r in rows]


def test_certified_plans_for_a_material_as_of(stores: Any) -> None:
    every = ask(stores, "cq_certified_plans_for_material", material="material/alpha")
    assert pick(every, "certification", "date", "company", "ministry", "cap", "unit") == [
        (
            "measure/cert-acme-alpha",
            "2023-04-28",
            "company/acme",
            "org/ministry-a",
            "1000000000",
            "JPY",
        )
    ]
    assert (
        ask(
            stores,
            "cq_certified_plans_for_material",
            material="material/alpha",
            asOf=date(2023, 1, 1),
        )
        == []
    )
    beta = "material/beta"
    assert (
        ask(stores, "cq_certified_plans_for_material", material=beta, asOf=date(2024, 5, 31)) == []
    )
    on = ask(stores, "cq_certified_plans_for_material", material=beta, asOf=date(2024, 6, 1))
    assert pick(on, "certification", "company", "asOf") == [
        ("measure/cert-bolt-beta", "company/bolt", "2024-06-01")
    ]


def test_everything_a_company_received_with_its_legal_basis(stores: Any) -> None:
    rows = ask(stores, "cq_company_support", company="company/bolt")
    assert pick(rows, "measure", "date", "legal_basis", "value", "kind") == [
        ("measure/grant-bolt", "2021-03-01", "law/other-act", "700000000", "subsidy"),
        ("measure/cert-bolt-beta", "2024-06-01", "law/test-act", "2500000000", "subsidy_cap"),
    ]
    acme = ask(stores, "cq_company_support", company="company/acme")
    assert pick(acme, "legal_basis", "basis_law") == [("provision/test-act-art-9", "law/test-act")]


def test_materials_without_a_certified_plan_as_of(stores: Any) -> None:
    now = ask(stores, "cq_materials_without_certification")
    assert [r["material"] for r in now] == ["material/gamma"]
    early = ask(stores, "cq_materials_without_certification", asOf=date(2023, 6, 1))
    # beta is not designated yet; alpha is certified since 2023-04-28
    assert [r["material"] for r in early] == ["material/gamma"]
    earlier = ask(stores, "cq_materials_without_certification", asOf=date(2023, 1, 1))
    assert [r["material"] for r in earlier] == ["material/alpha", "material/gamma"]
    mid = ask(stores, "cq_materials_without_certification", asOf=date(2024, 3, 1))
    assert [r["material"] for r in mid] == ["material/beta", "material/gamma"]


def test_members_of_a_group_as_of(stores: Any) -> None:
    assert pick(
        ask(stores, "cq_group_membership", group="group/club"),
        "member",
        "member_from",
        "member_until",
    ) == [
        ("country/aa", None, None),
        ("country/bb", "2023-01-01", None),
        ("country/cc", None, "2022-12-31"),
    ]
    for day, members in (
        (date(2022, 6, 1), ["country/aa", "country/cc"]),
        (date(2023, 6, 1), ["country/aa", "country/bb"]),
    ):
        for name in ("cq_group_membership", "cq_group_members"):
            rows = ask(stores, name, group="group/club", asOf=day)
            assert [r["member"] for r in rows] == members, (name, day)


def test_total_certified_support_per_material(stores: Any) -> None:
    rows = ask(stores, "cq_certified_support_by_material")
    assert pick(rows, "material", "certifications", "total_jpy") == [
        ("material/alpha", "1", "1000000000"),
        ("material/beta", "1", "2500000000"),
    ]


def test_what_changed_between_two_dates(stores: Any) -> None:
    rows = ask(
        stores, "cq_changes_between", period_start=date(2024, 1, 1), period_end=date(2025, 1, 1)
    )
    assert pick(rows, "day", "kind", "subject", "property", "object") == [
        ("2024-02-02", "designated", "material/beta", None, None),
        ("2024-02-02", "relation_starts", "measure/designation", "coversMaterial", "material/beta"),
        ("2024-05-01", "amended", "law/test-act-amendment", "amends", "law/test-act"),
        ("2024-06-01", "certified", "measure/cert-bolt-beta", None, None),
    ]
    ends = ask(
        stores, "cq_changes_between", period_start=date(2022, 12, 1), period_end=date(2023, 2, 1)
    )
    assert ("relation_ends", "country/cc", "memberOf") in pick(ends, "kind", "subject", "property")
    assert ("relation_starts", "country/bb", "memberOf") in pick(
        ends, "kind", "subject", "property"
    )


def test_certifications_by_ministry(stores: Any) -> None:
    rows = ask(stores, "cq_certifications_by_ministry")
    assert pick(rows, "ministry", "certification", "company", "covers") == [
        ("org/ministry-a", "measure/cert-acme-alpha", "company/acme", "material/alpha"),
        ("org/ministry-a", "measure/cert-acme-alpha", "company/acme", "tech/widgets"),
        ("org/ministry-b", "measure/cert-bolt-beta", "company/bolt", "material/beta"),
    ]


def test_companies_funded_for_a_technology(stores: Any) -> None:
    rows = ask(stores, "cq_companies_for_technology", technology="tech/widgets")
    assert pick(rows, "company", "measure", "via") == [
        ("company/acme", "measure/cert-acme-alpha", "material/alpha"),
        ("company/acme", "measure/cert-acme-alpha", "tech/widgets"),
        ("company/bolt", "measure/grant-bolt", "tech/widgets"),
    ]


def test_questions_through_graphql(stores: Any) -> None:
    local, _, cfg = stores
    with TestClient(create_app(cfg, local)) as client:
        listed = client.post("/graphql", json={"query": "{ questions { name optional } }"})
        by_name = {q["name"]: q["optional"] for q in listed.json()["data"]["questions"]}
        assert by_name["certified_plans_for_material"] == ["asOf"]
        query = (
            '{ question(name: "certified_plans_for_material", arguments: '
            '[{name: "material", id: "material/beta"}, {name: "asOf", date: "%s"}]) '
            "{ columns rows { value id } } }"
        )
        body = client.post("/graphql", json={"query": query % "2024-06-01"}).json()
        answer = body["data"]["question"]
        assert "asOf" not in answer["columns"]
        assert any(c["id"] == "company/bolt" for row in answer["rows"] for c in row)
        body = client.post("/graphql", json={"query": query % "2024-01-01"}).json()
        assert body["data"]["question"]["rows"] == []
        # asOf may be left out
        no_date = (
            '{ question(name: "group_members", arguments: [{name: "group", '
            'id: "group/club"}]) { rows { id } } }'
        )
        rows = client.post("/graphql", json={"query": no_date}).json()["data"]["question"]["rows"]
        assert {c["id"] for row in rows for c in row if c["id"]} >= {"country/aa", "country/cc"}


def test_support_decisions_of_the_reference_file(
    loaded_neo4j: Neo4jStore, embedded: EmbeddedStore, settings: Settings
) -> None:
    company = URIRef(settings.base_iri + "company/jasm")
    rows = embedded.rows("cq_company_support", {"company": company})
    assert loaded_neo4j.rows("cq_company_support", {"company": company}) == rows
    base = settings.base_iri
    assert {(r["measure"], r["legal_basis"]) for r in rows} >= {
        (base + "measure/support-jasm-2022", base + "law/5g-promotion-act")
    }
