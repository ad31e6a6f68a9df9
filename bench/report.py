"""Write docs/benchmarks.md from the results of one ``bench.run`` session."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from statistics import median, quantiles
from typing import Any

NOTES = Path(__file__).resolve().parent / "notes.md"


def _f(x: float | None, digits: int = 1) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return f"{x:,.{digits}f}"


def _ratio(a: float | None, b: float | None) -> float | None:
    if not a or not b or math.isnan(a) or math.isnan(b):
        return None
    return a / b


def _versus(level: dict[str, Any], key: str, figure: str) -> float | None:
    """A server's figure over the peer's at one level: the median of the ratios within
    each round when the level was measured in rounds, else the ratio of the pooled
    figures."""
    rounds = level.get("rounds")
    if not rounds:
        return _ratio(level[key][figure], level["theirs"][figure])
    within = [_ratio(r[key][figure], r["theirs"][figure]) for r in rounds]
    found = [x for x in within if x is not None]
    return median(found) if found else None


def _shown(level: dict[str, Any], key: str, figure: str, ratio: float) -> str:
    """A ratio to the peer as the targets table shows it: with the middle half of the
    rounds' ratios in brackets when the level was measured in rounds."""
    rounds = level.get("rounds") or []
    within = sorted(r[key][figure] / r["theirs"][figure] for r in rounds if r["theirs"][figure])
    if len(within) < 4:
        return f"{ratio:.2f}x"
    q1, _, q3 = quantiles(within, n=4)
    return f"{ratio:.2f}x [{q1:.2f}–{q3:.2f}]"


def _million_runs(config: dict[str, Any]) -> str:
    """How many times a run timed each loader at 1M (once, in runs before it said)."""
    n = int(config.get("million_repeats", 1))
    return "1 run" if n == 1 else f"the median of {n} runs"


def _verdict(ok: bool | None) -> str:
    return "–" if ok is None else ("**met**" if ok else "**missed**")


def _rounds_measured(q: dict[str, Any]) -> int:
    """How many rounds each level was measured in (0: one window per server)."""
    return max(
        (len(lv.get("rounds", ())) for e in q["queries"].values() for lv in e["levels"].values()),
        default=0,
    )


def write_report(
    r: dict[str, Any], out: Path | None, previous: dict[str, Any] | None = None
) -> list[tuple[str, str, bool | None]]:
    """Write the page for results ``r`` (to ``out``; only compute when None) and return the
    targets. With ``previous`` (an earlier session's results), the targets table shows
    that session's figures beside this one's, to show what reproduces."""
    lines: list[str] = []
    w = lines.append
    m = r["machine"]
    cmd = r["command"]
    w("# Benchmarks")
    w("")
    w(
        f"Written by `{cmd}` on {r['started']} ({r['mode']} mode, {r['seconds'] / 60:.1f} min); "
        "every figure below comes from that one session, the tools run side by side "
        "(interleaved) on the same Neo4j and the same data. Raw numbers: "
        f"`bench/results/{r['mode']}.json`. Rerun (after `.venv/bin/pip install -e '.[test,bench]'`): "
        "`python3 -m bench.run` (full, about 15 minutes) or `python3 -m bench.run --quick` (smaller data, a few minutes); "
        "`--report-only` rewrites this page from the saved numbers."
    )
    w("")
    w("## Machine")
    w("")
    w("| | |")
    w("|---|---|")
    w(f"| CPU | {m['cpu']}, {m['cores']} cores |")
    w(f"| memory | {m['memory']} |")
    w(f"| OS | {m['os']} |")
    w(
        f"| load average (1, 5, 15 min) before / after | "
        f"{', '.join(f'{x:.1f}' for x in m['load_before'])} / "
        f"{', '.join(f'{x:.1f}' for x in m.get('load_after', ()))} |"
    )
    w(
        f"| Python | {m['python']}; "
        + ", ".join(f"{k} {v}" for k, v in m["packages"].items())
        + " |"
    )
    w(
        f"| Node | {m['node']}; "
        + ", ".join(f"{k} {v}" for k, v in m["node_packages"].items())
        + " |"
    )
    n = r.get("neo4j", {})
    w(
        f"| Neo4j | {n.get('version')} Community (cli.neo4j_runtime, heap {n.get('heap')}, "
        f"page cache {n.get('pagecache')}, temporary home, loopback) |"
    )
    dirty = m.get("dirty")
    w(
        f"| eskg commit | {m['commit']}"
        + (f" (plus {dirty} uncommitted changed files in the tree)" if dirty else "")
        + " |"
    )
    w("")
    w(
        "The load average is the machine's, not ours: other sessions' test suites (their own "
        "Neo4j servers, browsers) shared the two cores during the session. A load average "
        "far above the number of cores means every process waited for CPU most of the time, "
        "so absolute latencies and rates here are inflated several-fold; the comparisons are "
        "interleaved and reported as medians and ratios so that both sides of each ratio met "
        "the same conditions. On a quiet machine expect smaller absolute numbers and ratios "
        "within the noise of these."
    )
    w("")

    targets: list[tuple[str, str, bool | None]] = []

    # ------------------------------------------------------------ load
    load = r.get("load")
    if load:
        w("## Load: our loader vs rdflib-neo4j, and the embedded store")
        w("")
        method = r.get("load_method") or (
            "Each run starts from an empty Neo4j without indexes or constraints, so each "
            "loader pays for its own schema; timing runs from the data in memory (an rdflib "
            "Dataset for us, its triples for rdflib-neo4j) to the commit. Ours is "
            "`Neo4jStore.replace_all` (property-graph mapping + "
            "`eskg.store.neo4j_load.replace_graph`, one transaction); rdflib-neo4j 1.1 is fed the "
            "same triples with its README configuration (batching on, batch size 5000, "
            "SHORTEN prefixes)."
        )
        w(
            f"Command: `{cmd}` (part `load`, `bench/load.py`). Data: `cli.synthetic.generate(N)` "
            f"(seed 0). What is timed (the docstring of `bench/load.py`): {method} Medians of "
            f"{r['config']['load_repeats']} runs, the tools interleaved (A B C, A B C, ...), after "
            "one untimed warm-up round at the smallest size (JIT, plan cache); "
            f"{_million_runs(r['config'])} at 1M, "
            "where rdflib-neo4j is left out when `peer_max` in `bench/run.py` says so "
            f"({r['config']['peer_max']:,}). rdflib-neo4j stores triples, so every subject "
            "becomes a node, the named-graph IRIs that carry citation links included: hence "
            "its larger node and relationship counts for the same triples."
        )
        w("")
        w(
            "| triples (quads) | tool | median s | runs (s) | triples/s | vs rdflib-neo4j | nodes / rels |"
        )
        w("|---:|---|---:|---|---:|---:|---|")
        by_scale: dict[int, dict[str, dict[str, Any]]] = {}
        for row in load:
            by_scale.setdefault(row["triples"], {})[row["tool"]] = row
        for scale, tools in sorted(by_scale.items()):
            peer = tools.get("rdflib-neo4j -> Neo4j")
            for tool, row in tools.items():
                if row["error"]:
                    w(f"| {scale:,} | {tool} | failed | – | – | – | `{row['error'][:200]}` |")
                    continue
                rate_ratio = (
                    _ratio(row["rate"], peer["rate"]) if peer and not peer["error"] else None
                )
                d = row["detail"]
                nr = (
                    f"{d.get('nodes', '–')} / {d.get('relationships', '–')}"
                    if "nodes" in d
                    else "–"
                )
                w(
                    f"| {scale:,} | {tool} | {_f(row['median'], 2)} | "
                    f"{', '.join(_f(s, 2) for s in row['seconds'])} | {_f(row['rate'], 0)} | "
                    f"{_f(rate_ratio, 2) + 'x' if rate_ratio else '–'} | {nr} |"
                )
        w("")
        w("Growth (seconds per 100k triples; flat means linear):")
        w("")
        tool_names = sorted({row["tool"] for row in load})
        w("| tool | " + " | ".join(f"{s:,}" for s in sorted(by_scale)) + " |")
        w("|---|" + "---:|" * len(by_scale))
        for tool in tool_names:
            cells = []
            for scale in sorted(by_scale):
                row = by_scale[scale].get(tool)
                if not row:
                    cells.append("–")
                elif row["error"]:
                    cells.append("failed")
                else:
                    cells.append(_f(row["median"] / scale * 100_000, 2))
            w(f"| {tool} | " + " | ".join(cells) + " |")
        w("")
        failures = [row for row in load if row["error"]]
        for row in failures:
            w(f"**{row['tool']} at {row['triples']:,} triples failed**: `{row['error']}`")
            w("")
        # targets: the largest scale where both ran
        both = [
            s
            for s, t in by_scale.items()
            if "rdflib-neo4j -> Neo4j" in t
            and not t["rdflib-neo4j -> Neo4j"]["error"]
            and not t["eskg -> Neo4j"]["error"]
        ]
        if both:
            s = max(both)
            ratio = _ratio(
                by_scale[s]["eskg -> Neo4j"]["rate"], by_scale[s]["rdflib-neo4j -> Neo4j"]["rate"]
            )
            targets.append(
                (
                    f"load ≥ 10x rdflib-neo4j's rate ({s:,} triples)",
                    f"{_f(ratio, 2)}x",
                    ratio is not None and ratio >= 10,
                )
            )
        best = [row for row in load if row["tool"] == "eskg -> Neo4j" and not row["error"]]
        if best:
            row = max(best, key=lambda x: x["triples"])
            targets.append(
                (
                    f"load ≥ 100k triples/s into Neo4j ({row['triples']:,} triples)",
                    f"{_f(row['rate'], 0)} triples/s",
                    row["rate"] >= 100_000,
                )
            )
        big = [row for row in load if row["tool"] == "eskg -> Neo4j" and row["target"] >= 1_000_000]
        for row in big:
            if row["error"]:
                targets.append(("1M triples load into Neo4j (single transaction)", "failed", False))

    # ------------------------------------------------------------ query
    q = r.get("query")
    if q:
        w("## Query: our GraphQL server vs @neo4j/graphql, with the raw Cypher floor")
        w("")
        w(
            f"Command: `{cmd}` (part `query`, `bench/query.py`). Data: {q['scale']:,} synthetic "
            "quads loaded once with our loader; both servers read the same Neo4j. Ours: "
            "`eskg serve --store neo4j` (uvicorn, in one process per core by default, so two "
            "here: `ESKG_WORKERS`, `api/workers.py`), run side by side: as "
            "configured by default (*ours*: whole responses of repeated requests come from its "
            "response cache, emptied when the data changes) and with `ESKG_RESPONSE_CACHE_MB=0` "
            "(*ours, cache off*: every request parsed, validated, executed against Neo4j and "
            "encoded; requests that read only entities, labels, literals, links and citations, "
            "as all four here do, by the compiled executor of `api/compiled_exec.py`), the same "
            "in one process (`ESKG_WORKERS=1`, *ours, cache off, one process*), and with "
            "`ESKG_GRAPHQL_COMPILED=false` as well (*ours, cache off, graphql-core executor*: "
            "every field resolved through graphql-core and strawberry, as before the compiled "
            "executor; the before/after of that change). The same server on the embedded store (Oxigraph on disk holding the same "
            "data, `ESKG_EMBEDDED_PATH`) runs beside them, with and without the cache, for the "
            "same questions. Peer: `bench/neo4j-graphql/` "
            "(@neo4j/graphql + Apollo Server on Node, one process; type definitions generated "
            "from the ontology by `python3 -m bench.neo4j_graphql_schema`, its @cypher fields "
            "embed the flagship `queries/*.cypher` unchanged; its search asks our English full-text index with the text as a Lucene query). "
            "Load: `bench/http_load.py` (keep-alive asyncio connections) on 127.0.0.1, N "
            "clients sending back to back for "
            f"{r['config']['seconds']} s after a 0.5 s warm-up. "
            + (
                f"The servers take turns in {_rounds_measured(q)} rounds (each an equal "
                "share of that time, the order reversed every other round, *ours, cache off* "
                "and the peer next to each other), and each ratio to the peer is the median "
                "of the ratios within a round, where both met the same moment of the shared "
                "machine; the p50 and req/s columns pool the rounds. "
                if _rounds_measured(q)
                else "The servers one after another. "
            )
            + "Every answer is checked for errors; all our servers give the same "
            "answer and the answer sizes match the peer's."
        )
        w("")
        w(
            "The Cypher floor replays, through the Python driver and in one session, exactly the "
            "named Cypher statements our server runs for that request when it executes it "
            "(recorded from the store), sequentially: no HTTP, no GraphQL. The overhead target "
            "compares it with *ours, cache off* (with the cache a repeated request runs no "
            "Cypher at all), in short rounds alternating the floor and our server at one "
            "client, so that both sides of each ratio meet the same moment of the shared "
            "machine; the figure is the median of the rounds' ratios."
        )
        w("")
        w(f"Targets asked about: {', '.join(f'{k} = `{v}`' for k, v in q['targets'].items())}.")
        w("")
        ratios: dict[str, list[tuple[str, str]]] = {
            "p50": [],
            "p50_cold": [],
            "thr": [],
            "thr_cold": [],
        }
        overheads = []
        for name, e in q["queries"].items():
            w(f"### {name}")
            w("")
            w(
                f"Answer sizes (ours / theirs): {e['answer_size'][0]} / {e['answer_size'][1]}. "
                f"Cypher statements per executed request (ours): {len(e['floor_statements'])} "
                f"(`{'`, `'.join(e['floor_statements'])}`)."
            )
            w("")
            w(
                "| clients | server | p50 ms | p95 ms | req/s | from cache | p50 vs @neo4j/graphql "
                "| req/s vs @neo4j/graphql |"
            )
            w("|---:|---|---:|---:|---:|---:|---:|---:|")
            for c, lv in e["levels"].items():
                for key, label in (
                    ("ours", "ours"),
                    ("ours_cold", "ours, cache off"),
                    ("ours_cold_one", "ours, cache off, one process"),
                    ("ours_general", "ours, cache off, graphql-core executor"),
                    ("embedded", "ours, embedded store"),
                    ("embedded_cold", "ours, embedded store, cache off"),
                    ("theirs", "@neo4j/graphql"),
                ):
                    o = lv.get(key)
                    if o is None:
                        continue
                    pr, tr = _versus(lv, key, "p50_ms"), _versus(lv, key, "throughput")
                    err = f" (errors: {o['errors']})" if o["errors"] else ""
                    hits = o.get("cache_hits")
                    share = (
                        f"{hits / o['n'] * 100:.0f} %"
                        if key != "theirs" and hits is not None and o["n"]
                        else "–"
                    )
                    w(
                        f"| {c} | {label}{err} | {_f(o['p50_ms'])} | {_f(o['p95_ms'])} | "
                        f"{_f(o['throughput'], 0)} | {share} | {_f(pr, 2)}x | {_f(tr, 2)}x |"
                    )
                    if key not in ("ours", "ours_cold"):
                        continue  # the targets compare the servers on the same Neo4j
                    suffix = "" if key == "ours" else "_cold"
                    if str(c) == "1" and pr:
                        ratios["p50" + suffix].append((name, _shown(lv, key, "p50_ms", pr)))
                    if str(c) == "32" and tr:
                        ratios["thr" + suffix].append((name, _shown(lv, key, "throughput", tr)))
            fl = e["floor"]
            lv1 = e["levels"].get("1") or e["levels"].get(1)
            executed = (lv1.get("ours_cold") or lv1["ours"]) if lv1 else None
            ov = _ratio(executed["p50_ms"], fl["p50_ms"]) if executed else None
            paired = e.get("overhead_paired")
            if paired:  # measured side by side with the floor: the figure the target uses
                ov_apart, ov = ov, paired["median"]
            overheads.append((name, ov))
            w("")
            general = lv1.get("ours_general") if lv1 else None
            before = ""
            if general:
                gen_ov = _ratio(general["p50_ms"], fl["p50_ms"])
                before = (
                    f" With the graphql-core executor it is {_f(gen_ov, 2)}x (statements: "
                    f"`{'`, `'.join(e.get('general_statements', []))}`)."
                )
            if paired:
                w(
                    f"Raw Cypher floor (Python driver, same statements): p50 {_f(fl['p50_ms'], 2)} "
                    f"ms, p95 {_f(fl['p95_ms'], 2)} ms. Our GraphQL at 1 client, cache off, "
                    f"measured in {paired['rounds']} rounds alternating with the floor "
                    f"({paired['seconds']} s each side): **{_f(ov, 2)}x** the floor (median of "
                    f"the rounds' ratios, {_f(min(paired['ratios']), 2)}–"
                    f"{_f(max(paired['ratios']), 2)}x; floor p50 "
                    f"{_f(median(paired['floor_p50_ms']), 2)} ms, ours "
                    f"{_f(median(paired['ours_cold_p50_ms']), 2)} ms). Our p50 from "
                    f"the table above over the floor measured after it: {_f(ov_apart, 2)}x."
                    f"{before}"
                )
            else:
                w(
                    f"Raw Cypher floor (Python driver, same statements): p50 {_f(fl['p50_ms'], 2)} "
                    f"ms, p95 {_f(fl['p95_ms'], 2)} ms; our GraphQL p50 at 1 client, cache off, "
                    f"is **{_f(ov, 2)}x** the floor.{before}"
                )
            w("")
        goals: tuple[tuple[str, str, Callable[[list[float]], bool]], ...] = (
            (
                "p50",
                "GraphQL p50 ≤ 0.5x @neo4j/graphql (1 client, every query)",
                lambda xs: max(xs) <= 0.5,
            ),
            (
                "p50_cold",
                "GraphQL p50 ≤ 0.5x @neo4j/graphql, response cache off",
                lambda xs: max(xs) <= 0.5,
            ),
            ("thr", "throughput ≥ 2x @neo4j/graphql at 32 clients", lambda xs: min(xs) >= 2),
            (
                "thr_cold",
                "throughput ≥ 2x @neo4j/graphql at 32 clients, response cache off",
                lambda xs: min(xs) >= 2,
            ),
        )
        for key, title, is_met in goals:
            if ratios[key]:
                targets.append(
                    (
                        title,
                        ", ".join(f"{n}: {x}" for n, x in ratios[key]),
                        is_met([float(x.split("x")[0]) for _, x in ratios[key]]),
                    )
                )
        if overheads:
            worst_ov = max((x for _, x in overheads if x), default=None)
            targets.append(
                (
                    "GraphQL overhead ≤ 1.3x the raw Cypher round trip (cache off)",
                    ", ".join(f"{n}: {_f(x, 2)}x" for n, x in overheads),
                    worst_ov is not None and worst_ov <= 1.3,
                )
            )

    # ------------------------------------------------------------ embedded
    emb = r.get("embedded")
    if emb:
        w("## Embedded store (Oxigraph, in process)")
        w("")
        w(
            f"Command: `{cmd}` (part `embedded`). Store calls timed in process (what a GraphQL "
            "resolver awaits): `paths()` for the flagship questions, `search()`, and "
            "`entities()` + `relations()` of the technology. Seed data: the bundled curated "
            "data; synthetic: `cli.synthetic`."
        )
        w("")
        w("| data | question | p50 ms | p95 ms | calls |")
        w("|---|---|---:|---:|---:|")
        for e in emb:
            for name, res in e["results"].items():
                w(
                    f"| {e['data']} | {name} | {_f(res['p50_ms'], 2)} | {_f(res['p95_ms'], 2)} | {res['n']} |"
                )
        w("")
        seed = emb[0]
        worst_seed = max(
            v["p50_ms"] for k, v in seed["results"].items() if k.startswith("flagship")
        )
        targets.append(
            ("embedded flagship p50 < 2 ms at seed scale", f"{worst_seed:.2f} ms", worst_seed < 2)
        )
        big = emb[-1]
        if big is not seed:
            worst_big = max(
                v["p50_ms"] for k, v in big["results"].items() if k.startswith("flagship")
            )
            targets.append(
                (
                    f"embedded flagship p50 < 20 ms at 1M triples ({big['data']})",
                    f"{worst_big:.2f} ms",
                    worst_big < 20,
                )
            )

    # ------------------------------------------------------------ serve
    srv = r.get("serve")
    if srv:
        w("## `eskg serve`: time to ready")
        w("")
        w(
            f"Command: `{cmd}` (part `serve`). From process start to the first GraphQL answer "
            "(`{ __typename }` over HTTP), median of the runs. The embedded store loads the bundled "
            "data at start (validating it, or reading the validated-data cache when the data "
            "is unchanged); the Neo4j store connects to a loaded Neo4j."
        )
        w("")
        w("| store | median s | runs (s) |")
        w("|---|---:|---|")
        for store, runs in srv.items():
            w(f"| {store} | {_f(median(runs), 2)} | {', '.join(_f(x, 2) for x in runs)} |")
        if q:
            w(f"| (peer) @neo4j/graphql server | {_f(q['ready']['neo4j_graphql'], 2)} | 1 run |")
        w("")
        for store, runs in srv.items():
            targets.append(
                (
                    f"`eskg serve --store {store}` ready < 3 s",
                    f"{median(runs):.2f} s",
                    median(runs) < 3,
                )
            )

    # ------------------------------------------------------------ targets
    if out is None:
        return targets
    head = [
        "## Targets (issue 6)",
        "",
        (
            f"Measured by `{cmd}` in this session. Our server is measured as configured by "
            "default (its response cache answers repeated requests) and with the cache off "
            "(every request executed); the evidence for each miss, the fixes made and what "
            "remains are under *Profiles, fixes, and what remains*. A ratio to the peer "
            "is the median of the ratios within each round of that level; the brackets "
            "hold the middle half of those ratios (first to third quartile), the noise "
            "of the shared machine within the session."
        ),
    ]
    if previous:
        earlier = {t: (v, ok) for t, v, ok in write_report(previous, None)}
        head += [
            "",
            (
                "The last column is the previous session of the same command "
                f"({previous['started']}, load average before "
                f"{previous['machine']['load_before'][0]:.1f}), kept in "
                f"`bench/results/{r['mode']}-previous.json`: it shows which figures "
                "reproduce."
            ),
            "",
            "| target | measured | | previous session |",
            "|---|---|---|---|",
        ]
        head += [
            f"| {t} | {v} | {_verdict(ok)} | {earlier.get(t, ('–', None))[0]} |"
            for t, v, ok in targets
        ]
    else:
        head += ["", "| target | measured | |", "|---|---|---|"]
        head += [f"| {t} | {v} | {_verdict(ok)} |" for t, v, ok in targets]
    head.append("")
    # put targets right after the machine section
    idx = (
        lines.index("## Load: our loader vs rdflib-neo4j, and the embedded store")
        if load
        else len(lines)
    )
    lines[idx:idx] = head
    if NOTES.is_file():
        lines.append(NOTES.read_text(encoding="utf-8").rstrip())
        lines.append("")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return targets
