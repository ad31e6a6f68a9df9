"""Issue 20's table, and variations of it, against a served app: cost, deadline, 5xx, memory.

    python bench/hostile_served.py --store both --write-docs
    python bench/hostile_served.py --store neo4j     # starts its own Neo4j unless NEO4J_URI

It starts ``uvicorn api.app:create_app --factory`` (one process, as ``eskg serve``, the
response cache off so that every request runs) on a free port of 127.0.0.1 and sends each
request of ``CASES`` (the issue's rows, then aliases x fragments x variables, defaults,
inline fragments, directives, operation names, GET, batches) three times, then the
issue's last row: three of the heaviest accepted requests at once beside a trivial
``entity`` request every 0.5 s. A case fails when the answer is 5xx, when it took longer
than ``ESKG_REQUEST_TIMEOUT`` (15 s) plus a second, or when it was answered with data that
holds more fields than ``ESKG_GRAPHQL_MAX_COST`` (20,000) allows: the cost counts every
field of every object the answer can hold, so an answer holding more was accepted beyond
the limit. The server's resident memory is taken before, at the peak and 10 s after.
Bounded: a fixed list of requests, loopback only, a 60 s timeout each.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from api.cost import answer_fields  # the package is installed (pip install -e .)

sys.path.insert(0, str(Path(__file__).resolve().parent))
from loadtest import Served, neo4j_instance, rss_mb, server, settled_rss, write_docs

MAX_COST = 20_000
REQUEST_TIMEOUT = 15.0
#: The heaviest request under the cost limit (as in bench/loadtest.py's fairness row).
HEAVY = (
    '{ search(text: "%s", limit: 45) { id relations(limit: 100) { type target { id label } } } }'
)
TRIVIAL = '{ entity(id: "org/meti") { id label } }'
NESTED = b"[" * 5000 + b"]" * 5000


def _aliases(n: int, body: str) -> str:
    return " ".join(
        f'a{i}: search(text:"{c}", limit:$l) {{ {body} }}' for i, c in enumerate("aeiou"[:n])
    )


def cases() -> list[tuple[str, dict[str, Any] | bytes]]:
    """(name, JSON body or raw bytes): the issue's rows first, then the variations."""
    out: list[tuple[str, dict[str, Any] | bytes]] = [
        (
            "row 1: 5,000 nested arrays in variables",
            b'{"query":"{__typename}","variables":' + NESTED + b"}",
        ),
        (
            "row 2: relations with no limit (536 on doc/meti-action-plan-2024)",
            {
                "query": '{ entity(id:"doc/meti-action-plan-2024") { relations { type target { id } } } }'
            },
        ),
        (
            "row 3: limit as a variable, l=200",
            {
                "query": 'query($l:Int){ search(text:"e", limit:$l) { relations(limit:$l) { target { '
                "relations(limit:$l) { target { id } } } } } }",
                "variables": {"l": 200},
            },
        ),
        (
            "row 4: fragments A -> B -> C, relations(limit:200) each",
            {
                "query": 'query { search(text:"e", limit:200) { ...A } } '
                "fragment A on Entity { relations(limit:200) { target { ...B } } } "
                "fragment B on Entity { relations(limit:200) { target { ...C } } } "
                "fragment C on Entity { relations(limit:200) { target { id } } }"
            },
        ),
    ]
    frag = "fragment R on Entity { relations(limit:$l) { target { ...S } } } fragment S on Entity { relations(limit:$l) { type } }"
    for n in (1, 3, 5):
        for limit in (2, 10, 50, 200):
            out.append(
                (
                    f"{n} aliases x 2 fragments x limit variable {limit}",
                    {
                        "query": f"query($l:Int){{ {_aliases(n, '...R')} }} {frag}",
                        "variables": {"l": limit},
                    },
                )
            )
    out += [
        (
            "variable default l=200, no variables sent",
            {
                "query": 'query($l:Int=200){ search(text:"e", limit:$l) { relations(limit:$l) { target { relations(limit:$l) { type } } } } }'
            },
        ),
        (
            "variable l=null (the field's default)",
            {
                "query": 'query($l:Int){ search(text:"e", limit:200) { relations(limit:$l) { target { relations(limit:$l) { type } } } } }',
                "variables": {"l": None},
            },
        ),
        (
            "inline fragments nested",
            {
                "query": '{ search(text:"e", limit:200) { ... on Entity { relations(limit:200) { target { ... on Entity { relations(limit:200) { type } } } } } } }'
            },
        ),
        (
            "@include(if:true) and @skip(if:false) around the heavy part",
            {
                "query": 'query($t:Boolean!,$f:Boolean!){ search(text:"e", limit:200) { relations(limit:200) @include(if:$t) { target { relations(limit:200) @skip(if:$f) { type } } } } }',
                "variables": {"t": True, "f": False},
            },
        ),
        (
            "relations without limit, two levels",
            {
                "query": '{ search(text:"e", limit:200) { relations { target { relations { type } } } } }'
            },
        ),
        (
            "entities page 200 with relations 200",
            {
                "query": '{ entities(type:"Entity", limit:200) { items { relations(limit:200) { target { id } } } } }'
            },
        ),
        (
            "operationName picks the heavy one of two",
            {
                "query": 'query A { __typename } query B { search(text:"e", limit:200) { relations(limit:200) { target { relations(limit:200) { type } } } } }',
                "operationName": "B",
            },
        ),
        (
            "operationName picks the cheap one of two",
            {
                "query": 'query A { __typename } query B { search(text:"e", limit:200) { relations(limit:200) { target { relations(limit:200) { type } } } } }',
                "operationName": "A",
            },
        ),
        (
            "introspection beside the heavy part (not exempt)",
            {
                "query": '{ __schema { types { name fields { name } } } search(text:"e", limit:200) { relations(limit:200) { target { relations(limit:200) { type } } } } }'
            },
        ),
        ("the heaviest accepted request", {"query": HEAVY % "e"}),
        (
            "a batch (JSON array) of two heavy requests",
            json.dumps([{"query": HEAVY % "a"}, {"query": HEAVY % "o"}]).encode(),
        ),
    ]
    return out


@dataclass
class Outcome:
    """One request's answer, as judged."""

    name: str
    status: int
    seconds: float
    fields: int
    problem: str = ""


@dataclass
class Report:
    """All outcomes of one store, the trivial requests' latencies and the memory."""

    store: str
    outcomes: list[Outcome] = field(default_factory=list)
    trivial: list[float] = field(default_factory=list)
    rss: dict[str, float] = field(default_factory=dict)


async def send(
    http: httpx.AsyncClient, name: str, body: dict[str, Any] | bytes, get: bool = False
) -> Outcome:
    started = time.perf_counter()
    try:
        if get and isinstance(body, dict):
            response = await http.get("/graphql", params={"query": body["query"]})
        elif isinstance(body, bytes):
            response = await http.post(
                "/graphql", content=body, headers={"content-type": "application/json"}
            )
        else:
            response = await http.post("/graphql", json=body)
    except httpx.HTTPError as exc:
        return Outcome(name, 0, time.perf_counter() - started, 0, f"{type(exc).__name__} {exc}")
    seconds = time.perf_counter() - started
    try:
        answer = response.json()
    except ValueError:
        answer = None
    data = answer.get("data") if isinstance(answer, dict) else None
    fields = answer_fields(data)
    problem = ""
    if response.status_code >= 500:
        problem = f"HTTP {response.status_code} {response.text[:160]}"
    elif seconds > REQUEST_TIMEOUT + 1:
        problem = f"took {seconds:.1f} s, past ESKG_REQUEST_TIMEOUT"
    elif fields > MAX_COST:
        problem = f"accepted with {fields} fields, past ESKG_GRAPHQL_MAX_COST"
    return Outcome(name, response.status_code, seconds, fields, problem)


async def trivial_loop(http: httpx.AsyncClient, stop: asyncio.Event, out: list[float]) -> None:
    while not stop.is_set():
        started = time.perf_counter()
        await http.post("/graphql", json={"query": TRIVIAL})
        out.append(time.perf_counter() - started)
        await asyncio.sleep(0.5)


async def run(served: Served, store: str) -> Report:
    report = Report(store)
    peak: list[float] = []
    async with httpx.AsyncClient(base_url=served.base, timeout=60) as http:
        await http.post("/graphql", json={"query": TRIVIAL})
        report.rss["baseline"] = await settled_rss(served.pid, 3.0)
        for name, body in cases():
            for _ in range(3):
                report.outcomes.append(await send(http, name, body))
                peak.append(rss_mb(served.pid))
            if isinstance(body, dict) and "variables" not in body and "operationName" not in body:
                report.outcomes.append(await send(http, f"{name} (GET)", body, get=True))
        stop = asyncio.Event()
        trivial = asyncio.create_task(trivial_loop(http, stop, report.trivial))
        bombs = await asyncio.gather(
            *(
                send(http, "row 5: three heaviest accepted requests at once", {"query": HEAVY % c})
                for c in "aiu"
            )
        )
        stop.set()
        await trivial
        report.outcomes += bombs
        peak.append(rss_mb(served.pid))
        report.rss["peak"] = max(peak)
        report.rss["after"] = await settled_rss(served.pid)
    return report


def markdown(report: Report, command: str) -> str:
    lines = [
        (
            f"Run `{command}` on {time.strftime('%Y-%m-%d %H:%M')}, {report.store} store, 127.0.0.1, "
            f"load average {os.getloadavg()[0]:.1f}."
        ),
        "",
        "| request | answers (status: count) | slowest s | most fields in an answer | problems |",
        "|---|---|---:|---:|---:|",
    ]
    names = list(dict.fromkeys(o.name for o in report.outcomes))
    for name in names:
        mine = [o for o in report.outcomes if o.name == name]
        statuses: dict[int, int] = {}
        for o in mine:
            statuses[o.status] = statuses.get(o.status, 0) + 1
        lines.append(
            f"| {name} | {', '.join(f'{k}: {v}' for k, v in sorted(statuses.items()))} | "
            f"{max(o.seconds for o in mine):.2f} | {max(o.fields for o in mine)} | "
            f"{sum(1 for o in mine if o.problem)} |"
        )
    bad = [o for o in report.outcomes if o.problem]
    trivial = sorted(report.trivial)
    rss = report.rss
    lines += [
        "",
        (
            f"**{len(report.outcomes)} requests, {len(bad)} problems** (5xx, past the deadline, or "
            f"accepted beyond the cost limit). Trivial requests beside row 5: {len(trivial)}, "
            f"slowest {trivial[-1] * 1000 if trivial else float('nan'):.0f} ms. Server memory (RSS): "
            f"{rss['baseline']:.0f} MB before, {rss['peak']:.0f} MB at the peak, {rss['after']:.0f} MB "
            "10 s after."
        ),
        "",
    ]
    lines += [f"- problem: {o.name}: {o.problem}" for o in bad[:20]]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--store", choices=["embedded", "neo4j", "both"], default="both")
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()
    command = " ".join(["python bench/hostile_served.py", *sys.argv[1:]])
    nocache = {"ESKG_RESPONSE_CACHE_MB": "0"}
    failed = False
    for store in ["embedded", "neo4j"] if args.store == "both" else [args.store]:
        if store == "neo4j":
            with neo4j_instance() as uri, server(store, uri, nocache) as served:
                report = asyncio.run(run(served, store))
        else:
            with server(store, None, nocache) as served:
                report = asyncio.run(run(served, store))
        text = markdown(report, command)
        print(text, flush=True)
        failed |= any(o.problem for o in report.outcomes)
        if args.write_docs:
            write_docs(f"hostile_served:{store}", text)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
