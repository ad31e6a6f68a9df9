"""``eskg serve`` as a user runs it: how many processes it serves in, and that they answer
and stop together.

The process count is ``api.workers.serve_workers``: one per core on Neo4j (whose SPARQL
store every process opens read-only from disk, ``ESKG_EMBEDDED_PATH`` or not), one on the
embedded store (which lives inside its process).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from api.workers import MAX_AUTO, cores, serve_workers
from cli.neo4j_runtime import free_port
from cli.synthetic import generate
from eskg.config import Settings
from eskg.errors import ConfigurationError
from eskg.store.neo4j import Neo4jStore
from loaders.load import load
from loaders.rdf_file import load_file
from tests.polling import wait_until
from tests.served import eskg_serve

ROOT = Path(__file__).resolve().parent.parent


def test_neo4j_is_served_in_one_process_per_core(settings: Settings) -> None:
    neo4j = settings.model_copy(update={"store": "neo4j", "workers": 0})
    assert serve_workers(neo4j) == min(cores(), MAX_AUTO)
    assert serve_workers(neo4j.model_copy(update={"workers": 3})) == 3


def test_a_store_inside_the_process_is_served_by_one(settings: Settings, tmp_path: Path) -> None:
    one = settings.model_copy(update={"store": "embedded", "embedded_path": tmp_path, "workers": 0})
    assert serve_workers(one) == 1
    assert serve_workers(one.model_copy(update={"workers": 1})) == 1
    with pytest.raises(ConfigurationError, match=r"ESKG_WORKERS=2 cannot be served"):
        serve_workers(one.model_copy(update={"workers": 2}))


def test_neo4j_with_an_on_disk_sparql_store_takes_many(settings: Settings, tmp_path: Path) -> None:
    many = settings.model_copy(update={"store": "neo4j", "embedded_path": tmp_path, "workers": 3})
    assert serve_workers(many) == 3


def test_more_processes_on_the_embedded_store_are_refused_before_starting() -> None:
    env = {**os.environ, "ESKG_STORE": "embedded", "ESKG_WORKERS": "2"}
    done = subprocess.run(
        [sys.executable, "-m", "cli.main", "serve", "--port", str(free_port())],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert "ESKG_WORKERS=2 cannot be served: the embedded store" in done.stderr
    assert "Traceback" not in done.stderr


def _children(pid: int) -> set[int]:
    """Processes whose parent is ``pid`` (from /proc)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended meanwhile
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture()
def two_processes(
    loaded_neo4j: Neo4jStore, tmp_path: Path
) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    env = {
        "NEO4J_URI": loaded_neo4j.settings.neo4j_uri,
        "NEO4J_PASSWORD": "",
        "ESKG_RESPONSE_CACHE_MB": "0",
    }
    log = tmp_path / "serve.log"
    with eskg_serve(["--store", "neo4j", "--workers", "2"], env, log, 90) as (proc, url, _):
        yield proc, url


@pytest.mark.neo4j
def test_two_processes_answer_and_stop_together(
    two_processes: tuple[subprocess.Popen[bytes], str],
) -> None:
    proc, url = two_processes
    workers = _children(proc.pid)
    assert len(workers) >= 2, "uvicorn starts one child process per worker"
    query = {
        "query": '{ search(text: "永久磁石") { id } '
        'measuresCoveringMaterial(material: "material/permanent-magnets") '
        "{ measure { id } } }"
    }
    answers = []
    for _ in range(6):  # new connections: the kernel spreads them over the processes
        with httpx.Client(timeout=30) as client:
            r = client.post(f"{url}/graphql", json=query)
        assert r.status_code == 200, r.text
        answers.append(r.json())
    assert "errors" not in answers[0]
    assert answers[0]["data"]["search"] and answers[0]["data"]["measuresCoveringMaterial"]
    assert all(a == answers[0] for a in answers)
    proc.terminate()
    assert proc.wait(timeout=30) == 0
    wait_until(
        lambda: not [pid for pid in workers if _alive(pid)],
        10,
        f"the workers {workers} to end with `eskg serve` (a worker outlived it)",
    )


QUERY = {"query": "{ __typename }"}


@pytest.mark.parametrize("logged", [False, True])
def test_the_access_log_is_written_when_asked(tmp_path: Path, logged: bool) -> None:
    """Off by default (``ESKG_ACCESS_LOG``): a line per request costs throughput."""
    log = tmp_path / "serve.log"
    env = {"ESKG_STORE": "embedded", "ESKG_ACCESS_LOG": str(logged).lower()}
    with eskg_serve([], env, log, 90) as (proc, url, _):
        assert httpx.post(f"{url}/graphql", json=QUERY, timeout=30).status_code == 200
        proc.terminate()
        proc.wait(timeout=30)
    text = log.read_text()
    assert "Application startup complete" in text
    assert ('"POST /graphql HTTP/1.1" 200' in text) is logged, text


def _answer(url: str, query: str) -> dict[str, object]:
    r = httpx.post(f"{url}/graphql", json={"query": query}, timeout=30)
    assert r.status_code == 200, r.text
    data: dict[str, object] = r.json()["data"]
    return data


def test_a_served_on_disk_store_is_reopened_after_a_load_replaced_it(
    settings: Settings, tmp_path: Path
) -> None:
    """``eskg serve`` on ``ESKG_EMBEDDED_PATH`` answers from the new data once ``eskg
    load`` (from a file, or the curated data) has replaced the store, with the response
    cache on: without the reopen it kept reading the folder the load moved away."""
    synthetic_nq = tmp_path / "s.nq"
    synthetic_nq.write_text(generate(3_000).nquads(), encoding="utf-8")
    on_disk = settings.model_copy(update={"embedded_path": tmp_path / "store"})
    load_file(on_disk, ["embedded"], synthetic_nq, check=False)
    seed = '{ entity(id: "org/meti") { id } }'
    synthetic = '{ entity(id: "tech/t1") { id } }'
    env = {"ESKG_STORE": "embedded", "ESKG_EMBEDDED_PATH": str(tmp_path / "store")}
    log = tmp_path / "serve.log"
    with eskg_serve([], env, log, 90) as (_, url, _):
        assert _answer(url, synthetic)["entity"] and not _answer(url, seed)["entity"]
        assert _answer(url, seed) == {"entity": None}  # now in the response cache
        load(on_disk, ["embedded"])  # the curated data: a new folder beside, renamed in
        wait_until(
            lambda: _answer(url, seed)["entity"] is not None,
            20,
            "the served store to answer from the curated data",
            detail=log.read_text,
        )
        assert _answer(url, synthetic)["entity"] is None
        load_file(on_disk, ["embedded"], synthetic_nq, check=False)
        wait_until(
            lambda: _answer(url, seed)["entity"] is None,
            20,
            "the served store to answer from the file loaded again",
            detail=log.read_text,
        )
        assert _answer(url, synthetic)["entity"] == {"id": "tech/t1"}
