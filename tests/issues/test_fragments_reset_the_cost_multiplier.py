"""Issue 20: fragments reset the GraphQL cost multiplier.

The same nesting written through fragments (``...A`` -> ``...B`` -> ``...C``, each with
``relations(limit:200)``) was accepted: the estimate started each fragment afresh, so one
request ran 23.7 s (past ``ESKG_QUERY_TIMEOUT``) and grew the server by 500 MB. The cost is
now computed with the fragments expanded, so a spread costs what it would cost inline.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.graphql_cost import estimate, post

FRAGMENTS = """query { search(text:"e", limit:200) { ...A } }
fragment A on Entity { relations(limit:200) { target { ...B } } }
fragment B on Entity { relations(limit:200) { target { ...C } } }
fragment C on Entity { relations(limit:200) { target { id } } }"""


def test_fragments_do_not_reset_the_multiplier(cost_client: TestClient) -> None:
    inline = FRAGMENTS.split("\n")[0].replace(
        "...A",
        "relations(limit:200) { target { "
        "relations(limit:200) { target { relations(limit:200) { target { id } } } } } }",
    )
    assert estimate(post(cost_client, FRAGMENTS)) == estimate(post(cost_client, inline))
