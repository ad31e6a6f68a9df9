"""A Java client: Apache Jena's ``QueryExecutionHTTP`` with its default HTTP client (Java's
``java.net.http.HttpClient``) runs SELECT, ASK and CONSTRUCT against the served
``/sparql`` by GET, by POST form and by POST body (``tests/java/JenaClient.java``).

Jena is the one ``tests/test_jena.py`` fetches from Maven Central. Java's HttpClient asks
for HTTP/2 on every request (``Upgrade: h2c``); until the HTTP layer keeps a body sent with
that header (issue 17, part 2), the POSTs lose their query and are expected to fail.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from eskg.config import Settings
from eskg.store.embedded import EmbeddedStore
from tests.served import serving
from tests.test_jena import ensure_jena

SOURCE = Path(__file__).parent / "java" / "JenaClient.java"
MODES = ["asGetAlways", "asPostForm", "asPost"]


@pytest.fixture(scope="module")
def runs(settings: Settings, embedded: EmbeddedStore) -> Iterator[dict[tuple[str, str], str]]:
    missing = [tool for tool in ("java", "mvn") if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"Apache Jena needs {' and '.join(missing)} on PATH (not found)")
    lib = ensure_jena()
    with serving(settings, embedded) as url:
        done = subprocess.run(
            ["java", "-cp", f"{lib}/*", str(SOURCE), url + "/sparql"],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    assert done.returncode == 0, done.stderr[-3000:]
    out: dict[tuple[str, str], str] = {}
    for line in done.stdout.splitlines():
        kind, mode, rest = line.split(" ", 2)
        out[(kind, mode)] = rest
    yield out


def expected_count(embedded: EmbeddedStore, kind: str) -> int:
    q = (
        "PREFIX eskg: <https://w3id.org/eskg/ontology#> PREFIX skos: "
        "<http://www.w3.org/2004/02/skos/core#> SELECT (COUNT(*) AS ?n) WHERE { "
        "?m a eskg:SpecifiedCriticalMaterial ; skos:prefLabel ?l "
        + ('FILTER(lang(?l) = "ja") }' if kind == "SELECT" else "}")
    )
    row = next(iter(embedded.store.query(q, use_default_graph_as_union=True)))  # type: ignore[arg-type]
    return int(row["n"].value)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("kind", ["SELECT", "ASK", "CONSTRUCT"])
def test_jena_query_execution_http(
    runs: dict[tuple[str, str], str],
    embedded: EmbeddedStore,
    kind: str,
    mode: str,
) -> None:
    result = runs[(kind, mode)]
    assert result.startswith("OK "), result
    count = int(result.split()[1])
    assert count == (1 if kind == "ASK" else expected_count(embedded, kind)), result
