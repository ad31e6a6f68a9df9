"""Statements per request and the answer, for the two-level entity query, on a running Neo4j.

PYTHONPATH=<tree> python3 bench/proposals/check_round_trips.py BOLT_URI [load]
(`load` first replaces the graph with the 10k synthetic set.)
"""
import sys, json
from bench.query import QUERIES, variables, recorded_calls, cypher_floor
from eskg import synthetic
from eskg.config import Settings
from eskg.ontology import load_ontology
from eskg.queries import load_library
from eskg.store.neo4j import Neo4jStore
from neo4j import GraphDatabase
uri = sys.argv[1]
s = Settings().model_copy(update={"neo4j_uri": uri, "neo4j_password": ""})
onto = load_ontology(s.ontology_dir)
st = Neo4jStore(onto, load_library(s.queries_dir), s)
d = synthetic.generate(10000)
if len(sys.argv) > 2:
    st.replace_all(d.dataset())
name = "entity, two levels of relations"
q = QUERIES[name][0]; v = variables(name, d.targets)
calls = recorded_calls(st, s, q, v)
drv = GraphDatabase.driver(uri, notifications_min_severity="OFF")
fl = cypher_floor(drv, calls, 3.0)
import asyncio
from api.schema import build_schema
from api.context import Context
res = asyncio.run(build_schema(onto, s).execute(q, variable_values=v, context_value=Context(store=st, settings=s)))
import hashlib
print(len(calls), [n for n, _, _ in calls], f"floor p50 {fl.p50*1e3:.2f} ms", hashlib.sha1(json.dumps(res.data, sort_keys=True).encode()).hexdigest()[:12])
