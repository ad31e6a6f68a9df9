"""Issue 20: ``relations`` without a ``limit`` was estimated as 20.

A list field without a page size was counted at a default of 20 objects, but it returns
all of them: ``doc/meti-action-plan-2024`` has 536 relations, so nesting two such lists
cost hundreds of times its estimate. An unpaged list is now counted at the most the data
holds for that field.
"""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from rdflib import URIRef

from api.app import create_app
from api.deps import services_of
from eskg.store.base import Store
from tests.graphql_cost import estimate, post


def _busiest(store: Store) -> str:
    """The entity with the most relations (both directions) in the store's data."""
    iris = [str(r["iri"]) for r in store.rows("entities_of_class", {"class": _entity_class(store)})]
    rels = store.relations(iris)
    return max(iris, key=lambda i: len(rels.get(i, [])))


def _entity_class(store: Store) -> Any:
    return URIRef(str(store.onto.classes["Entity"].iri))


def test_relations_without_limit_count_what_the_data_holds(cost_client: TestClient) -> None:
    client = cost_client
    store = services_of(client.app).store
    busiest = _busiest(store)
    one = f'{{ entity(id:"{busiest}") {{ relations {{ target {{ id }} }} }} }}'
    two = f'{{ entity(id:"{busiest}") {{ relations {{ target {{ relations {{ target {{ id }} }} }} }} }} }}'
    answer = post(client, one)
    assert answer.status_code == 200
    real = len(answer.json()["data"]["entity"]["relations"])
    assert real > 20  # more than the old estimate of a list without a limit
    settings = services_of(client.app).settings
    low = settings.model_copy(update={"graphql_max_cost": real})
    with TestClient(create_app(low, store)) as tight:
        # one level: 1 + real targets x (1 + id) fields: refused at a limit of `real`
        assert estimate(post(tight, one)) >= 1 + 2 * real
    fits = settings.model_copy(update={"graphql_max_cost": 1 + 2 * real + 1})
    with TestClient(create_app(fits, store)) as loose:
        assert post(loose, one).status_code == 200
        assert estimate(post(loose, two)) > real * real
