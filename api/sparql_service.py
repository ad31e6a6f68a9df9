"""What ``GET /sparql`` without a query answers: the SPARQL 1.1 Service Description in
Turtle, RDF/XML, JSON-LD or N-Triples by ``Accept`` (or ``format=``), and for a browser
(``Accept: text/html`` preferred) a query page.

The page is one self-contained HTML document (inline script and style, no CDN, no
external request but its own POSTs to ``/sparql``), so it works on a closed network: a
textarea prefilled with the prefixes, the worked examples of ``docs/sparql-examples.md``
(the ``queries/*.rq`` files with the same example arguments, bound by ``VALUES``), and
results as a table.
"""

from __future__ import annotations

import datetime
import html
import json
import re

from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, Namespace, URIRef
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from api.conneg import NotAcceptableError, choose
from eskg.config import Settings
from eskg.describe import VOID
from eskg.ontology import DCTERMS, PREFIXES
from eskg.query_examples import EXAMPLES, PER_QUERY
from eskg.store.embedded import EmbeddedStore
from eskg.vocab import MEASURE_CLASS

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS_NS = Namespace("http://www.w3.org/ns/formats/")
ENTAILMENT_SIMPLE = URIRef("http://www.w3.org/ns/entailment/Simple")

#: Media types of the description, the first the default for ``*/*``; then the page.
DESCRIPTION_TYPES = {
    "text/turtle": "turtle",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
}
HTML = "text/html"
DESCRIPTION_NAMES = {
    "ttl": "text/turtle",
    "turtle": "text/turtle",
    "rdfxml": "application/rdf+xml",
    "rdf": "application/rdf+xml",
    "xml": "application/rdf+xml",
    "jsonld": "application/ld+json",
    "json-ld": "application/ld+json",
    "json": "application/ld+json",
    "nt": "application/n-triples",
    "html": HTML,
}
#: Result formats /sparql writes, by their W3C format IRIs (http://www.w3.org/ns/formats/).
RESULT_FORMATS = [
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "JSON-LD",
    "RDF_XML",
]


def service_graph(endpoint: str, settings: Settings, triples: int) -> Graph:
    """The Service Description of the endpoint at ``endpoint``."""
    g = Graph()
    g.bind("sd", SD)
    g.bind("void", VOID)
    g.bind("dcterms", DCTERMS)
    svc = URIRef(endpoint)
    g.add((svc, RDF.type, SD.Service))
    g.add((svc, SD.endpoint, svc))
    g.add((svc, SD.supportedLanguage, SD.SPARQL11Query))
    for name in RESULT_FORMATS:
        g.add((svc, SD.resultFormat, FORMATS_NS[name]))
    # without a dataset in the request or FROM in the query, the default graph is the
    # union of all graphs (docs/sparql.md)
    g.add((svc, SD.feature, SD.UnionDefaultGraph))
    g.add((svc, SD.defaultEntailmentRegime, ENTAILMENT_SIMPLE))
    g.add((svc, DCTERMS.title, Literal("eskg SPARQL endpoint (read-only)", lang="en")))
    g.add((svc, DCTERMS.title, Literal("eskg SPARQL エンドポイント（読み取り専用）", lang="ja")))
    dataset, default = BNode(), BNode()
    g.add((svc, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    g.add((dataset, DCTERMS.source, URIRef(settings.dataset_iri)))
    g.add((dataset, RDFS.seeAlso, URIRef(endpoint.removesuffix("/sparql") + "/.well-known/void")))
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    g.add((default, VOID.triples, Literal(triples, datatype=XSD.integer)))
    return g


def describe_service(
    request: Request, settings: Settings, base: str, store: EmbeddedStore, fmt: str | None
) -> Response:
    """The description in the negotiated format, or the query page."""
    accept = request.headers.get("accept")
    if fmt:
        media = DESCRIPTION_NAMES.get(fmt.strip().lower(), fmt.strip().lower())
        if media not in DESCRIPTION_TYPES and media != HTML:
            raise NotAcceptableError(
                f"format={fmt!r}: the service description is written as "
                + ", ".join(sorted(DESCRIPTION_NAMES))
            )
    else:
        media = choose(accept, [*DESCRIPTION_TYPES, HTML], "the service description")
    endpoint = base + "/sparql"
    headers = {"Vary": "Accept"}
    if media == HTML:
        return HTMLResponse(query_page(store, settings), headers=headers)
    g = service_graph(endpoint, settings, len(store.store))
    body = g.serialize(format=DESCRIPTION_TYPES[media], encoding="utf-8")
    return Response(body, media_type=media, headers=headers)


# ------------------------------------------------------------------ the query page


def _term(value: object) -> str:
    """A SPARQL term for an example argument."""
    if isinstance(value, datetime.date):
        return f'"{value.isoformat()}"^^<{XSD.date}>'
    if isinstance(value, URIRef):
        return f"<{value}>"
    return json.dumps(str(value), ensure_ascii=False)


def _bind(query: str, values: dict[str, str]) -> str:
    """The query with ``VALUES`` binding its parameters at the start of its WHERE block."""
    if not values:
        return query
    names = " ".join(f"?{k}" for k in values)
    row = " ".join(values.values())
    inline = f"\n  VALUES ({names}) {{ ({row}) }}"
    found = re.search(r"\bWHERE\s*\{", query, re.IGNORECASE) or re.search(r"\{", query)
    if found is None:
        return query
    return query[: found.end()] + inline + query[found.end() :]


def examples(store: EmbeddedStore, settings: Settings) -> list[dict[str, str]]:
    """Each named question with the example arguments of docs/sparql-examples.md."""
    onto, base = store.onto, settings.base_iri
    magnets = base + "material/permanent-magnets"
    out = []
    for name, files in sorted(store.queries.queries.items()):
        text = files.sparql
        present = set(re.findall(r"[?$]([A-Za-z_][A-Za-z0-9_]*)", text))
        wanted = dict.fromkeys(re.findall(r"\$([A-Za-z_][A-Za-z0-9_]*)", files.cypher))
        args: dict[str, object] = {}
        for param in wanted:
            if param in {"iris", "graphs"}:
                args.update({"iri": URIRef(magnets)} if param == "iris" else {})
                args.update({"graph": URIRef(magnets + "#record")} if param == "graphs" else {})
                continue
            if param in {"types", "limit"}:
                continue
            if param == "class":
                args[param] = URIRef(str(onto.classes[MEASURE_CLASS].iri))
                continue
            value = PER_QUERY.get(name, {}).get(param, EXAMPLES.get(param, ""))
            if value == "":
                continue
            args[param] = URIRef(base + value) if isinstance(value, str) and "/" in value else value
        if name == "citations_by_iri":
            entity = store.entities([magnets]).get(magnets)
            if entity and entity.citations:
                args = {"iri": URIRef(entity.citations[0])}
        values = {k: _term(v) for k, v in args.items() if k in present}
        out.append({"name": name, "description": files.description, "query": _bind(text, values)})
    return out


def _prologue() -> str:
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


_SCRIPT = r"""
const $ = (id) => document.getElementById(id);
const EX = JSON.parse($("examples").textContent);
const BASE = document.body.dataset.base;
for (const [i, ex] of EX.entries()) {
  const o = document.createElement("option"); o.value = i; o.textContent = ex.name; $("ex").append(o);
}
$("ex").onchange = () => {
  const ex = EX[$("ex").value]; if (!ex) return;
  $("q").value = ex.query; $("about").textContent = ex.description;
};
function cell(t) {
  const td = document.createElement("td"); if (!t) return td;
  if (t.type === "uri") {
    const a = document.createElement("a");
    a.href = t.value.startsWith(BASE) ? "/id/" + t.value.slice(BASE.length) : t.value;
    a.textContent = t.value.startsWith(BASE) ? t.value.slice(BASE.length) : t.value;
    td.append(a);
  } else {
    td.textContent = t.value;
    if (t["xml:lang"]) { const s = document.createElement("small"); s.textContent = " @" + t["xml:lang"]; td.append(s); }
  }
  return td;
}
async function run(ev) {
  ev.preventDefault();
  $("status").textContent = "…"; $("out").replaceChildren();
  const r = await fetch("sparql", { method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded",
               "Accept": "application/sparql-results+json, text/turtle;q=0.9" },
    body: "query=" + encodeURIComponent($("q").value) });
  const type = r.headers.get("content-type") || "";
  if (type.startsWith("application/sparql-results+json")) {
    const data = await r.json();
    if ("boolean" in data) { $("status").textContent = "ASK: " + data.boolean; return; }
    const table = document.createElement("table"), head = table.insertRow();
    for (const v of data.head.vars) { const th = document.createElement("th"); th.textContent = v; head.append(th); }
    for (const b of data.results.bindings) { const tr = table.insertRow(); for (const v of data.head.vars) tr.append(cell(b[v])); }
    $("out").append(table);
    $("status").textContent = data.results.bindings.length + " rows" +
      (r.headers.get("x-eskg-results-truncated") ? " (cut at the result cap)" : "");
  } else if (!r.ok) {
    let msg = await r.text(); try { msg = JSON.parse(msg).error; } catch (e) {}
    $("status").textContent = r.status + ": " + msg;
  } else {
    const pre = document.createElement("pre"); pre.textContent = await r.text(); $("out").append(pre);
    $("status").textContent = type;
  }
}
$("form").onsubmit = run;
"""

_STYLE = (
    "body{font-family:sans-serif;margin:1em auto;max-width:80em}"
    "textarea{width:100%;height:18em;font-family:monospace}"
    "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;"
    "vertical-align:top;text-align:left}#status{margin:.5em 0;color:#333}"
)


def query_page(store: EmbeddedStore, settings: Settings) -> str:
    """The self-contained query page."""
    start = _prologue() + (
        "\nSELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class }\nGROUP BY ?class ORDER BY DESC(?n)\n"
    )
    data = json.dumps(examples(store, settings), ensure_ascii=False).replace("</", "<\\/")
    e = html.escape
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        "<title>eskg SPARQL</title>"
        f"<style>{_STYLE}</style></head>"
        f'<body data-base="{e(settings.base_iri)}"><h1>eskg SPARQL (read-only)</h1>'
        "<p>SPARQL 1.1 over the knowledge graph; the default graph is the union of all graphs. "
        'Service description: <a href="sparql?format=ttl">Turtle</a>. '
        "The examples are those of docs/sparql-examples.md (each file of queries/ with its "
        "example arguments).</p>"
        '<form id="form"><label>Example: <select id="ex"><option value="">—</option></select>'
        '</label> <span id="about"></span>'
        f'<textarea id="q" name="query" spellcheck="false">{e(start)}</textarea>'
        '<button type="submit">Run</button></form><div id="status"></div><div id="out"></div>'
        f'<script type="application/json" id="examples">{data}</script>'
        f"<script>{_SCRIPT}</script></body></html>"
    )
