"""Bug 1 of docs/bad-inputs.md: a variable of the wrong type answered "Unexpected error.".

``query($l: Int) { search(text: "a", limit: $l) { id } }`` with ``{"l": "x"}``: graphql-core
sets ``original_error`` to the scalar parser's ``GraphQLError``, which ``api/schema.py``
did not count as expected, so ``MaskErrors`` hid the useful message. The coercion error now
reaches the client, with 400, on both stores.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.app import create_app
from eskg.config import Settings
from eskg.store.base import Store
from tests.test_bad_inputs import error_of, post


def test_graphql_wrong_variable_type(store_and_settings: tuple[Store, Settings]) -> None:
    store, settings = store_and_settings
    with TestClient(create_app(settings, store)) as client:
        query = 'query($l: Int) { search(text: "a", limit: $l) { id } }'
        response = post(client, query, {"l": "x"})
        assert "Variable '$l' has invalid value" in error_of(response, 400)
