"""Issue 20: a search text of 100,000 characters ran Neo4j out of heap.

``bench/fuzz_http.py --hostile`` sent ``search(text: "ああ…")`` and ``"xx…*"`` with
100,000-300,000 characters; each became one Lucene phrase or prefix term, and Neo4j (1 GB
heap) died of ``OutOfMemoryError`` in ``db.index.fulltext.queryNodes``: its Bolt server
stopped answering, and every request after it got 503. A search text is now refused past
``search_text.MAX_TEXT`` characters, by both executors and by the store itself.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from eskg.config import Settings
from eskg.errors import InvalidInputError
from eskg.search_text import MAX_TEXT
from eskg.store.base import Store


@pytest.mark.parametrize("compiled", [True, False], ids=["compiled", "strawberry"])
def test_a_search_text_past_the_bound_is_refused_saying_so(
    store_and_settings: tuple[Store, Settings], compiled: bool
) -> None:
    store, settings = store_and_settings
    changed = settings.model_copy(update={"response_cache_mb": 0, "graphql_compiled": compiled})
    query = "query($t: String!) { search(text: $t) { id } }"
    with TestClient(create_app(changed, store)) as client:
        for text in ("あ" * 100_000, "x" * 300_000, "x" * (MAX_TEXT + 1)):
            answer = client.post("/graphql", json={"query": query, "variables": {"t": text}})
            assert answer.status_code < 500, answer.text[:300]
            assert answer.json()["data"] is None
            assert f"at most {MAX_TEXT}" in answer.json()["errors"][0]["message"]
        near = client.post("/graphql", json={"query": query, "variables": {"t": "x" * MAX_TEXT}})
        assert near.status_code == 200 and "errors" not in near.json()  # up to it: searched
        found = client.post("/graphql", json={"query": '{ search(text: "磁石") { id } }'})
        assert found.status_code == 200 and found.json()["data"]["search"]  # still answering


def test_the_store_refuses_it_too(store_and_settings: tuple[Store, Settings]) -> None:
    store, _ = store_and_settings
    with pytest.raises(InvalidInputError, match=f"at most {MAX_TEXT}"):
        store.search("あ" * 100_000, None, 20)
