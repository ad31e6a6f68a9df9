"""The offline limit: ``neo4j-admin database import full`` on the data ``eskg load`` writes.

``python -m bench.neo4j_import FILE.nq --work DIR`` maps the N-Quads to the same property
graph our online loader writes (``nquads_property_graph``, the rows of
``neo4j_create.node_groups`` / ``rel_groups``), writes it as the import tool's CSV files
(one node file per label set, one relationship file per type, typed headers), then runs
the import tool from the cached jars (as ``cli.neo4j_runtime`` runs the server) into a
scratch home, under ``/usr/bin/time -v``. It prints the seconds of the mapping and CSV
writing, and of the import itself. The import makes no constraint or index (our loader
makes the IRI constraint and the search indexes as it writes): the ratio is against a
store that still needs its indexes.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cli import neo4j_runtime
from eskg.config import Settings
from eskg.ontology import load_ontology
from eskg.store.neo4j_create import node_groups, rel_groups
from eskg.store.property_graph import gc_paused, nquads_property_graph

ARRAY = "\x1f"  # no text of ours holds U+001F
ADMIN_CLASS = "org.neo4j.cli.AdminTool"
#: Relationship rows per CSV file (one file per type and chunk; neo4j-admin reads them all).
CSV_ROWS = 1_000_000


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
        return "double"
    if isinstance(value, dt.date) or type(value).__name__ == "Date":
        return "date"
    return "string"


def _header(rows: list[dict[str, Any]], skip: tuple[str, ...]) -> list[tuple[str, str]]:
    """(key, import type) of every property the rows hold, arrays as ``type[]``."""
    kinds: dict[str, str] = {}
    for row in rows:
        for key, value in row.items():
            if key in skip or value is None or key in kinds:
                continue
            if isinstance(value, list):
                kinds[key] = (_kind(value[0]) if value else "string") + "[]"
            else:
                kinds[key] = _kind(value)
    return sorted(kinds.items())


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ARRAY.join(_cell(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    assert ARRAY not in text
    return text


def write_csv(nquads: Path, folder: Path) -> tuple[list[str], float, int, int]:
    """The import tool's arguments for the CSV files written; seconds, nodes, rels."""
    start = time.perf_counter()
    onto = load_ontology(Settings().ontology_dir)
    with gc_paused():
        pg = nquads_property_graph(nquads, onto)
    folder.mkdir(parents=True, exist_ok=True)
    args: list[str] = []
    nodes = rels = 0
    for i, (labels, rows) in enumerate(node_groups(pg)):
        header = _header(rows, ("iri",))
        path = folder / f"nodes-{i}.csv"
        with path.open("w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["iri:ID", *(f"{k}:{t}" for k, t in header), ":LABEL"])
            label_cell = ";".join(labels)
            for row in rows:
                w.writerow([row["iri"], *(_cell(row.get(k)) for k, _ in header), label_cell])
        nodes += len(rows)
        args.append(f"--nodes={path}")
    for i, (rel_type, rows) in enumerate(rel_groups(pg, str, CSV_ROWS)):
        header = _header(rows, ("s", "o"))
        path = folder / f"rels-{i}.csv"
        with path.open("w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow([":START_ID", ":END_ID", *(f"{k}:{t}" for k, t in header), ":TYPE"])
            for row in rows:
                w.writerow([row["s"], row["o"], *(_cell(row.get(k)) for k, _ in header), rel_type])
        rels += len(rows)
        args.append(f"--relationships={path}")
    return args, time.perf_counter() - start, nodes, rels


def _time_report(text: str) -> Iterator[tuple[str, str]]:
    for line in text.splitlines():
        if ":" in line and line.startswith("\t"):
            key, _, value = line.strip().rpartition(": ")
            yield key, value


def run_import(csv_args: list[str], work: Path, heap: str) -> dict[str, Any]:
    """``neo4j-admin database import full`` into a scratch home; its time report."""
    cfg = neo4j_runtime.RuntimeConfig.scratch(work / "home", heap=heap, settings=Settings())
    lib = neo4j_runtime.ensure_jars(cfg)
    conf = work / "home" / "conf"
    conf.mkdir(parents=True, exist_ok=True)
    (conf / "neo4j.conf").write_text(neo4j_runtime._conf(cfg))  # the server's conf
    env = dict(os.environ, NEO4J_HOME=str(cfg.home), NEO4J_CONF=str(conf))
    cmd = [
        "/usr/bin/time",
        "-v",
        "java",
        f"-Xmx{heap}",
        "-Dfile.encoding=UTF-8",
        "-cp",
        f"{lib}/*",
        ADMIN_CLASS,
        "database",
        "import",
        "full",
        "neo4j",  # the database, before the file lists (they take many values)
        "--overwrite-destination=true",
        f"--array-delimiter={ARRAY}",
        "--id-type=string",
        "--multiline-fields=true",
        f"--report-file={work / 'import.report'}",
        "--threads=2",
        *csv_args,
    ]
    log = work / "import.log"
    with log.open("w") as out:
        done = subprocess.run(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, check=False)
    report = dict(_time_report(log.read_text()))
    return {"exit": done.returncode, "log": str(log), **report}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("nquads", type=Path)
    ap.add_argument("--work", type=Path, default=Path("/tmp/eskg-import"))
    ap.add_argument("--heap", default="4g")
    args = ap.parse_args(argv)
    csv_args, seconds, nodes, rels = write_csv(args.nquads, args.work / "csv")
    print(f"mapped and wrote CSV in {seconds:.1f} s: {nodes} nodes, {rels} relationships")
    result = run_import(csv_args, args.work, args.heap)
    result.update(csv_seconds=seconds, nodes=nodes, relationships=rels)
    print(json.dumps(result, indent=1))
    sys.exit(0 if result["exit"] == 0 else 1)


if __name__ == "__main__":
    main()
