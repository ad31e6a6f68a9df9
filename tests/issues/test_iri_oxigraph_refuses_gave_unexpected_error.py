"""Issue 18: an id that is no IRI to Oxigraph answered "Unexpected error." on the embedded store.

When the embedded reads moved from SPARQL to Oxigraph's own pattern reads, ``ox.NamedNode``
raised ``ValueError`` on an id holding a space, a quote or a brace (the injection strings
of tests/test_bad_inputs.py), where the SPARQL reads had answered nothing; GraphQL masked
it as ``Unexpected error.``. Such an id now names nothing: no entity, no relations, no
citations, no paths, and no error.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from eskg.config import Settings
from eskg.store.embedded import EmbeddedStore

REFUSED = ["org/meti x", 'org/meti"} ?s ?p ?o {', "org/<meti>", "org/meti\nx"]


@pytest.mark.parametrize("rest", REFUSED)
def test_the_store_reads_name_nothing(
    embedded: EmbeddedStore, settings: Settings, rest: str
) -> None:
    iri = settings.base_iri + rest
    assert embedded.entities([iri]) == {}
    assert embedded.relations([iri]).get(iri, []) == []
    assert embedded.citations([iri]) == {}
    assert embedded.paths("measures_covering_material", iri) == []


@pytest.mark.parametrize("rest", REFUSED)
def test_graphql_answers_null_not_an_error(
    embedded: EmbeddedStore, settings: Settings, rest: str
) -> None:
    query = "query($id: ID!) { entity(id: $id) { id relations { type } } }"
    with TestClient(create_app(settings, embedded)) as client:
        answer = client.post("/graphql", json={"query": query, "variables": {"id": rest}})
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"data": {"entity": None}}
