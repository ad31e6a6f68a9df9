// Which laws apply to each technology-leakage route? A law or provision the route is
// covered by, or the legal basis of a measure it is covered by. A route no law applies
// to has one row with `law` null.
MATCH (r:LeakageRoute)
OPTIONAL CALL (r) {
  MATCH (r)-[:COVERED_BY]->(l:Resource)
  WHERE l:Law OR l:Provision
  RETURN l
  UNION
  MATCH (r)-[:COVERED_BY]->(:Resource)-[:LEGAL_BASIS]->(l:Resource)
  WHERE l:Law OR l:Provision
  RETURN l
}
RETURN DISTINCT r.iri AS route, l.iri AS law
ORDER BY route, law
