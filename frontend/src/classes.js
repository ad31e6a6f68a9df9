// Colours and the legend, from the ontology's classes as the API reports them: each class
// comes with its colour (the ontology's eskg:colour of its top-level class), the same as
// neo4j/browser-style.grass, so the explorer and Neo4j Browser agree. Nothing here names
// a class or a colour of the ontology.

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
    for (const c of this.byName.values()) if (c.colour) this.colour.set(c.name, c.colour);
    this.exact = this.colour.size > 0;
    // the distinct colours the API gave, for classes it did not list
    this.palette = [...new Set(this.colour.values())].sort();
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
    if (!this.palette.length) return FALLBACK;
    // A class the API did not list: a stable colour from its name, among the API's.
    let h = 0;
    for (const ch of topName) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
    const colour = this.palette[h % this.palette.length];
    this.colour.set(topName, colour);
    return colour;
  }

  label(name, lang) {
    const c = this.byName.get(name);
    if (!c) return name;
    return lang === "ja" ? c.ja || c.en : c.en || c.ja;
  }
}
