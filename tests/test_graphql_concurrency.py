"""Concurrent GraphQL requests each get their own answer: nothing per request (parsed
document, variables, validation result) leaks between requests running at once."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from api.context import Context
from api.schema import build_schema
from eskg.config import Settings
from eskg.store.embedded import EmbeddedStore

IDS = [
    "material/permanent-magnets",
    "tech/semiconductors",
    "law/espa",
    "country/jp",
    "no/such-entity",
]


def test_interleaved_requests_keep_their_own_queries_and_variables(
    settings: Settings, embedded: EmbeddedStore
) -> None:
    schema = build_schema(embedded.onto, settings)
    requests: list[tuple[str, dict[str, Any]]] = []
    for i, id_ in enumerate(IDS * 8):
        if i % 2:  # two query texts, so parse and validation caches serve both at once
            requests.append(("query Q($id: ID!) { entity(id: $id) { id } }", {"id": id_}))
        else:
            requests.append(
                ('query R($id: ID!) { entity(id: $id) { iri label(lang: "ja") } }', {"id": id_})
            )

    async def one(query: str, variables: dict[str, Any]) -> Any:
        result = await schema.execute(
            query,
            variable_values=variables,
            context_value=Context(store=embedded, settings=settings),
        )
        assert not result.errors, result.errors
        return result.data

    async def run_all(concurrently: bool) -> list[Any]:
        if concurrently:
            return list(await asyncio.gather(*(one(q, v) for q, v in requests)))
        return [await one(q, v) for q, v in requests]

    # a thread of its own: a browser test earlier in the session may leave a running loop
    with ThreadPoolExecutor(1) as pool:
        sequential = pool.submit(asyncio.run, run_all(False)).result()
        concurrent = pool.submit(asyncio.run, run_all(True)).result()
    assert concurrent == sequential
    found = [d["entity"] for d in sequential if d["entity"]]
    assert len(found) == len(requests) - 8  # every id but the unknown one
    assert all(("id" in e) != ("iri" in e) for e in found)
