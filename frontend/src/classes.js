// Colours and the legend, derived from the ontology's classes as the API reports them.
// Each class is drawn in the colour of its top-level class (a direct subclass of Entity);
// the palette and the order (top-level class names sorted) match api/explore.py and
// neo4j/browser-style.grass, so the explorer and Neo4j Browser agree.

export const PALETTE = [
  "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
  "#e377c2", "#17becf", "#bcbd22", "#7f7f7f", "#393b79", "#637939",
  "#843c39", "#7b4173", "#3182bd", "#e6550d",
];
const FALLBACK = "#555555";

export class ClassIndex {
  constructor(classes) {
    this.byName = new Map(classes.map((c) => [c.name, c]));
    this.learnt = new Map(); // class -> top-level class, from entities' `types` chains
    this.assign();
  }

  /** Known top-level classes: from the API when it says, else learnt from entities. */
  tops() {
    const out = new Set();
    for (const c of this.byName.values()) {
      const t = this.topOf(c.name);
      if (t) out.add(t);
    }
    return [...out].sort();
  }

  assign() {
    this.colour = new Map();
    const tops = [...this.byName.values()].filter((c) => c.top === c.name).map((c) => c.name).sort();
    this.exact = tops.length > 0;
    tops.forEach((name, i) => this.colour.set(name, PALETTE[i % PALETTE.length]));
    for (const c of this.byName.values()) if (c.colour) this.colour.set(c.name, c.colour);
  }

  /** Learn the hierarchy from an entity's `types` (most specific first, then ancestors, then Entity). */
  learn(types) {
    if (!types || types.length < 2) return;
    const chain = types.filter((t) => t !== "Entity");
    const top = chain[chain.length - 1];
    for (const t of chain) if (!this.learnt.has(t)) this.learnt.set(t, top);
  }

  topOf(name) {
    const c = this.byName.get(name);
    if (c && c.top) return c.top;
    return this.learnt.get(name) || null;
  }

  /** The class a node is coloured by: the top-level class of its most specific type. */
  topOfTypes(types) {
    this.learn(types);
    const first = (types || []).find((t) => t !== "Entity");
    if (!first) return "Entity";
    return this.topOf(first) || first;
  }

  colourOf(topName) {
    if (this.colour.has(topName)) return this.colour.get(topName);
    if (this.exact) return FALLBACK;
    // Without the hierarchy from the API: a stable colour from the name.
    let h = 0;
    for (const ch of topName) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
    const colour = PALETTE[h % PALETTE.length];
    this.colour.set(topName, colour);
    return colour;
  }

  label(name, lang) {
    const c = this.byName.get(name);
    if (!c) return name;
    return lang === "ja" ? c.ja || c.en : c.en || c.ja;
  }
}
