// The explorer's only way to the data: the public GraphQL API at /graphql.
// Optional features (shortestPaths, ontology, asOf, relation paging) are discovered by
// introspection, so the page works against older and newer servers and on either store.

export const ENDPOINT = "/graphql";

export async function gql(query, variables = {}) {
  const response = await fetch(ENDPOINT, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  if (!response.ok) {
    let detail = "";
    try {
      const body = await response.json();
      detail = body.error || (body.errors || []).map((e) => e.message).join("; ");
    } catch { /* not JSON */ }
    throw new Error(`GraphQL request failed (${response.status}) ${detail}`.trim());
  }
  const body = await response.json();
  if (body.errors && body.errors.length) {
    throw new Error(body.errors.map((e) => e.message).join("; "));
  }
  return body.data;
}

const INTROSPECT = `{
  q: __schema { queryType { fields { name args { name } } } }
  e: __type(name: "Entity") { description possibleTypes { name description } fields { name args { name } } }
}`;

/** What this server offers, found once at start-up. */
export async function capabilities() {
  const data = await gql(INTROSPECT);
  const fields = Object.fromEntries(data.q.queryType.fields.map((f) => [f.name, f]));
  const entityFields = Object.fromEntries(data.e.fields.map((f) => [f.name, f]));
  const args = (f) => new Set((f ? f.args : []).map((a) => a.name));
  const caps = {
    possibleTypes: data.e.possibleTypes,
    shortestPaths: "shortestPaths" in fields,
    shortestPathsArgs: args(fields.shortestPaths),
    ontology: "ontology" in fields,
    vocabulary: "vocabulary" in fields,
    // root field -> whether it takes asOf
    asOf: Object.fromEntries(Object.entries(fields).map(([name, f]) => [name, args(f).has("asOf")])),
    relationPaging: args(entityFields.relations).has("limit") && "relationCount" in entityFields,
  };
  return caps;
}

// --- the ontology's vocabulary (dates, label, flagship questions) --------------------

/**
 * What the explorer reads from the server's ontology: the date properties an asOf
 * compares (start dates in order of preference, end dates), the label property, and the
 * flagship questions (root field, argument, class asked about). A server without
 * `vocabulary` gives none: the explorer then leaves time filtering to the server and
 * offers no flagship view.
 */
export async function vocabulary(caps) {
  if (!caps.vocabulary) return { start: [], end: [], label: null, flagship: [] };
  const data = await gql(
    "{ vocabulary { startDates endDates labelProperty flagship { field argument targetClass } } }");
  const v = data.vocabulary;
  return { start: v.startDates, end: v.endDates, label: v.labelProperty, flagship: v.flagship };
}

// --- the ontology's classes (legend, type filter, colours) ---------------------------

/**
 * Classes for the legend and the type filter. The root `ontology` field gives each
 * class's parents, labels and colour; an older server without it still lists the
 * classes as the GraphQL interface's possible types, and the hierarchy is then learnt
 * from entities' `types`.
 */
export async function ontologyClasses(caps) {
  if (caps.ontology) {
    const data = await gql(`{ ontology { name comment parents colour ja: label(lang: "ja") en: label(lang: "en") } }`);
    const byName = new Map(data.ontology.map((c) => [c.name, c]));
    const topOf = (name, seen = new Set()) => {
      const c = byName.get(name);
      if (!c || seen.has(name)) return name;
      seen.add(name);
      if (c.parents.includes("Entity") || !c.parents.length) return name;
      return topOf(c.parents[0], seen);
    };
    return data.ontology
      .filter((c) => c.name !== "Entity")
      .map((c) => ({ name: c.name, en: c.en || c.name, ja: c.ja || "", comment: c.comment || "", parents: c.parents, top: topOf(c.name), colour: c.colour }));
  }
  return caps.possibleTypes
    .filter((t) => t.name !== "GenericEntity")
    .map((t) => {
      // possibleTypes descriptions read "Label (ラベル): comment".
      const m = /^(.*?) \((.*?)\): (.*)$/s.exec(t.description || "");
      return { name: t.name, en: m ? m[1] : t.name, ja: m ? m[2] : "", comment: m ? m[3] : t.description || "", parents: null, top: null, colour: null };
    });
}

// --- entities ---------------------------------------------------------------------

// Kept small: the server refuses queries whose estimated cost (nested lists multiply) is
// too high, so nested levels ask for scalars (a document's url) rather than property lists.
const CITATION = `locator quote document { id label ja: label(lang: "ja") ... on Document { url } }`;
const BRIEF = `id types label ja: label(lang: "ja") properties { key value }`;
const LIGHT = `id types label ja: label(lang: "ja")`;

export const ENTITY_QUERY = `query Entity($id: ID!) { entity(id: $id) {
  id iri types label ja: label(lang: "ja") labels { value lang }
  properties { key value lang datatype }
  sources { ${CITATION} } } }`;

export async function fetchEntity(id) {
  return (await gql(ENTITY_QUERY, { id })).entity;
}

/** A page of an entity's relations (all of them when the server cannot page). */
export async function fetchRelations(caps, id, offset, limit) {
  if (caps.relationPaging) {
    const q = `query Rel($id: ID!, $o: Int!, $l: Int!) { entity(id: $id) { id relationCount
      relations(offset: $o, limit: $l) { type direction target { ${BRIEF} } sources { ${CITATION} } } } }`;
    const e = (await gql(q, { id, o: offset, l: limit })).entity;
    if (!e) return null;
    return { total: e.relationCount, relations: e.relations };
  }
  const q = `query Rel($id: ID!) { entity(id: $id) { id
    relations { type direction target { ${BRIEF} } sources { ${CITATION} } } } }`;
  const e = (await gql(q, { id })).entity;
  if (!e) return null;
  return { total: e.relations.length, relations: e.relations.slice(offset, offset + limit) };
}

export async function search(caps, text, type, limit = 12, asOf = null) {
  const vars = { t: text, l: limit };
  let sig = "$t: String!, $l: Int";
  let call = "text: $t, limit: $l";
  if (type) { sig += ", $ty: [String!]"; call += ", types: $ty"; vars.ty = [type]; }
  if (asOf && caps.asOf.search) { sig += ", $d: Date"; call += ", asOf: $d"; vars.d = asOf; }
  const q = `query Search(${sig}) { search(${call}) { ${BRIEF} } }`;
  return (await gql(q, vars)).search;
}

// --- flagship questions -------------------------------------------------------------

/** The answers of a flagship question (an entry of `vocabulary().flagship`) for an entity. */
export async function measuresCovering(caps, flagship, id, asOf = null) {
  const { field, argument: arg } = flagship;
  const useDate = asOf && caps.asOf[field];
  const q = `query Flagship($id: ID!${useDate ? ", $d: Date" : ""}) { ${field}(${arg}: $id${useDate ? ", asOf: $d" : ""}) {
    measure { ${BRIEF} } path { ${LIGHT} } sources { ${CITATION} } } }`;
  return (await gql(q, useDate ? { id, d: asOf } : { id }))[field];
}

// --- how are these connected? -------------------------------------------------------

/**
 * Shortest paths as [{ nodes: [entity], edges: [{ from, to, type, sources }] }].
 * Uses the server's shortestPaths when it has one, else a bounded breadth-first search
 * over `relations` from both ends (at most 3 hops, a few batched requests).
 */
export async function shortestPaths(caps, from, to, maxLength = 4, limit = 5) {
  if (caps.shortestPaths) {
    const q = `query Paths($f: ID!, $t: ID!) { shortestPaths(from: $f, to: $t, maxLength: ${Number(maxLength)}, limit: ${Number(limit)}) {
      path { ${LIGHT} } relations { type direction target { id } } sources { ${CITATION} } } }`;
    const found = (await gql(q, { f: from, t: to })).shortestPaths;
    return found.map((p) => ({
      nodes: p.path,
      sources: p.sources,
      edges: p.relations.map((r, i) => orientEdge(p.path[i].id, p.path[i + 1] ? p.path[i + 1].id : r.target.id, r)),
    }));
  }
  return clientShortestPaths(from, to, Math.min(maxLength, 3), limit);
}

function orientEdge(a, b, r) {
  // A relation seen from `a`: OUT means a -type-> b, IN means b -type-> a. Sources null:
  // not fetched yet (the page asks for them when the edge is opened).
  const sources = r.sources || null;
  return r.direction === "IN"
    ? { from: b, to: a, type: r.type, sources }
    : { from: a, to: b, type: r.type, sources };
}

/** The citations of one relation from -type-> to. */
export async function relationSources(from, type, to) {
  const q = `query Edge($id: ID!, $t: String!) { entity(id: $id) { relations(type: $t, direction: OUT) { target { id } sources { ${CITATION} } } } }`;
  const e = (await gql(q, { id: from, t: type })).entity;
  const r = e && e.relations.find((x) => x.target.id === to);
  return r ? r.sources : [];
}

/** An entity's relations without their sources (cheap: to find how two nodes are linked). */
export async function relationsOf(id) {
  const e = (await gql(`query Links($id: ID!) { entity(id: $id) { relations { type direction target { id } } } }`, { id })).entity;
  return e ? e.relations : [];
}

/** Entities' brief records (labels, classes, properties) in batched requests. */
export async function briefs(ids) {
  const out = new Map();
  for (let i = 0; i < ids.length; i += NODE_BATCH) {
    const chunk = ids.slice(i, i + NODE_BATCH);
    const vars = {};
    const parts = chunk.map((id, j) => { vars[`i${j}`] = id; return `n${j}: entity(id: $i${j}) { ${BRIEF} }`; });
    const sig = chunk.map((_, j) => `$i${j}: ID!`).join(", ");
    const data = await gql(`query Briefs(${sig}) { ${parts.join(" ")} }`, vars);
    chunk.forEach((id, j) => { if (data[`n${j}`]) out.set(id, data[`n${j}`]); });
  }
  return out;
}

// The server allows 30 aliases per request (each entity below is one, its "ja" label
// another) and limits the estimated cost.
const BFS_BATCH = 25;
export const NODE_BATCH = 12;
const BFS_MAX_FRONTIER = 75; // nodes expanded per level and side

async function neighbours(ids) {
  const out = new Map();
  for (let i = 0; i < ids.length; i += BFS_BATCH) {
    const chunk = ids.slice(i, i + BFS_BATCH);
    const vars = {};
    const parts = chunk.map((id, j) => { vars[`i${j}`] = id; return `n${j}: entity(id: $i${j}) { relations { type direction target { id } } }`; });
    const sig = chunk.map((_, j) => `$i${j}: ID!`).join(", ");
    const data = await gql(`query BFS(${sig}) { ${parts.join(" ")} }`, vars);
    chunk.forEach((id, j) => out.set(id, data[`n${j}`] ? data[`n${j}`].relations : []));
  }
  return out;
}

async function clientShortestPaths(from, to, maxHops, limit) {
  if (from === to) return [];
  // Bidirectional BFS keeping every shortest-path parent.
  const side = (root) => ({ dist: new Map([[root, 0]]), parents: new Map([[root, []]]), frontier: [root] });
  const A = side(from);
  const B = side(to);
  let meet = [];
  let hops = 0;
  while (hops < maxHops && !meet.length) {
    const grow = A.frontier.length <= B.frontier.length ? A : B;
    if (!grow.frontier.length) break;
    const level = grow.dist.get(grow.frontier[0]) + 1;
    const rels = await neighbours(grow.frontier.slice(0, BFS_MAX_FRONTIER));
    const next = [];
    for (const [node, list] of rels) {
      for (const r of list) {
        const other = r.target.id;
        const known = grow.dist.get(other);
        if (known === undefined) {
          grow.dist.set(other, level);
          grow.parents.set(other, [{ node, rel: r }]);
          next.push(other);
        } else if (known === level) {
          grow.parents.get(other).push({ node, rel: r });
        }
      }
    }
    grow.frontier = next;
    hops += 1;
    meet = next.filter((n) => (grow === A ? B : A).dist.has(n));
  }
  if (!meet.length) return [];
  const chains = (S, node) => {
    if (S.parents.get(node).length === 0) return [[{ id: node }]];
    const out = [];
    for (const p of S.parents.get(node)) {
      for (const c of chains(S, p.node)) out.push([...c, { id: node, via: p }]);
      if (out.length > 20) break;
    }
    return out;
  };
  const paths = [];
  for (const m of meet.sort()) {
    for (const left of chains(A, m)) {
      for (const right of chains(B, m)) {
        // left: from ... m; right: to ... m (reverse it).
        const steps = [...left];
        const rev = [...right].reverse();
        for (let k = 1; k < rev.length; k++) steps.push({ id: rev[k].id, viaBack: rev[k - 1].via });
        paths.push(steps);
        if (paths.length >= limit) break;
      }
      if (paths.length >= limit) break;
    }
    if (paths.length >= limit) break;
  }
  // Resolve labels and the sources of each edge.
  const ids = [...new Set(paths.flat().map((s) => s.id))];
  const ents = new Map();
  for (let i = 0; i < ids.length; i += NODE_BATCH) {
    const chunk = ids.slice(i, i + NODE_BATCH);
    const vars = {};
    const parts = chunk.map((id, j) => { vars[`i${j}`] = id; return `n${j}: entity(id: $i${j}) { ${LIGHT} relations { type direction target { id } } }`; });
    const sig = chunk.map((_, j) => `$i${j}: ID!`).join(", ");
    const data = await gql(`query PathNodes(${sig}) { ${parts.join(" ")} }`, vars);
    chunk.forEach((id, j) => ents.set(id, data[`n${j}`]));
  }
  return paths.map((steps) => {
    const nodes = steps.map((s) => ents.get(s.id)).filter(Boolean);
    const edges = [];
    for (let k = 1; k < steps.length; k++) {
      const a = steps[k - 1].id;
      const b = steps[k].id;
      const rel = steps[k].via ? steps[k].via.rel : steps[k].viaBack.rel;
      // rel was seen from one end; find it with its sources from a's relations.
      const seenFromA = steps[k].via ? rel : { ...rel, direction: rel.direction === "IN" ? "OUT" : "IN" };
      const full = (ents.get(a).relations || []).find((r) => r.type === seenFromA.type && r.direction === seenFromA.direction && r.target.id === b);
      edges.push(orientEdge(a, b, full || seenFromA));
    }
    return { nodes, edges, sources: null };
  });
}
