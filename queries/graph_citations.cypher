// Citations of the statements held in a named graph (the Neo4j store keeps them on
// the node or relationship that carries the graph).
UNWIND $graphs AS g
OPTIONAL MATCH (n:Resource {graph: g})
OPTIONAL MATCH ()-[r {graph: g}]->()
RETURN g AS graph, coalesce(n.citations, r.citations, []) AS citations
