"""A throw-away local Neo4j for one benchmark session (like tests/conftest.py does)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Self

from cli import neo4j_runtime
from eskg.config import Settings


class LocalNeo4j:
    """Neo4j 5.26 from the cached Maven Central jars, temporary home, free ports."""

    def __init__(self, settings: Settings, heap: str | None = None, pagecache: str | None = None):
        self.tmp = tempfile.TemporaryDirectory(prefix="eskg-bench-neo4j-")
        base = neo4j_runtime.RuntimeConfig.from_settings(settings)
        self.cfg = neo4j_runtime.RuntimeConfig.scratch(
            Path(self.tmp.name),
            heap=heap or base.heap,
            pagecache=pagecache or base.pagecache,
            settings=settings,
        )
        self.status: neo4j_runtime.Status | None = None

    @property
    def uri(self) -> str:
        return self.cfg.bolt_uri

    def start(self) -> Self:
        self.status = neo4j_runtime.start(self.cfg)
        return self

    def stop(self) -> None:
        neo4j_runtime.stop(self.cfg)
        self.tmp.cleanup()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
