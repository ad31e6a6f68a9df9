"""The growth table (issue 19): synthetic data of each size, loaded from the command line
into the embedded store on disk and into Neo4j, served, and asked the three questions.

Every step runs the commands a user runs, each under ``/usr/bin/time -v`` (wall time and
peak memory of the command):

* ``eskg synthetic --triples N --output sN.nq`` (kept between runs in the work folder);
* ``eskg load --store embedded --from sN.nq --no-validate`` with ``ESKG_EMBEDDED_PATH``;
* ``eskg load --store neo4j --from sN.nq --no-validate`` into a fresh local Neo4j;
* ``eskg serve`` on each store: seconds from the command to the first 200 of ``/health``,
  then search, an entity with two levels and the flagship on a technology, cold
  (``ESKG_RESPONSE_CACHE_MB=0``), one client, p50 and p99; the resident memory of the
  serve process (and of Neo4j's JVM).

``python -m bench.scale --sizes 10k,100k,1m --work /tmp/eskg-scale`` runs and stores the
rows in ``WORK/scale.json`` (a size run again replaces its rows); ``--docs`` rewrites the
growth section of ``docs/benchmarks.md`` from that file.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from bench import http_load
from bench.neo4j_server import LocalNeo4j
from bench.query import QUERIES, variables
from cli.neo4j_runtime import free_port
from cli.synthetic import targets
from eskg.config import Settings

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "benchmarks.md"
NOTES = ROOT / "bench" / "notes.md"
HEADING = "## Growth: 10k to 10M triples from the command line (issue 19)"
BEGIN, END = "<!-- scale:begin -->", "<!-- scale:end -->"
ESKG = str(Path(sys.executable).with_name("eskg"))
ASKED = {
    "search": "search by label",
    "entity": "entity, two levels of relations",
    "flagship": "flagship: measures covering a technology",
}
SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000, "10m": 10_000_000}


def log(message: str) -> None:
    print(f"[scale] {message}", file=sys.stderr, flush=True)


def timed(cmd: list[str], env: dict[str, str], logfile: Path) -> dict[str, float]:
    """Run ``cmd`` under ``/usr/bin/time -v``; its wall seconds and peak RSS (MiB)."""
    log(" ".join(cmd))
    with logfile.open("w") as out:
        done = subprocess.run(
            ["/usr/bin/time", "-v", *cmd],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            check=False,
        )
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}); see {logfile}")
    return time_report(logfile.read_text(), logfile)


def time_report(text: str, logfile: Path) -> dict[str, float]:
    """Wall seconds, user CPU seconds and peak RSS (MiB) from ``/usr/bin/time -v``."""
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", text)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    user = re.search(r"User time \(seconds\): ([\d.]+)", text)
    assert wall and rss and user, f"no /usr/bin/time report in {logfile}"
    h, m, s = (float(x) if x else 0.0 for x in wall.groups())
    # ``eskg load`` says when the store is filled, before it counts what it holds
    filled = re.search(r"store filled in ([\d.]+) s", text)
    return {
        "fill_seconds": float(filled.group(1)) if filled else h * 3600 + m * 60 + s,
        "seconds": h * 3600 + m * 60 + s,
        "user_seconds": float(user.group(1)),
        "peak_mib": int(rss.group(1)) / 1024,
    }


def du_mib(*paths: Path) -> float:
    total = 0
    for p in paths:
        if p.is_file():
            total += p.stat().st_size
        elif p.is_dir():
            total += sum(f.stat().st_size for f in p.rglob("*") if f.is_file())
    return total / 2**20


def rss_mib(pid: int) -> float:
    """Resident memory of a process and its children (uvicorn's workers)."""
    total = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(c) for c in children.read_text().split()]
    for p in pids:
        status = Path(f"/proc/{p}/status")
        if status.exists():
            m = re.search(r"VmRSS:\s+(\d+) kB", status.read_text())
            total += int(m.group(1)) if m else 0
    return total / 1024


def cpu_seconds(pid: int) -> float:
    """User and system CPU seconds a process has used (contention does not count)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def serving(
    env: dict[str, str], logfile: Path, deadline: float = 600.0
) -> Iterator[dict[str, Any]]:
    """``eskg serve`` until the block ends; yields its URL, start-up seconds and pid."""
    port = free_port()
    started = time.perf_counter()
    out = logfile.open("w")
    proc = subprocess.Popen(
        [ESKG, "serve", "--port", str(port)], env=env, stdout=out, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    try:
        while True:
            if proc.poll() is not None:
                raise SystemExit(f"eskg serve ended ({proc.returncode}); see {logfile}")
            try:
                if httpx.get(url + "/health", timeout=1.0).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.perf_counter() - started > deadline:
                raise SystemExit(f"eskg serve not ready in {deadline} s; see {logfile}")
            time.sleep(0.02)  # poll interval of an observable condition, not a wait
        ready = time.perf_counter() - started
        yield {
            "url": url,
            "ready_seconds": ready,
            "ready_cpu": cpu_seconds(proc.pid),
            "pid": proc.pid,
        }
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        out.close()


def ask(url: str, seconds: float, max_requests: int, pid: int) -> dict[str, dict[str, float]]:
    """p50 and p99 (ms) of each asked question, one client, after a few warm-up requests,
    and the serve process's CPU ms per request (what waiting for a core does not add)."""
    out: dict[str, dict[str, float]] = {}
    tg = targets()
    for short, name in ASKED.items():
        payload = {"query": QUERIES[name][0], "variables": variables(name, tg)}
        http_load.run(url + "/graphql", payload, 1, 2.0, 5)
        cpu = cpu_seconds(pid)
        res = http_load.run(url + "/graphql", payload, 1, seconds, max_requests)
        cpu = cpu_seconds(pid) - cpu
        out[short] = {
            "p50_ms": res.pct(50) * 1000,
            "p99_ms": res.pct(99) * 1000,
            "n": len(res.latencies),
            "errors": res.errors,
            "cpu_ms": 1000 * cpu / max(1, len(res.latencies) + res.errors),
        }
        if res.errors:  # kept in the row (a timeout at scale is a finding), said here
            log(f"{short}: {res.errors} errors, the first: {res.first_error}")
    return out


def base_env(work: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(ESKG_RESPONSE_CACHE_MB="0", ESKG_CACHE_DIR=str(work / "cache"))
    for name in ("ESKG_STORE", "ESKG_EMBEDDED_PATH", "NEO4J_URI", "ESKG_WORKERS"):
        env.pop(name, None)
    return env


def data_file(work: Path, label: str, n: int) -> tuple[Path, dict[str, float]]:
    path = work / "data" / f"s{label}.nq"
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        return path, {}
    cmd = [ESKG, "synthetic", "--triples", str(n), "--output", str(path)]
    return path, timed(cmd, base_env(work), work / f"synthetic-{label}.log")


def run_embedded(work: Path, label: str, data: Path, args: argparse.Namespace) -> dict[str, Any]:
    folder = work / f"embedded-{label}"
    store = folder / "store"
    env = base_env(work) | {"ESKG_STORE": "embedded", "ESKG_EMBEDDED_PATH": str(store)}
    cmd = [ESKG, "load", "--store", "embedded", "--from", str(data), "--no-validate"]
    logfile = work / f"load-embedded-{label}.log"
    row: dict[str, Any] = {}
    if args.reuse and store.is_dir() and logfile.exists():
        log(f"reusing {store} and the report of its load in {logfile}")
        row["load"] = time_report(logfile.read_text(), logfile)
    else:
        shutil.rmtree(folder, ignore_errors=True)
        row["load"] = timed(cmd, env, logfile)
    row["disk_mib"] = du_mib(store, store.with_name("store.search.sqlite"))
    with serving(env, work / f"serve-embedded-{label}.log") as s:
        row["ready_seconds"], row["ready_cpu"] = s["ready_seconds"], s["ready_cpu"]
        row["questions"] = ask(s["url"], args.seconds, args.requests, s["pid"])
        row["serve_rss_mib"] = rss_mib(s["pid"])
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)
    return row


def run_neo4j(work: Path, label: str, data: Path, args: argparse.Namespace) -> dict[str, Any]:
    with LocalNeo4j(Settings(), heap=args.neo4j_heap, pagecache=args.neo4j_pagecache) as neo:
        env = base_env(work) | {"ESKG_STORE": "neo4j", "NEO4J_URI": neo.uri, "ESKG_WORKERS": "1"}
        env["NEO4J_PASSWORD"] = ""
        cmd = [ESKG, "load", "--store", "neo4j", "--from", str(data), "--no-validate"]
        row: dict[str, Any] = {"load": timed(cmd, env, work / f"load-neo4j-{label}.log")}
        row["disk_mib"] = du_mib(neo.cfg.home / "data")
        with serving(env, work / f"serve-neo4j-{label}.log") as s:
            row["ready_seconds"], row["ready_cpu"] = s["ready_seconds"], s["ready_cpu"]
            row["questions"] = ask(s["url"], args.seconds, args.requests, s["pid"])
            row["serve_rss_mib"] = rss_mib(s["pid"])
        assert neo.status is not None
        row["neo4j_rss_mib"] = rss_mib(neo.status.pid) if neo.status.pid else 0.0
    return row


def command_line(label: str, store: str) -> str:
    if label == "10m" and store == "embedded":  # served again from the kept store
        return (
            "eskg synthetic --triples 10000000 --output s10m.nq; ESKG_EMBEDDED_PATH=DIR "
            "/usr/bin/time -v eskg load --store embedded --from s10m.nq --no-validate; "
            "ESKG_REQUEST_TIMEOUT=400 ESKG_QUERY_TIMEOUT=400 python -m bench.scale --sizes 10m "
            "--stores embedded --reuse --keep --seconds 5 --requests 50"
        )
    if label == "10m" and store == "neo4j":  # a larger heap; the cost limit opened (below)
        return (
            "ESKG_GRAPHQL_MAX_COST=100000000 ESKG_REQUEST_TIMEOUT=400 ESKG_QUERY_TIMEOUT=400 "
            "python -m bench.scale --sizes 10m --stores neo4j --neo4j-heap 8g "
            "--neo4j-pagecache 6g  (the file of `eskg synthetic --triples 10000000 --output "
            "s10m.nq`; `eskg load --store neo4j --from s10m.nq --no-validate`; eskg serve)"
        )
    return (
        f"python -m bench.scale --sizes {label} --stores {store}  "
        f"(eskg synthetic --triples {SIZES[label]} --output s{label}.nq; "
        f"eskg load --store {store} --from s{label}.nq --no-validate; eskg serve)"
    )


def _latency(q: dict[str, float]) -> str:
    if not q["n"]:
        return f"failed ({q['errors']:.0f} of {q['errors']:.0f} requests; see the text)"
    failed = f", {q['errors']:.0f} failed" if q.get("errors") else ""
    cpu = f" (CPU {q['cpu_ms']:.1f})" if "cpu_ms" in q else ""
    return f"{q['p50_ms']:.1f} / {q['p99_ms']:.1f}{cpu}{failed}"


def render(results: dict[str, Any]) -> str:
    """The growth section of docs/benchmarks.md from the stored rows."""
    lines = [
        BEGIN,
        "",
        (
            "Written by `python -m bench.scale --docs` from its stored rows "
            "(`bench/results/scale.json`). Load: `eskg load --from FILE --no-validate` under "
            "`/usr/bin/time -v`: seconds until it says the store is filled (before its summary "
            "counts), the command's user CPU seconds and peak RSS (Neo4j's own JVM apart). "
            "Start-up: `eskg serve` to the first 200 of `/health` (and the CPU seconds it used). "
            "Questions: cold (`ESKG_RESPONSE_CACHE_MB=0`), one client, over HTTP, p50 / p99 ms "
            "and the serve process's CPU ms per request where measured (Neo4j's CPU apart). The machine's 2 cores were "
            "shared with other jobs (load average 10-25) during these runs: wall times are long "
            "against CPU times, so the user CPU seconds of each load are given too."
        ),
        "",
        (
            "| size | store | quads | load s (CPU s) | quads/s | load peak MiB | disk MiB "
            "| serve ready s (CPU s) | serve RSS MiB | search p50/p99 | entity p50/p99 | "
            "flagship p50/p99 |"
        ),
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    commands = []
    for label in SIZES:
        for store in ("embedded", "neo4j"):
            row = results.get(label, {}).get(store)
            if not row:
                continue
            q = row["questions"]
            load = row["load"]
            quads = results[label]["quads"]
            extra = f" (+JVM {row['neo4j_rss_mib']:.0f})" if row.get("neo4j_rss_mib") else ""
            fill = load.get("fill_seconds", load["seconds"])
            lines.append(
                f"| {label} | {store} | {quads:,} | {fill:.1f} "
                f"({load['user_seconds']:.1f}) | {quads / fill:,.0f} | "
                f"{load['peak_mib']:.0f} | {row['disk_mib']:.0f} | {row['ready_seconds']:.2f} "
                f"({row.get('ready_cpu', float('nan')):.2f}) | "
                f"{row['serve_rss_mib']:.0f}{extra} | "
                + " | ".join(_latency(q[k]) for k in ASKED)
                + " |"
            )
            commands.append(f"- {label} {store}: `{command_line(label, store)}`")
    lines += ["", "Commands:", "", *commands, "", END]
    return "\n".join(lines)


def write_docs(results: dict[str, Any]) -> None:
    """The section in ``bench/notes.md`` (which ``bench.run`` appends to the page it
    writes) and in ``docs/benchmarks.md`` (current now, without a full run)."""
    section = render(results)
    for path in (NOTES, DOCS):
        text = path.read_text(encoding="utf-8")
        if BEGIN in text:
            head, rest = text.split(BEGIN, 1)
            text = head + section + rest.split(END, 1)[1]
        else:
            text = text.rstrip() + "\n\n" + HEADING + "\n\n" + section + "\n"
        path.write_text(text, encoding="utf-8")


def count_lines(path: Path) -> int:
    with path.open("rb") as f:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10k,100k,1m")
    ap.add_argument("--stores", default="embedded,neo4j")
    ap.add_argument("--work", type=Path, default=Path("/tmp/eskg-scale"))
    ap.add_argument("--results", type=Path, default=ROOT / "bench" / "results" / "scale.json")
    ap.add_argument("--seconds", type=float, default=5.0, help="Per question.")
    ap.add_argument("--requests", type=int, default=300, help="At most, per question.")
    ap.add_argument("--neo4j-heap", default="4g")
    ap.add_argument("--neo4j-pagecache", default="2g")
    ap.add_argument("--keep", action="store_true", help="Keep the embedded stores.")
    ap.add_argument(
        "--reuse",
        action="store_true",
        help="Serve a kept embedded store again, with the report of the load that made it.",
    )
    ap.add_argument("--docs", action="store_true", help="Rewrite the docs section and stop.")
    args = ap.parse_args(argv)
    results: dict[str, Any] = json.loads(args.results.read_text()) if args.results.exists() else {}
    if args.docs:
        write_docs(results)
        return
    args.work.mkdir(parents=True, exist_ok=True)
    for label in args.sizes.split(","):
        data, gen = data_file(args.work, label, SIZES[label])
        entry = results.setdefault(label, {})
        entry["quads"] = count_lines(data)
        if gen:
            entry["synthetic"] = gen
        for store in args.stores.split(","):
            runner = run_embedded if store == "embedded" else run_neo4j
            entry[store] = runner(args.work, label, data, args)
            log(f"{label} {store}: {json.dumps(entry[store])}")
            args.results.parent.mkdir(parents=True, exist_ok=True)
            args.results.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
