"""Bug 2 of docs/bad-inputs.md: a lone UTF-16 surrogate in an argument gave "Unexpected error.".

JSON allows ``"\\ud800"``; Python decodes it into a ``str`` that cannot be encoded as UTF-8,
and it reached the stores: Oxigraph's ``Literal`` raised ``ValueError`` and the Neo4j
driver's packer ``UnicodeEncodeError``, both masked as ``Unexpected error.``. Such a string
is now refused saying it is not valid Unicode (or finds nothing), and nothing is written.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.app import create_app
from eskg.config import Settings
from eskg.store.base import Store
from tests.test_bad_inputs import STRING_ARGUMENTS, post, sane, size


def test_lone_surrogate_in_argument(store_and_settings: tuple[Store, Settings]) -> None:
    store, settings = store_and_settings
    with TestClient(create_app(settings, store)) as client:
        before = size(store)
        for field in ("search.text", "measuresCoveringMaterial.material", "shortestPaths.from"):
            response = post(client, STRING_ARGUMENTS[field], {"v": "\ud800x"})
            assert response.status_code in (200, 400)
            sane(field, response.json())
        assert size(store) == before
