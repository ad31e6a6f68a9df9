"""The local Neo4j runtime, against a real server started from the cached jars.

One server runs for the module, in a temporary home on free ports, so that it never
touches the default instance (~/.cache/eskg/neo4j, ports 7687/7474). The jars come
from the shared cache and are fetched on the first run only.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from neo4j import GraphDatabase

from cli.neo4j_runtime import (
    RuntimeConfig,
    Status,
    ensure_jars,
    free_port,
    start,
    status,
    stop,
)
from eskg.errors import ConfigurationError, StoreUnavailableError

needs_java = pytest.mark.skipif(shutil.which("java") is None, reason="no Java runtime")


def _config(home: Path, **changes: object) -> RuntimeConfig:
    """The default configuration moved to ``home`` and free ports, with small memory."""
    base = RuntimeConfig.from_settings()
    defaults: dict[str, object] = {
        "home": home,
        "bolt_port": free_port(),
        "http_port": free_port(),
        "heap": "512m",
        "pagecache": "64m",
    }
    return dataclasses.replace(base, **{**defaults, **changes})  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def instance(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RuntimeConfig]:
    home = tmp_path_factory.mktemp("neo4j-home")
    cfg = _config(home, data_dir=tmp_path_factory.mktemp("neo4j-data"))
    yield cfg
    stop(cfg)


@pytest.fixture(scope="module")
def running(instance: RuntimeConfig) -> Status:
    return start(instance)


@needs_java
@pytest.mark.neo4j
def test_start_runs_neo4j_5_26_community(instance: RuntimeConfig, running: Status) -> None:
    assert running.running
    assert running.version is not None and running.version.startswith("5.26.")
    assert running.edition == "community"
    assert running.bolt_uri == f"bolt://127.0.0.1:{instance.bolt_port}"
    assert instance.pid_file.read_text().strip() == str(running.pid)
    assert instance.data_dir is not None and (instance.data_dir / "databases").is_dir()
    assert status(instance) == running


@needs_java
@pytest.mark.neo4j
def test_start_again_returns_the_running_server(instance: RuntimeConfig, running: Status) -> None:
    began = time.monotonic()
    again = start(instance)
    assert again.pid == running.pid and again.running
    assert time.monotonic() - began < 5


@needs_java
@pytest.mark.neo4j
def test_a_node_written_is_read_back(instance: RuntimeConfig, running: Status) -> None:
    iri = "https://w3id.org/eskg/id/runtime-test"
    with GraphDatabase.driver(running.bolt_uri, auth=None) as driver:
        write = "MERGE (n:RuntimeTest {iri: $iri}) SET n.label = $label"
        driver.execute_query(write, iri=iri, label="テスト")
        records, _, _ = driver.execute_query(
            "MATCH (n:RuntimeTest {iri: $iri}) RETURN n.label AS label", iri=iri
        )
        driver.execute_query("MATCH (n:RuntimeTest) DETACH DELETE n")
    assert [r["label"] for r in records] == ["テスト"]


@needs_java
@pytest.mark.neo4j
def test_browser_and_discovery_are_served(instance: RuntimeConfig, running: Status) -> None:
    page = httpx.get(f"{running.http_url}browser/", timeout=10)
    assert page.status_code == 200 and "<title>Neo4j Browser</title>" in page.text
    # The Browser connects to the advertised Bolt address: it must be ours, not 7687.
    discovery = httpx.get(running.http_url, timeout=10).json()
    assert discovery["bolt_direct"] == running.bolt_uri


@needs_java
@pytest.mark.neo4j
def test_a_port_taken_by_another_program_is_refused(
    instance: RuntimeConfig, running: Status, tmp_path: Path
) -> None:
    with pytest.raises(ConfigurationError, match=f"port {instance.bolt_port} .* in use"):
        start(_config(tmp_path / "a", bolt_port=instance.bolt_port))
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        with pytest.raises(ConfigurationError, match="ESKG_NEO4J_HTTP_PORT"):
            start(_config(tmp_path / "b", http_port=port))
    assert not (tmp_path / "b" / "run").exists()


@needs_java
@pytest.mark.neo4j
def test_stop_ends_the_server_and_is_idempotent(instance: RuntimeConfig, running: Status) -> None:
    stop(instance)
    after = status(instance)
    assert not after.running and after.pid is None and after.version is None
    assert not instance.pid_file.exists()
    assert running.pid is not None
    with pytest.raises(ProcessLookupError):
        os.kill(running.pid, 0)
    stop(instance)


def test_a_recycled_pid_is_not_taken_for_the_server(tmp_path: Path) -> None:
    cfg = _config(tmp_path)
    cfg.pid_file.parent.mkdir(parents=True)
    cfg.pid_file.write_text(f"{os.getpid()}\n")  # alive, but not a Neo4j of this home
    assert status(cfg) == Status(False, None, cfg.bolt_uri, cfg.http_url)
    stop(cfg)  # must not signal this test process
    assert not cfg.pid_file.exists()


def test_missing_maven_is_reported_with_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # neither java nor mvn on it
    cfg = _config(tmp_path / "home", jars_dir=tmp_path / "jars")
    with pytest.raises(ConfigurationError, match="Install") as raised:
        ensure_jars(cfg)
    assert "NEO4J_URI" in str(raised.value)
    assert not (cfg.lib_dir.parent / ".complete").exists()


@needs_java
@pytest.mark.neo4j
def test_a_server_dying_at_start_is_reported_with_its_log(tmp_path: Path) -> None:
    cfg = _config(tmp_path, heap="1x")  # the JVM refuses this heap size and exits
    with pytest.raises(StoreUnavailableError, match="exited during start-up") as raised:
        start(cfg)
    assert "heap size" in str(raised.value)  # the JVM's own message, from console.log
    assert not cfg.pid_file.exists()
