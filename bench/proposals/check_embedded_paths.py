"""Where the embedded flagship time goes: the path query vs the per-graph citation look-ups.

python3 -m bench.proposals.check_embedded_paths [TRIPLES]
"""

from __future__ import annotations

import sys
import time
from statistics import median

from eskg import synthetic
from eskg.config import Settings
from eskg.ontology import load_ontology
from eskg.queries import load_library
from eskg.store.embedded import EmbeddedStore
from loaders.pipeline import build


def p50(func, n: int = 30) -> float:
    func()
    ts = []
    for _ in range(n):
        t = time.perf_counter()
        func()
        ts.append(time.perf_counter() - t)
    return median(ts) * 1e3


def main() -> None:
    s = Settings()
    onto = load_ontology(s.ontology_dir)
    scale = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    store = EmbeddedStore(onto, load_library(s.queries_dir))
    if scale:
        data = synthetic.generate(scale)
        store.replace_all(data.dataset())
        tech, mat = data.targets["technology"], data.targets["material"]
    else:
        store.replace_all(build(s).compiled.dataset)
        tech, mat = s.base_iri + "tech/semiconductors", s.base_iri + "material/permanent-magnets"
    from rdflib import URIRef

    for q, param, target in (("measures_covering_technology", "technology", tech),
                             ("measures_covering_material", "material", mat)):
        rows = store.select(q, {param: URIRef(target)})
        graphs = {r[f"g{i}"].value for r in rows for i in range(1, 4) if r.get(f"g{i}") is not None}
        main_ms = p50(lambda: store.select(q, {param: URIRef(target)}))
        cits_ms = p50(lambda: [store.select("graph_citations", {"graph": URIRef(g)}) for g in graphs])
        total = p50(lambda: store.paths(q, target))
        print(f"{q}: paths() p50 {total:.2f} ms = path query {main_ms:.2f} ms "
              f"+ {len(graphs)} graph_citations queries {cits_ms:.2f} ms ({len(rows)} rows)")


if __name__ == "__main__":
    main()
