// Which risks come from a country (TARGETS_COUNTRY), and what addresses each of them
// (ADDRESSES_RISK, or COVERED_BY from the risk)? `addresser` is null for a risk nothing
// addresses yet.
MATCH (r:Risk)-[:TARGETS_COUNTRY]->(:Resource {iri: $country})
OPTIONAL CALL (r) {
  MATCH (a:Resource)-[:ADDRESSES_RISK]->(r)
  RETURN a
  UNION
  MATCH (r)-[:COVERED_BY]->(a:Resource)
  RETURN a
}
RETURN DISTINCT $country AS country, r.iri AS risk, a.iri AS addresser
ORDER BY risk, addresser
