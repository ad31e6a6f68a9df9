"""Does the one-transaction loader take 1M triples with more Neo4j heap?

python3 -m bench.proposals.check_million [HEAP] [TRIPLES]   (default 3g, 1,000,000)

Starts a throw-away Neo4j with that heap (the transaction memory limit,
dbms.memory.transaction.total.max, defaults to 70 % of it), loads the synthetic set
with Neo4jStore.replace_all, prints the time or the error, and stops Neo4j.
"""

from __future__ import annotations

import sys
import time

from bench.load import counts
from bench.neo4j_server import LocalNeo4j
from eskg import synthetic
from eskg.config import Settings
from eskg.ontology import load_ontology
from eskg.queries import load_library
from eskg.store.neo4j import Neo4jStore
from neo4j import GraphDatabase


def main() -> None:
    heap = sys.argv[1] if len(sys.argv) > 1 else "3g"
    scale = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    settings = Settings()
    onto = load_ontology(settings.ontology_dir)
    ds = synthetic.generate(scale).dataset()
    with LocalNeo4j(settings, heap=heap) as neo:
        s = settings.model_copy(update={"neo4j_uri": neo.uri, "neo4j_password": ""})
        store = Neo4jStore(onto, load_library(settings.queries_dir), s)
        started = time.perf_counter()
        try:
            store.replace_all(ds)
            took = time.perf_counter() - started
            driver = GraphDatabase.driver(neo.uri)
            n, r = counts(driver)
            driver.close()
            print(f"heap {heap}: {len(ds)} quads loaded in {took:.1f} s "
                  f"({len(ds) / took:,.0f} triples/s); {n} nodes, {r} relationships")
        except Exception as exc:  # the finding is the error
            print(f"heap {heap}: failed after {time.perf_counter() - started:.1f} s: "
                  f"{exc.__class__.__name__}: {str(exc)[:300]}")
        finally:
            store.close()


if __name__ == "__main__":
    main()
