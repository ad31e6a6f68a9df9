"""A load killed midway, or cut off by Neo4j stopping, leaves the previous graph intact;
a first load that fails midway leaves the graph empty.

The loader replaces an existing graph in one transaction, so a loader process that
dies, or a server that stops, rolls the whole load back; the next load converges to the
right counts. The big load here is the bundled data copied many times under new IRIs, so
it runs long enough to be interrupted while it writes. A first load commits in parallel
batches and deletes them again when one fails.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from neo4j.exceptions import Neo4jError

from cli import neo4j_runtime
from eskg.config import Settings
from eskg.ontology import Ontology
from eskg.queries import load_library
from eskg.store.neo4j import Neo4jStore
from eskg.store.neo4j_load import counts, replace_graph
from eskg.store.property_graph import to_property_graph
from loaders.pipeline import Built
from tests.polling import wait_until

pytestmark = pytest.mark.neo4j

BIG_LOAD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from eskg.config import Settings
    from eskg.ontology import load_ontology
    from eskg.store import open_store
    from eskg.store.neo4j_load import replace_graph
    from eskg.store.property_graph import nquads_property_graph

    settings = Settings(neo4j_uri=sys.argv[1], neo4j_password="", neo4j_batch_size=200)
    onto = load_ontology(settings.ontology_dir)
    graph = nquads_property_graph(Path(sys.argv[2]), onto)
    store = open_store(settings, "neo4j")
    print("writing", graph.node_count, flush=True)
    replace_graph(store.driver, graph, onto, settings.neo4j_database, 200)
    print("done", flush=True)
    """
)


def _big_nquads(built: Built, settings: Settings, copies: int, folder: Path) -> Path:
    """The bundled data ``copies`` times under new IRIs, as one N-Quads file."""
    text = built.compiled.dataset.serialize(format="nquads")
    path = folder / "big.nq"
    path.write_text(
        "".join(
            text.replace(settings.base_iri, f"{settings.base_iri}copy{n}/") for n in range(copies)
        ),
        encoding="utf-8",
    )
    return path


def _start_big_load(uri: str, data: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", BIG_LOAD, uri, str(data)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.startswith("writing"), line
    return proc


#: Locks held by one open transaction: the merge of a big load holds one per row it has
#: written; a schema statement or a read holds a handful at most.
WRITING_LOCKS = 1000
OPEN_WRITES = (
    "SHOW TRANSACTIONS YIELD activeLockCount WHERE activeLockCount > $locks RETURN count(*) AS n"
)


def _wait_mid_write(store: Neo4jStore, proc: subprocess.Popen[str]) -> None:
    """Until Neo4j shows the big load's transaction open with its writes under way."""

    def writing() -> bool:
        assert proc.poll() is None, "the big load ended before it was seen writing"
        with store.driver.session(database=store.settings.neo4j_database) as session:
            record = session.run(OPEN_WRITES, locks=WRITING_LOCKS).single()
        return record is not None and int(record["n"]) > 0

    wait_until(writing, 120, f"an open transaction holding over {WRITING_LOCKS} write locks")


def _snapshot(store: Neo4jStore, settings: Settings) -> tuple[tuple[int, int], object]:
    sample = store.entities([settings.base_iri + "material/permanent-magnets"])
    return counts(store.driver, settings.neo4j_database), sample


def test_killed_loader_leaves_the_previous_graph(
    loaded_neo4j: Neo4jStore, neo4j_settings: Settings, built: Built, tmp_path: Path
) -> None:
    before = _snapshot(loaded_neo4j, neo4j_settings)
    data = _big_nquads(built, neo4j_settings, 8, tmp_path)
    proc = _start_big_load(neo4j_settings.neo4j_uri, data)
    _wait_mid_write(loaded_neo4j, proc)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    # Neo4j notices the dropped connection and rolls the transaction back
    wait_until(
        lambda: _snapshot(loaded_neo4j, neo4j_settings) == before,
        30,
        "Neo4j to roll back the killed load and show the previous graph",
        detail=lambda: f"now {_snapshot(loaded_neo4j, neo4j_settings)[0]}, before {before[0]}",
    )
    assert _snapshot(loaded_neo4j, neo4j_settings) == before
    loaded_neo4j.replace_all(built.compiled.dataset)
    assert _snapshot(loaded_neo4j, neo4j_settings) == before


@pytest.fixture()
def own_neo4j(
    tmp_path: Path, settings: Settings, onto: Ontology
) -> Iterator[tuple[Neo4jStore, neo4j_runtime.RuntimeConfig]]:
    """A Neo4j of this test alone, since the test stops it."""
    cfg = neo4j_runtime.RuntimeConfig.scratch(tmp_path / "home", settings=settings)
    status = neo4j_runtime.start(cfg)
    own = settings.model_copy(update={"neo4j_uri": status.bolt_uri, "neo4j_password": ""})
    store = Neo4jStore(onto, load_library(own.queries_dir), own)
    try:
        yield store, cfg
    finally:
        store.close()
        neo4j_runtime.stop(cfg)


def test_neo4j_stopping_mid_load_keeps_the_previous_graph(
    own_neo4j: tuple[Neo4jStore, neo4j_runtime.RuntimeConfig], built: Built, tmp_path: Path
) -> None:
    store, cfg = own_neo4j
    store.replace_all(built.compiled.dataset)
    before = _snapshot(store, store.settings)
    data = _big_nquads(built, store.settings, 8, tmp_path)
    proc = _start_big_load(store.settings.neo4j_uri, data)
    _wait_mid_write(store, proc)
    neo4j_runtime.stop(cfg)
    proc.wait(timeout=120)
    assert proc.returncode != 0, "the load should fail when the server goes away"
    neo4j_runtime.start(cfg)
    store.driver.close()
    fresh = Neo4jStore(store.onto, store.queries, store.settings)
    try:
        assert _snapshot(fresh, store.settings) == before
        fresh.replace_all(built.compiled.dataset)
        assert _snapshot(fresh, store.settings) == before
    finally:
        fresh.close()


@pytest.mark.parametrize("stage", ["nodes", "relationships"])
def test_first_load_failing_midway_leaves_the_graph_empty(
    empty_neo4j: Neo4jStore, onto: Ontology, built: Built, stage: str
) -> None:
    graph = to_property_graph(built.compiled.dataset, onto)
    refused = [1, "one"]  # Neo4j stores no list of mixed types: the server refuses it
    if stage == "nodes":  # the last row of the last node group: the other batches commit
        list(graph.nodes.values())[-1][-1]["refused"] = refused
    else:  # after every node has been committed
        list(graph.relationships.values())[-1][-1]["citations"] = refused
    progress: list[str] = []
    with pytest.raises(Neo4jError, match="(?i)propert|type"):
        replace_graph(empty_neo4j.driver, graph, onto, "neo4j", 10, progress.append, rows_per_tx=20)
    assert graph.node_count > 5 * 20, "too few batches to fail midway"
    assert (stage == "relationships") == any(p.startswith("nodes created") for p in progress)
    assert counts(empty_neo4j.driver, "neo4j") == (0, 0)
