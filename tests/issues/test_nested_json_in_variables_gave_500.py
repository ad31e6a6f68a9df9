"""Issue 20: a body of 5,000 nested JSON arrays in ``variables`` gave HTTP 500.

``json.loads`` in ``api/compiled_http.py`` raised ``RecursionError`` on
``{"query": "{__typename}", "variables": [[[[...]]]]}`` and the client got ``Internal
Server Error``. A body that nests too deeply, or is not UTF-8, is now refused with 400
saying so, on both executors and both stores.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from eskg.config import Settings
from eskg.store.base import Store

DEEP_ARRAY = b"[" * 5000 + b"]" * 5000
JSON = "application/json"
IN_VARIABLES = b'{"query":"{__typename}","variables":' + DEEP_ARRAY + b"}"
NOT_UTF8 = b'{"query":"{ search(text:\\"\xff\xfe\\") { id } }"}'


@pytest.fixture(params=[True, False], ids=["compiled", "strawberry"])
def client(
    request: pytest.FixtureRequest, store_and_settings: tuple[Store, Settings]
) -> Iterator[TestClient]:
    store, settings = store_and_settings
    changed = settings.model_copy(update={"graphql_compiled": request.param})
    with TestClient(create_app(changed, store), raise_server_exceptions=False) as c:
        yield c


def test_nested_and_non_utf8_json_get_400_saying_why(client: TestClient) -> None:
    for body in (IN_VARIABLES, DEEP_ARRAY):
        answer = client.post("/graphql", content=body, headers={"content-type": JSON})
        assert answer.status_code == 400 and "nests too deeply" in answer.text
    answer = client.post("/graphql", content=NOT_UTF8, headers={"content-type": JSON})
    assert answer.status_code == 400 and "UTF-8" in answer.text
