"""Search against an entity lookup on the embedded store, side by side in one run.

For each scale, synthetic data (``eskg.synthetic``) is loaded into an in-memory embedded
store (the index is built in the load, timed with it) and these are timed in process,
in turns: ``search()`` for a few texts (the generator's target, an English prefix, a
two-character Japanese term, a one-character one) and ``entities()`` + ``relations()``
of a technology. Prints markdown rows with the command that produced them.

    python3 -m bench.search [--scales 100000 1000000] [--seconds 1.0]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import eskg
from cli import synthetic
from eskg.config import Settings
from eskg.ontology import load_ontology
from eskg.queries import load_library
from eskg.store.embedded import EmbeddedStore

#: The checkout whose code is measured (PYTHONPATH may point at another, for a before).
ROOT = Path(eskg.__file__).resolve().parent.parent


def p50_ms(call: Callable[[], object], seconds: float) -> tuple[float, int]:
    """Median milliseconds of back-to-back calls for ``seconds`` (after one warm-up)."""
    call()
    times: list[float] = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        t = time.perf_counter()
        call()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1e3, len(times)


def _calls(store: EmbeddedStore, targets: dict[str, str]) -> dict[str, Callable[[], object]]:
    """The calls timed: an entity lookup, then searches."""
    tech = targets["technology"]
    calls: dict[str, Callable[[], object]] = {
        "entity with its relations": lambda: (store.entities([tech]), store.relations([tech]))
    }
    for text in (targets["search"], "batt", "技術", "電"):
        calls[f"search {text!r}"] = partial(store.search, text, None, 20)
    return calls


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scales", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--seconds", type=float, default=1.0)
    args = ap.parse_args(argv)
    settings = Settings()
    onto = load_ontology(settings.ontology_dir)
    rev = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.strip()
    print(
        f"Command: `python3 -m bench.search --scales {' '.join(map(str, args.scales))}"
        f" --seconds {args.seconds}` on {rev} ({ROOT.name}).\n"
    )
    print("| data | load (s) | call | p50 ms | calls | results | x entity |")
    print("|---|---:|---|---:|---:|---:|---:|")
    for scale in args.scales:
        data = synthetic.generate(scale)
        nquads = data.nquads().encode("utf-8")
        store = EmbeddedStore(onto, load_library(settings.queries_dir))
        t = time.perf_counter()
        store.replace_with_nquads(nquads)
        load = time.perf_counter() - t
        calls = _calls(store, data.targets)
        timed = {name: p50_ms(call, args.seconds) for name, call in calls.items()}
        entity = timed["entity with its relations"][0]
        for name, (ms, n) in timed.items():
            found = calls[name]()
            size = len(found) if isinstance(found, list) else 1
            print(
                f"| synthetic {len(data)} quads | {load:.1f} | {name} | {ms:.2f} | {n} "
                f"| {size} | {ms / entity:.1f}x |",
                flush=True,
            )


if __name__ == "__main__":
    main()
