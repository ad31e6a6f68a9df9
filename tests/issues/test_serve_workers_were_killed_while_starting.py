"""`eskg serve --workers 2` on Neo4j never came up on a loaded machine (issues 18 and 19).

uvicorn (0.37 and later) pings each process it spawns and kills one that has not answered
in 5 s (`timeout_worker_healthcheck`). A spawned process imports the app before it can
answer, and on the shared 2-core machine that took longer than 5 s: the processes were
killed and restarted in a loop ("Child process [...] died"), and the server answered
nothing. `eskg serve` now gives them `ESKG_WORKER_HEALTHCHECK_SECONDS` (60 s).

Here every spawned process is held back 8 s at start (a `sitecustomize` on its path), a
slow start made certain rather than hoped for.
"""

from __future__ import annotations

import os
from pathlib import Path

from eskg.store.neo4j import Neo4jStore
from tests.served import eskg_serve

ROOT = Path(__file__).resolve().parents[2]
SLOW_START = 8.0
HOLD_BACK = f"""
import sys, time
if "--multiprocessing-fork" in sys.orig_argv:  # a process uvicorn spawned, not the parent
    time.sleep({SLOW_START})  # the scenario: a start slower than uvicorn's 5 s default
"""


def test_slow_starting_processes_are_not_killed(loaded_neo4j: Neo4jStore, tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(HOLD_BACK, encoding="utf-8")
    log = tmp_path / "serve.log"
    env = {
        "PYTHONPATH": os.pathsep.join([str(site), str(ROOT)]),
        "NEO4J_URI": loaded_neo4j.settings.neo4j_uri,
        "NEO4J_PASSWORD": "",
    }
    with eskg_serve(["--store", "neo4j", "--workers", "2"], env, log):
        text = log.read_text(errors="replace")
        assert "died" not in text, f"a process was killed while starting:\n{text[-3000:]}"
