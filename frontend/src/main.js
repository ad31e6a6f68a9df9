// eskg explorer: search, graph, side panel, paths, time filter, flagship views.
// Everything comes from the public GraphQL API (see api.js); the state of the view is
// kept in the address so a link reopens the same view.

import cytoscape from "cytoscape";
import * as api from "./api.js";
import { ClassIndex } from "./classes.js";

const PAGE = 30; // neighbours shown per expansion; the rest behind a "more" control
// What the explorer reads from the server's ontology: the date properties an asOf
// compares, the label property and the flagship questions (api.vocabulary).
let VOCAB = { start: [], end: [], label: null, flagship: [] };
/** The flagship question that asks about an entity of these types, if any. */
const flagshipFor = (types) => VOCAB.flagship.find((f) => (types || []).includes(f.targetClass)) || null;
const $ = (id) => document.getElementById(id);

const state = {
  caps: null,
  classes: null,
  root: null, // id the graph started from
  selected: null, // selected node id
  edge: null, // selected edge id
  expanded: new Map(), // node id -> { loaded, total }
  view: "details",
  asOf: "",
  lang: "ja",
  from: "",
  to: "",
  entities: new Map(), // id -> brief entity {id, types, label, ja, properties}
  restoring: false,
  nav: 0, // bumped by each navigation; a slower earlier one stops when it sees a newer one
};

let cy = null;

// --- helpers -------------------------------------------------------------------------

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

function labelOf(e, lang = state.lang) {
  if (!e) return "";
  return (lang === "ja" ? e.ja || e.label : e.label || e.ja) || e.id;
}

function otherLabel(e) {
  const other = state.lang === "ja" ? e.label : e.ja;
  return other && other !== labelOf(e) ? other : "";
}

function prop(e, key) {
  return ((e && e.properties) || []).filter((p) => p.key === key).map((p) => p.value);
}

/** When an entity started to apply or happened (same preference as the server's asOf). */
function startDate(e) {
  for (const k of VOCAB.start) {
    for (const v of prop(e, k)) if (/^\d{4}-\d{2}-\d{2}/.test(v)) return v.slice(0, 10);
  }
  return null;
}

function appliesOn(e, day) {
  if (!day || !e) return true;
  const begun = startDate(e);
  if (begun && begun > day) return false;
  for (const k of VOCAB.end) {
    for (const v of prop(e, k)) if (/^\d{4}-\d{2}-\d{2}/.test(v) && v.slice(0, 10) < day) return false;
  }
  return true;
}

function status(text, kind = "") {
  const s = $("status");
  s.textContent = text;
  s.className = `status ${kind}`;
}

function report(err) {
  console.error(err);
  status(`Error: ${err.message || err}`, "error");
}

function debounce(fn, ms) {
  let t = null;
  return (...args) => { clearTimeout(t); t = setTimeout(() => fn(...args), ms); };
}

function remember(e) {
  if (!e || !e.id) return;
  const prev = state.entities.get(e.id) || {};
  state.entities.set(e.id, { ...prev, ...e });
  state.classes.learn(e.types);
}

function edgeId(from, type, to) {
  return `${from}|${type}|${to}`;
}

// --- address ---------------------------------------------------------------------------

function writeAddress() {
  if (state.restoring) return;
  const p = new URLSearchParams();
  if (state.root) p.set("e", state.root);
  if (state.selected && state.selected !== state.root) p.set("s", state.selected);
  const x = [...state.expanded.entries()]
    .filter(([id]) => id !== state.root || state.expanded.get(id).loaded > PAGE)
    .map(([id, v]) => (v.loaded > PAGE ? `${id}@${v.loaded}` : id));
  if (x.length) p.set("x", x.join(","));
  if (state.edge) p.set("edge", state.edge);
  if (state.asOf) p.set("d", state.asOf);
  if (state.view !== "details") p.set("v", state.view);
  if (state.lang !== "ja") p.set("lang", state.lang);
  if (state.from) p.set("from", state.from);
  if (state.to) p.set("to", state.to);
  const q = p.toString();
  history.replaceState(null, "", q ? `?${q}` : location.pathname);
}

// --- graph ------------------------------------------------------------------------------

function initGraph() {
  cy = cytoscape({
    container: $("graph"),
    minZoom: 0.15,
    maxZoom: 3,
    boxSelectionEnabled: false,
    style: [
      { selector: "node", style: {
        "background-color": "data(colour)", label: "data(label)", color: "#1b1b1b",
        "font-size": 11, "font-family": "Noto Sans CJK JP, Noto Sans JP, Hiragino Sans, Yu Gothic, Meiryo, sans-serif",
        "text-valign": "bottom", "text-margin-y": 4, "text-wrap": "ellipsis", "text-max-width": 130,
        "text-background-color": "#ffffff", "text-background-opacity": 0.8, "text-background-padding": 1,
        width: 22, height: 22, "border-width": 1, "border-color": "#ffffff",
      } },
      { selector: "node.root", style: { width: 34, height: 34, "border-width": 3, "border-color": "#111", "font-weight": "bold", "font-size": 13 } },
      { selector: "node.expanded", style: { "border-width": 2, "border-color": "#333" } },
      { selector: "node.more", style: {
        shape: "round-rectangle", "background-color": "#f3f4f6", "border-color": "#9ca3af", "border-width": 1,
        "border-style": "dashed", width: 64, height: 20, label: "data(label)", "text-valign": "center",
        "text-margin-y": 0, "font-size": 10, color: "#374151", "text-background-opacity": 0,
      } },
      { selector: "edge", style: {
        width: 1.5, "line-color": "#b6bcc6", "target-arrow-color": "#b6bcc6", "target-arrow-shape": "triangle",
        "curve-style": "bezier", "arrow-scale": 0.8, label: "data(type)", "font-size": 8, color: "#4b5563",
        "text-rotation": "autorotate", "text-background-color": "#fff", "text-background-opacity": 0.7,
        "min-zoomed-font-size": 7,
      } },
      { selector: "edge.more-edge", style: { "line-style": "dashed", "target-arrow-shape": "none", label: "" } },
      { selector: "edge.path", style: { "line-color": "#dc2626", "target-arrow-color": "#dc2626", width: 3.5 } },
      { selector: "node.path", style: { "border-color": "#dc2626", "border-width": 3 } },
      { selector: "node:selected, node.selected", style: { "border-width": 4, "border-color": "#f59e0b", "overlay-opacity": 0 } },
      { selector: "edge:selected, edge.selected", style: { width: 5, "line-color": "#f59e0b", "target-arrow-color": "#f59e0b", color: "#111", "font-size": 10 } },
      { selector: ".dated-out", style: { display: "none" } },
      { selector: "node.dated-late", style: { opacity: 0.55, "border-style": "dashed", "border-width": 3, "border-color": "#6b7280" } },
    ],
  });
  cy.on("tap", "node", (evt) => {
    const n = evt.target;
    if (n.hasClass("more")) { loadMore(n.data("of")).catch(report); return; }
    selectNode(n.id(), { expand: true }).catch(report);
  });
  cy.on("tap", "edge", (evt) => {
    if (evt.target.hasClass("more-edge")) return;
    selectEdge(evt.target.id());
  });
  window.eskgExplorer = { cy, state }; // for the end-to-end tests and the curious
}

function nodeData(e) {
  const top = state.classes.topOfTypes(e.types);
  return { id: e.id, label: labelOf(e), colour: state.classes.colourOf(top), top };
}

function addNode(e, near = null) {
  remember(e);
  const existing = cy.getElementById(e.id);
  if (existing.nonempty()) { existing.data(nodeData(state.entities.get(e.id))); return existing; }
  const pos = near ? { ...near } : { x: 0, y: 0 };
  const node = cy.add({ group: "nodes", data: nodeData(e), position: pos });
  applyDate(node);
  return node;
}

function addEdge(from, to, type, sources) {
  const id = edgeId(from, type, to);
  const existing = cy.getElementById(id);
  if (existing.nonempty()) {
    if (sources) existing.data("sources", sources);
    return existing;
  }
  return cy.add({ group: "edges", data: { id, source: from, target: to, type, sources: sources || null } });
}

function placeAround(centre, nodes, ring = 0) {
  if (!nodes.length) return;
  const c = centre.position();
  const others = cy.nodes().not(nodes).not(".more");
  let cx = 0, cyy = 0;
  others.forEach((n) => { cx += n.position("x"); cyy += n.position("y"); });
  const many = others.length > 1;
  const away = many ? Math.atan2(c.y - cyy / others.length, c.x - cx / others.length) : -Math.PI / 2;
  const spread = many && centre.id() !== state.root ? Math.PI * 1.3 : Math.PI * 2;
  const base = Math.max(140, nodes.length * 9) + ring * 110;
  const taken = others.map((n) => n.position());
  const free = (p) => taken.every((q) => Math.hypot(p.x - q.x, p.y - q.y) > 38);
  nodes.forEach((n, i) => {
    const t = nodes.length === 1 ? away : away - spread / 2 + (spread * (i + 0.5 + ring * 0.5)) / nodes.length;
    let r = base;
    let p = { x: c.x + r * Math.cos(t), y: c.y + r * Math.sin(t) };
    for (let k = 0; k < 12 && !free(p); k++) {
      r += 40;
      p = { x: c.x + r * Math.cos(t), y: c.y + r * Math.sin(t) };
    }
    n.position(p);
    taken.push(p);
  });
}

/** Load the next page of a node's neighbours into the graph. */
async function expand(id, upTo = PAGE) {
  const info = state.expanded.get(id) || { loaded: 0, total: null };
  const ring = Math.floor(info.loaded / PAGE);
  const centre = cy.getElementById(id);
  const added = [];
  while (info.loaded < upTo && (info.total === null || info.loaded < info.total)) {
    const want = Math.min(PAGE, upTo - info.loaded);
    const page = await api.fetchRelations(state.caps, id, info.loaded, want);
    if (!page) break;
    info.total = page.total;
    info.loaded += page.relations.length;
    for (const r of page.relations) {
      const isNew = cy.getElementById(r.target.id).empty();
      const node = addNode(r.target, centre.position());
      if (isNew) added.push(node);
      const [from, to] = r.direction === "IN" ? [r.target.id, id] : [id, r.target.id];
      addEdge(from, to, r.type, r.sources);
    }
    if (!page.relations.length) break;
  }
  state.expanded.set(id, info);
  centre.addClass("expanded");
  placeAround(centre, cy.collection(added), ring);
  if (added.length && (id !== state.root || ring > 0) && cy.nodes().length <= 250) {
    layout(false);
  }
  updateMore(id);
  applyDateAll();
  return added.length;
}

function updateMore(id) {
  const info = state.expanded.get(id);
  const moreId = `more:${id}`;
  cy.remove(cy.getElementById(moreId));
  if (!info || info.total === null || info.loaded >= info.total) return;
  const centre = cy.getElementById(id).position();
  cy.add({ group: "nodes", data: { id: moreId, of: id, label: `+${info.total - info.loaded} more` }, classes: "more",
    position: { x: centre.x + 40, y: centre.y - 46 } });
  cy.add({ group: "edges", data: { id: `more-edge:${id}`, source: id, target: moreId }, classes: "more-edge" });
}

async function loadMore(id) {
  const info = state.expanded.get(id);
  await expand(id, (info ? info.loaded : 0) + PAGE);
  status(`${labelOf(state.entities.get(id))}: ${state.expanded.get(id).loaded} of ${state.expanded.get(id).total} neighbours shown`);
  if (state.selected === id) await renderDetails(id);
  writeAddress();
}

function applyDate(nodes) {
  nodes.forEach((n) => {
    if (n.hasClass("more")) return;
    const e = state.entities.get(n.id());
    const out = !appliesOn(e, state.asOf);
    // The entity the view is about stays, marked, so its answer keeps its context.
    const isRoot = n.id() === state.root;
    n.toggleClass("dated-out", out && !isRoot);
    n.toggleClass("dated-late", out && isRoot);
  });
}

function applyDateAll() {
  applyDate(cy.nodes());
  const hidden = cy.nodes(".dated-out").length;
  if (state.asOf) status(`As of ${state.asOf}: ${hidden ? `${hidden} ${hidden === 1 ? "entity" : "entities"} hidden (not started yet or ended)` : "nothing hidden"}`);
  renderLegend();
}

function relabel() {
  cy.nodes().forEach((n) => { if (!n.hasClass("more")) n.data("label", labelOf(state.entities.get(n.id()))); });
}

/** Force-directed layout from the current positions (so the picture moves, not reshuffles). */
function layout(doFit = true) {
  const nodes = cy.nodes(":visible");
  if (!nodes.length) return;
  cy.layout({
    name: "cose", animate: false, randomize: false, fit: false, padding: 40,
    nodeRepulsion: () => 400000, idealEdgeLength: () => 100, edgeElasticity: () => 100,
    nodeOverlap: 20, gravity: 0.25, numIter: 1000, componentSpacing: 80,
  }).run();
  if (doFit) fit();
}

function fit(eles = null) {
  const visible = eles || cy.elements(":visible");
  if (!visible.length) return;
  cy.fit(visible, 40);
  if (cy.zoom() > 1.3) cy.zoom({ level: 1.3, position: visible.boundingBox ? centreOf(visible) : { x: 0, y: 0 } });
}

function centreOf(eles) {
  const bb = eles.boundingBox();
  return { x: (bb.x1 + bb.x2) / 2, y: (bb.y1 + bb.y2) / 2 };
}

// --- opening and selecting ------------------------------------------------------------------

async function openEntity(id, { keepGraph = false } = {}) {
  const my = ++state.nav;
  const e = await api.fetchEntity(id);
  if (my !== state.nav) return;
  if (!e) { status(`No entity ${id}`, "error"); return; }
  if (!keepGraph) {
    cy.elements().remove();
    state.expanded.clear();
    state.edge = null;
  }
  state.root = e.id;
  $("empty").hidden = true;
  const node = addNode(e);
  cy.nodes().removeClass("root");
  node.addClass("root");
  await expand(e.id);
  if (my !== state.nav) return;
  cy.layout({ name: "concentric", concentric: (n) => (n.id() === e.id ? 2 : 1), levelWidth: () => 1,
    minNodeSpacing: 64, fit: true, padding: 40, animate: false }).run();
  await selectNode(e.id, { expand: false, entity: e });
  fit();
}

async function selectNode(id, { expand: doExpand = false, entity = null } = {}) {
  state.selected = id;
  state.edge = null;
  cy.elements().removeClass("selected").unselect();
  const node = cy.getElementById(id);
  node.addClass("selected");
  if (doExpand && !state.expanded.has(id)) {
    const added = await expand(id);
    status(`${labelOf(state.entities.get(id))}: ${added} new neighbour${added === 1 ? "" : "s"}`);
  }
  if (entity) remember(entity);
  const my = state.nav;
  await renderDetails(id, entity);
  if (my === state.nav && state.view !== "details" && state.view !== "paths") setView("details");
  writeAddress();
}

function selectEdge(id) {
  const edge = cy.getElementById(id);
  if (edge.empty()) return;
  state.edge = id;
  cy.elements().removeClass("selected").unselect();
  edge.addClass("selected");
  renderEdge(edge);
  setView("details");
  writeAddress();
}

// --- side panel -------------------------------------------------------------------------------

function setView(view) {
  state.view = view;
  for (const v of ["details", "paths", "flagship"]) {
    $(`view-${v}`).hidden = v !== view;
    $(`tab-${v}`).setAttribute("aria-selected", String(v === view));
    $(`tab-${v}`).tabIndex = v === view ? 0 : -1;
  }
  writeAddress();
}

function entityButton(e, extra = {}) {
  const top = state.classes.topOfTypes(e.types);
  return el("button", { type: "button", class: "chip", title: `${e.id}${otherLabel(e) ? ` — ${otherLabel(e)}` : ""}`,
    onclick: () => focusEntity(e.id).catch(report), ...extra },
  el("span", { class: "dot", style: `background:${state.classes.colourOf(top)}`, "aria-hidden": "true" }), labelOf(e));
}

/** Select an entity, adding it to the graph near what is there if it is not yet shown. */
async function focusEntity(id) {
  if (cy.getElementById(id).empty()) {
    const e = await api.fetchEntity(id);
    if (!e) return;
    const anchor = state.selected ? cy.getElementById(state.selected) : null;
    const node = addNode(e, anchor && anchor.nonempty() ? anchor.position() : null);
    if (anchor && anchor.nonempty()) placeAround(anchor, node);
    if (!state.root) { state.root = e.id; node.addClass("root"); $("empty").hidden = true; }
  }
  await selectNode(id, { expand: true });
  cy.animate({ center: { eles: cy.getElementById(id) }, duration: 200 });
}

function citationList(sources) {
  if (!sources || !sources.length) return el("p", { class: "muted" }, "No citation.");
  return el("ol", { class: "citations" }, sources.map((s) => {
    const doc = s.document || {};
    const url = (Array.isArray(doc.url) ? doc.url[0] : doc.url) || prop(doc, "url")[0];
    const title = labelOf(doc) || doc.id;
    return el("li", { class: "citation" },
      el("div", { class: "doc" }, url
        ? el("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, title)
        : el("span", {}, title),
      " ", el("span", { class: "doc-id" }, `(${doc.id})`)),
      s.locator ? el("div", { class: "locator" }, s.locator) : null,
      s.quote ? el("blockquote", { class: "quote", lang: /[\u3040-\u30ff\u4e00-\u9fff]/.test(s.quote) ? "ja" : "en" }, s.quote) : null);
  }));
}

// the label property is shown as the heading, not among the properties
const hiddenProps = () => new Set(VOCAB.label ? [VOCAB.label] : []);

async function renderDetails(id, known = null) {
  const box = $("view-details");
  let e = known;
  if (!e || !e.sources) e = await api.fetchEntity(id);
  if (!e) { box.replaceChildren(el("p", {}, `Unknown entity ${id}`)); return; }
  remember(e);
  const labels = Object.fromEntries((e.labels || []).map((l) => [l.lang, l.value]));
  const info = state.expanded.get(id);
  const top = state.classes.topOfTypes(e.types);
  const flagship = flagshipFor(e.types);
  const props = (e.properties || []).filter((p) => !hiddenProps().has(p.key));
  const dated = startDate(e);

  const relRows = cy.getElementById(id).connectedEdges().not(".more-edge").map((edge) => {
    const out = edge.source().id() === id;
    const other = state.entities.get(out ? edge.target().id() : edge.source().id());
    return { edge, out, other };
  }).sort((a, b) => a.edge.data("type").localeCompare(b.edge.data("type")));

  const wasInside = $("panel").contains(document.activeElement);
  box.replaceChildren(...[
    el("div", { class: "entity-head" },
      el("span", { class: "dot big", style: `background:${state.classes.colourOf(top)}`, "aria-hidden": "true" }),
      el("div", {},
        el("h2", { lang: "ja", class: "label-ja" }, labels.ja || labelOf(e, "ja")),
        el("div", { lang: "en", class: "label-en" }, labels.en || ""),
        el("div", { class: "types" }, e.types.filter((t) => t !== "Entity").map((t) => el("span", { class: "type", title: t }, `${state.classes.label(t, "en")}${state.classes.label(t, "ja") !== state.classes.label(t, "en") ? ` / ${state.classes.label(t, "ja")}` : ""}`))),
        el("code", { class: "id" }, e.id))),
    el("div", { class: "actions" },
      info && info.total !== null && info.loaded < info.total
        ? el("button", { type: "button", id: "more-btn", onclick: () => loadMore(id).catch(report) }, `Show ${Math.min(PAGE, info.total - info.loaded)} more neighbours (${info.loaded} of ${info.total})`)
        : !info ? el("button", { type: "button", id: "expand-btn", onclick: () => selectNode(id, { expand: true }).catch(report) }, "Expand neighbours") : null,
      flagship
        ? el("button", { type: "button", id: "flagship-btn", class: "primary", onclick: () => runFlagship(id).catch(report) },
          `Measures covering this ${state.classes.label(flagship.targetClass, "en").toLowerCase()}`)
        : null,
      el("button", { type: "button", id: "connect-btn", onclick: () => { state.from = id; $("from").value = labelOf(e); setView("paths"); $("to").focus(); } }, "How is this connected to…?")),
    dated && state.asOf && dated > state.asOf ? el("p", { class: "warn" }, `Started ${dated}, after the chosen date ${state.asOf}.`) : null,
    props.length ? el("h3", {}, "Properties") : null,
    props.length ? el("table", { class: "props" }, el("tbody", {}, props.map((p) => el("tr", { class: VOCAB.start.includes(p.key) || VOCAB.end.includes(p.key) ? "dated" : "" },
      el("th", { scope: "row" }, p.key),
      el("td", { lang: p.lang || null }, p.key === "url" ? el("a", { href: p.value, target: "_blank", rel: "noopener noreferrer" }, p.value) : p.value))))) : null,
    el("h3", {}, "Sources of this entity"),
    citationList(e.sources),
    el("h3", {}, `Relations shown (${relRows.length}${info && info.total !== null ? ` of ${info.total}` : ""})`),
    relRows.length ? el("ul", { class: "relations" }, relRows.map(({ edge, out, other }) => el("li", { class: edge.hasClass("dated-out") || edge.source().hasClass("dated-out") || edge.target().hasClass("dated-out") ? "hidden-by-date" : "" },
      el("span", { class: "dir", title: out ? "outgoing" : "incoming" }, out ? "→" : "←"),
      el("button", { type: "button", class: "link", title: "Show this relation and its sources", onclick: () => selectEdge(edge.id()) }, edge.data("type")),
      other ? entityButton(other) : null))) : el("p", { class: "muted" }, "None loaded yet."),
  ].filter(Boolean));
  keepFocus(box, wasInside);
}

/** After the panel is redrawn, keep keyboard users in it (focus its heading, not the page). */
function keepFocus(box, wasInside) {
  const active = document.activeElement;
  if (!wasInside || (active && active !== document.body && active.isConnected)) return;
  const heading = box.querySelector("h2");
  if (heading) { heading.tabIndex = -1; heading.focus({ preventScroll: true }); }
}

function renderEdge(edge) {
  const from = state.entities.get(edge.source().id());
  const to = state.entities.get(edge.target().id());
  const sources = edge.data("sources");
  const wasInside = $("panel").contains(document.activeElement);
  $("view-details").replaceChildren(
    el("h2", {}, "Relation"),
    el("p", { class: "edge-line" }, entityButton(from), el("span", { class: "rel" }, ` —${edge.data("type")}→ `), entityButton(to)),
    el("h3", {}, "Sources of this relation"),
    sources ? el("div", { id: "edge-citations" }, citationList(sources)) : el("p", { class: "muted" }, "Loading…"),
  );
  keepFocus($("view-details"), wasInside);
  if (!sources) {
    // Edges drawn from a path or a flagship answer get their citations when opened.
    api.relationSources(edge.source().id(), edge.data("type"), edge.target().id()).then((found) => {
      edge.data("sources", found);
      if (state.edge === edge.id()) renderEdge(edge);
    }).catch(report);
  }
}

/** Labels, classes and dates for nodes added from paths (which carry only labels). */
async function hydrate() {
  const missing = cy.nodes().not(".more").map((n) => n.id()).filter((id) => {
    const e = state.entities.get(id);
    return !e || !e.properties;
  });
  if (!missing.length) return;
  const found = await api.briefs(missing);
  for (const e of found.values()) remember(e);
  applyDateAll();
}

// --- legend -----------------------------------------------------------------------------------

function renderLegend() {
  const shown = new Map();
  cy.nodes().not(".more").not(".dated-out").forEach((n) => shown.set(n.data("top"), (shown.get(n.data("top")) || 0) + 1));
  const tops = [...new Set([...state.classes.tops(), ...shown.keys()])].sort();
  $("legend-list").replaceChildren(...tops.map((t) => {
    const c = state.classes.byName.get(t);
    return el("li", { class: shown.has(t) ? "" : "absent", title: c ? c.comment : t },
      el("span", { class: "dot", style: `background:${state.classes.colourOf(t)}`, "aria-hidden": "true" }),
      `${state.classes.label(t, state.lang)}`, shown.has(t) ? el("span", { class: "count" }, ` ${shown.get(t)}`) : null);
  }));
}

// --- autocomplete -----------------------------------------------------------------------------

function autocomplete(input, list, { types = () => null, onPick }) {
  let items = [];
  let active = -1;
  let seq = 0;
  const close = () => { list.hidden = true; input.setAttribute("aria-expanded", "false"); active = -1; };
  const mark = () => {
    [...list.children].forEach((li, i) => { li.classList.toggle("active", i === active); li.setAttribute("aria-selected", String(i === active)); });
    if (active >= 0 && list.children[active]) {
      input.setAttribute("aria-activedescendant", list.children[active].id);
      list.children[active].scrollIntoView({ block: "nearest" });
    } else input.removeAttribute("aria-activedescendant");
  };
  const pick = (e) => { close(); onPick(e); };
  const run = debounce(async () => {
    const text = input.value.trim();
    const mine = ++seq;
    if (!text) { items = []; list.replaceChildren(); close(); return; }
    try {
      const found = await api.search(state.caps, text, types(), 12, state.asOf || null);
      if (mine !== seq) return;
      items = found;
      found.forEach(remember);
      list.replaceChildren(...(found.length ? found.map((e, i) => {
        const top = state.classes.topOfTypes(e.types);
        return el("li", { role: "option", id: `${list.id}-${i}`, "data-id": e.id, onmousedown: (ev) => { ev.preventDefault(); pick(e); } },
          el("span", { class: "dot", style: `background:${state.classes.colourOf(top)}`, "aria-hidden": "true" }),
          el("span", { class: "r-label" }, labelOf(e)),
          otherLabel(e) ? el("span", { class: "r-other" }, otherLabel(e)) : null,
          el("span", { class: "r-type" }, state.classes.label(e.types[0], state.lang)));
      }) : [el("li", { class: "none", role: "option", "aria-disabled": "true" }, "No match")]));
      active = found.length ? 0 : -1;
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      mark();
    } catch (err) { report(err); }
  }, 220);
  input.addEventListener("input", run);
  input.addEventListener("keydown", (ev) => {
    if (ev.key === "ArrowDown" && items.length) { active = (active + 1) % items.length; mark(); ev.preventDefault(); }
    else if (ev.key === "ArrowUp" && items.length) { active = (active - 1 + items.length) % items.length; mark(); ev.preventDefault(); }
    else if (ev.key === "Escape") close();
    else if (ev.key === "Enter") {
      ev.preventDefault();
      if (!list.hidden && items[active >= 0 ? active : 0]) pick(items[active >= 0 ? active : 0]);
      else run();
    }
  });
  input.addEventListener("blur", () => setTimeout(close, 150));
  return { run };
}

// --- paths ------------------------------------------------------------------------------------

async function findPaths() {
  const out = $("paths-out");
  if (!state.from || !state.to) { out.replaceChildren(el("p", { class: "warn" }, "Pick both entities from the suggestions.")); return; }
  out.replaceChildren(el("p", { class: "muted" }, "Searching…"));
  writeAddress();
  const my = ++state.nav;
  const paths = await api.shortestPaths(state.caps, state.from, state.to, 4, 5);
  if (my !== state.nav) return;
  if (!paths.length) {
    out.replaceChildren(el("p", {}, state.caps.shortestPaths ? "No connection within 4 steps." : "No connection within 3 steps."));
    return;
  }
  // The answer replaces the graph: the chains, from left to right; click a node to expand.
  status("");
  cy.elements().remove();
  state.expanded.clear();
  state.edge = null;
  state.root = state.from;
  state.selected = state.from;
  $("empty").hidden = true;
  for (const p of paths) {
    for (const n of p.nodes) addNode(n).addClass("path");
    for (const e of p.edges) addEdge(e.from, e.to, e.type, e.sources).addClass("path");
  }
  cy.getElementById(state.from).addClass("root selected");
  // Columns by distance from the start, one row per entity in a column.
  const columns = new Map();
  for (const p of paths) p.nodes.forEach((n, k) => { if (![...columns.values()].some((c) => c.includes(n.id))) { if (!columns.has(k)) columns.set(k, []); columns.get(k).push(n.id); } });
  for (const [k, col] of columns) col.forEach((id, row) => cy.getElementById(id).position({ x: k * 190, y: (row - (col.length - 1) / 2) * 90 }));
  applyDateAll();
  fit();
  out.replaceChildren(
    el("p", {}, `${paths.length} shortest path${paths.length === 1 ? "" : "s"} of ${paths[0].edges.length} step${paths[0].edges.length === 1 ? "" : "s"}:`),
    el("ol", { class: "paths" }, paths.map((p, i) => el("li", { class: "path-item" },
      el("div", { class: "chain" }, p.nodes.flatMap((n, k) => {
        const parts = [entityButton(n)];
        const edge = p.edges[k];
        if (edge) {
          const forward = edge.from === n.id;
          parts.push(el("button", { type: "button", class: "link rel", title: "Show this relation and its sources",
            onclick: () => selectEdge(edgeId(edge.from, edge.type, edge.to)) }, forward ? ` —${edge.type}→ ` : ` ←${edge.type}— `));
        }
        return parts;
      })),
      p.sources
        ? el("details", { class: "path-sources", open: i === 0 ? true : null }, el("summary", {}, "Sources"),
          citationList(dedupe(p.sources)))
        : el("p", { class: "muted" }, "Open a relation of the chain for its sources.")))));
  await hydrate();
}

function dedupe(sources) {
  const seen = new Set();
  return sources.filter((s) => { const k = `${s.document && s.document.id}|${s.locator}|${s.quote}`; if (seen.has(k)) return false; seen.add(k); return true; });
}

// --- flagship -----------------------------------------------------------------------------------

async function runFlagship(id) {
  const my = ++state.nav;
  setView("flagship");
  const out = $("flag-out");
  let e = state.entities.get(id);
  if (!e || !e.types) e = await api.fetchEntity(id);
  if (!e) return;
  remember(e);
  $("flag-q").value = labelOf(e);
  const flagship = flagshipFor(e.types);
  if (!flagship) {
    const kinds = VOCAB.flagship.map((f) => `a ${state.classes.label(f.targetClass, "en").toLowerCase()}`);
    out.replaceChildren(el("p", { class: "warn" }, `${labelOf(e)} is not ${kinds.join(" or ") || "asked about by any flagship question"}.`));
    return;
  }
  out.replaceChildren(el("p", { class: "muted" }, "Asking…"));
  let answers = await api.measuresCovering(state.caps, flagship, id, state.asOf || null);
  if (my !== state.nav) return;
  if (state.asOf && !state.caps.asOf[flagship.field]) answers = answers.filter((a) => a.path.every((n) => appliesOn(n, state.asOf)));
  // Show the answer in the graph: the asked entity, each measure and its path.
  if (state.root !== id || cy.getElementById(id).empty()) {
    status("");
    cy.elements().remove();
    state.expanded.clear();
    state.root = id;
    $("empty").hidden = true;
  }
  state.selected = id;
  cy.elements().removeClass("path selected");
  const root = addNode(e).addClass("root selected");
  for (const a of answers) {
    for (let k = 0; k < a.path.length; k++) {
      addNode(a.path[k], root.position()).addClass("path");
      if (k > 0) {
        const edge = await edgeBetween(a.path[k - 1].id, a.path[k].id);
        if (edge) edge.addClass("path");
      }
    }
  }
  await hydrate();
  applyDateAll();
  // Rings around the asked entity: measures that cover it directly nearest, longer chains further out.
  const dist = new Map([[id, 0]]);
  for (const a of answers) {
    a.path.forEach((n, k) => {
      const d = a.path.length - 1 - k;
      if (!dist.has(n.id) || dist.get(n.id) > d) dist.set(n.id, d);
    });
  }
  cy.layout({ name: "concentric", concentric: (n) => 10 - (dist.has(n.id()) ? dist.get(n.id()) : 5), levelWidth: () => 1,
    minNodeSpacing: 56, fit: true, padding: 40, animate: false }).run();
  fit();
  out.replaceChildren(
    el("p", {}, `${answers.length} measure${answers.length === 1 ? " covers" : "s cover"} ${labelOf(e)}${state.asOf ? ` (as of ${state.asOf})` : ""}:`),
    el("ol", { class: "answers" }, answers.map((a) => el("li", { class: "answer" },
      el("div", { class: "measure" }, entityButton(a.measure)),
      a.path.length <= 2
        ? el("div", { class: "chain muted" }, "covers it directly")
        : el("div", { class: "chain" }, "via ", a.path.slice(1, -1).flatMap((n, k) => [k > 0 ? " → " : "", entityButton(n)])),
      el("details", { class: "path-sources" }, el("summary", {}, `Sources (${dedupe(a.sources).length})`), citationList(dedupe(a.sources)))))));
  writeAddress();
}

/** The edge between two path nodes (its type from the API; its sources when opened). */
async function edgeBetween(a, b) {
  const existing = cy.edges().filter((e) => (e.source().id() === a && e.target().id() === b) || (e.source().id() === b && e.target().id() === a));
  if (existing.nonempty()) return existing[0];
  const r = (await api.relationsOf(a)).find((x) => x.target.id === b);
  if (!r) return null;
  const [from, to] = r.direction === "IN" ? [b, a] : [a, b];
  return addEdge(from, to, r.type, null);
}

// --- start ----------------------------------------------------------------------------------------

async function restore() {
  const p = new URLSearchParams(location.search);
  state.restoring = true;
  try {
    state.lang = p.get("lang") === "en" ? "en" : "ja";
    $("lang").value = state.lang;
    state.asOf = /^\d{4}-\d{2}-\d{2}$/.test(p.get("d") || "") ? p.get("d") : "";
    $("asof").value = state.asOf;
    state.from = p.get("from") || "";
    state.to = p.get("to") || "";
    const view = ["details", "paths", "flagship"].includes(p.get("v")) ? p.get("v") : "details";
    const root = p.get("e");
    if (view === "flagship" && (p.get("s") || root)) {
      await runFlagship(p.get("s") || root);
    } else if (root) {
      await openEntity(root);
      for (const item of (p.get("x") || "").split(",").filter(Boolean)) {
        const [id, n] = item.split("@");
        if (cy.getElementById(id).empty()) await focusEntity(id);
        await expand(id, Math.max(PAGE, Number(n) || PAGE));
      }
      if (p.get("s") && cy.getElementById(p.get("s")).nonempty()) await selectNode(p.get("s"));
      if (p.get("edge")) selectEdge(p.get("edge"));
      fit();
    }
    for (const k of ["from", "to"]) {
      if (state[k]) {
        const e = state.entities.get(state[k]) || await api.fetchEntity(state[k]).catch(() => null);
        if (e) { remember(e); $(k).value = labelOf(e); }
      }
    }
    if (view === "paths" && state.from && state.to) await findPaths();
    setView(view);
  } finally {
    state.restoring = false;
  }
  writeAddress();
}

async function start() {
  initGraph();
  state.caps = await api.capabilities();
  state.classes = new ClassIndex(await api.ontologyClasses(state.caps));
  VOCAB = await api.vocabulary(state.caps);
  const typeSel = $("type");
  [...state.classes.byName.values()].sort((a, b) => a.en.localeCompare(b.en)).forEach((c) => {
    typeSel.append(el("option", { value: c.name, title: c.comment }, `${c.en}${c.ja ? ` / ${c.ja}` : ""}`));
  });
  renderLegend();

  autocomplete($("q"), $("results"), {
    types: () => ($("type").value ? [$("type").value] : null),
    onPick: (e) => openEntity(e.id).then(() => { $("q").value = labelOf(e); }).catch(report),
  });
  const qSearch = $("q");
  $("type").addEventListener("change", () => { if (qSearch.value.trim()) qSearch.dispatchEvent(new Event("input")); });
  autocomplete($("from"), $("from-results"), { onPick: (e) => { state.from = e.id; $("from").value = labelOf(e); writeAddress(); } });
  autocomplete($("to"), $("to-results"), { onPick: (e) => { state.to = e.id; $("to").value = labelOf(e); writeAddress(); } });
  autocomplete($("flag-q"), $("flag-results"), { types: () => VOCAB.flagship.map((f) => f.targetClass), onPick: (e) => runFlagship(e.id).catch(report) });
  $("find-paths").addEventListener("click", () => findPaths().catch(report));

  $("asof").addEventListener("change", () => {
    const v = $("asof").value;
    state.asOf = /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : "";
    applyDateAll();
    if (!state.asOf) status("Date filter cleared");
    if (state.view === "flagship" && state.selected) runFlagship(state.selected).catch(report);
    else if (state.selected && !state.edge) renderDetails(state.selected).catch(report);
    writeAddress();
  });
  $("asof-clear").addEventListener("click", () => { $("asof").value = ""; $("asof").dispatchEvent(new Event("change")); });
  $("lang").addEventListener("change", () => {
    state.lang = $("lang").value;
    relabel();
    renderLegend();
    if (state.edge) renderEdge(cy.getElementById(state.edge));
    else if (state.selected) renderDetails(state.selected).catch(report);
    writeAddress();
  });
  $("fit").addEventListener("click", () => fit());
  $("relayout").addEventListener("click", () => layout(true));
  $("share").addEventListener("click", async () => {
    writeAddress();
    try { await navigator.clipboard.writeText(location.href); status("Link copied"); } catch { status(`Link: ${location.href}`); }
  });
  document.querySelectorAll(".tabs [role=tab]").forEach((tab) => {
    tab.addEventListener("click", () => setView(tab.dataset.view));
    tab.addEventListener("keydown", (ev) => {
      if (ev.key !== "ArrowRight" && ev.key !== "ArrowLeft") return;
      const tabs = [...document.querySelectorAll(".tabs [role=tab]")];
      const next = tabs[(tabs.indexOf(tab) + (ev.key === "ArrowRight" ? 1 : tabs.length - 1)) % tabs.length];
      setView(next.dataset.view);
      next.focus();
    });
  });
  document.addEventListener("keydown", (ev) => {
    if (ev.key === "/" && document.activeElement.tagName !== "INPUT") { ev.preventDefault(); $("q").focus(); }
  });

  await restore();
  if (!state.root) $("q").focus();
  document.body.dataset.ready = "true";
}

start().catch((err) => {
  report(err);
  document.body.dataset.ready = "error";
});
