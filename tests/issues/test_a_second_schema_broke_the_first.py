"""Issue 18: building a second GraphQL schema broke the first one.

The generated entity types lived in module-level registries (``ENTITY_TYPES``,
``FIELD_SPECS``, ``RELATION_FIELDS`` in ``api/types.py``) that every ``build_schema``
cleared and filled again. A schema built for another ontology (one without ``Law``, say)
left the first schema's resolvers without a type for its laws: asking the first for a law
answered ``Unexpected error.``. Each schema now carries its own immutable ``EntityTypes``.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from rdflib import Graph, URIRef

from api.context import Context
from api.schema import build_schema
from eskg.config import Settings
from eskg.ontology import ESKG, Ontology, parse_ontology
from eskg.store.embedded import EmbeddedStore

LAW = "Law"


def _without_class(onto: Ontology, name: str) -> Ontology:
    g = Graph()
    for t in onto.graph:
        if t[0] != ESKG[name]:
            g.add(t)
    return parse_ontology(g)


def test_a_schema_for_another_ontology_leaves_the_first_whole(
    onto: Ontology, settings: Settings, embedded: EmbeddedStore
) -> None:
    first = build_schema(onto, settings)
    other = _without_class(onto, LAW)
    assert LAW not in other.classes
    build_schema(other, settings)
    rows = embedded.rows("entities_of_class", {"class": URIRef(str(onto.classes[LAW].iri))})
    assert rows, "the bundled data has laws"
    iri = str(rows[0]["iri"])
    run = first.execute(
        "query Q($id: ID!) { entity(id: $id) { __typename iri } }",
        variable_values={"id": iri},
        context_value=Context(store=embedded, settings=settings),
    )
    # a thread of its own: a browser test earlier in the session may leave a running loop
    with ThreadPoolExecutor(1) as pool:
        result = pool.submit(asyncio.run, run).result()
    assert result.errors is None, result.errors
    assert result.data == {"entity": {"__typename": LAW, "iri": iri}}
