"""GraphQL cost in process (embedded store, seed data, no HTTP), as is or with strawberry's
ParserCache and ValidationCache added (the proposal graphql-parse-validate-cache.diff).

PYTHONPATH=. python3 bench/proposals/check_graphql_in_process.py [cache]
"""
import asyncio, time, sys
from statistics import median
import strawberry
import api.schema as sch
from strawberry.extensions import ParserCache, ValidationCache
from api.context import Context
from eskg.config import Settings
from eskg.ontology import load_ontology
from eskg.queries import load_library
from eskg.store.embedded import EmbeddedStore
from loaders.pipeline import build
from bench.query import QUERIES
s = Settings(); onto = load_ontology(s.ontology_dir)
st = EmbeddedStore(onto, load_library(s.queries_dir)); st.replace_all(build(s).compiled.dataset)
if len(sys.argv) > 1:
    orig = strawberry.Schema
    class Cached(orig):
        def __init__(self, *a, extensions=(), **k):
            super().__init__(*a, extensions=[*extensions, ParserCache(maxsize=256), ValidationCache(maxsize=256)], **k)
    sch.strawberry.Schema = Cached
schema = sch.build_schema(onto, s)
v = {"t": s.base_iri + "tech/semiconductors"}
for name in ("flagship: measures covering a technology", "search by label"):
    q = QUERIES[name][0]
    vv = {"t": "永久磁石"} if name.startswith("search") else v
    async def many(n):
        ts = []
        for _ in range(n):
            t = time.perf_counter()
            r = await schema.execute(q, variable_values=vv, context_value=Context(store=st, settings=s))
            assert not r.errors, r.errors
            ts.append(time.perf_counter() - t)
        return ts
    asyncio.run(many(5)); ts = asyncio.run(many(60))
    print(("cached " if len(sys.argv) > 1 else "as is  ") + f"{name}: in-process GraphQL p50 {median(ts)*1e3:.2f} ms")
