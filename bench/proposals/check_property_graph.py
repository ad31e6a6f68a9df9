"""Time loaders.property_graph.to_property_graph on synthetic data (before/after a patch).

PYTHONPATH=<tree> python3 -m bench.proposals.check_property_graph [TRIPLES]
"""

from __future__ import annotations

import sys
import time
from statistics import median

from eskg import synthetic
from eskg.config import Settings
from eskg.ontology import load_ontology
from loaders.property_graph import to_property_graph


def main() -> None:
    scale = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    onto = load_ontology(Settings().ontology_dir)
    ds = synthetic.generate(scale).dataset()
    runs, cpu = [], []
    for _ in range(3):
        t, c = time.perf_counter(), time.process_time()
        to_property_graph(ds, onto)
        runs.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    print(f"to_property_graph {len(ds)} quads: median {median(runs):.2f} s wall, "
          f"{median(cpu):.2f} s CPU (CPU runs {', '.join(f'{r:.2f}' for r in cpu)})")


if __name__ == "__main__":
    main()
