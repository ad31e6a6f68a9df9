// Which risks concern a country (CONCERNS from the risk to the country: the risk comes from
// it or rests on dependence on it; TARGETS_COUNTRY is kept for what a measure is aimed at),
// and what addresses each of them
// (ADDRESSES_RISK, or COVERED_BY from the risk)? `addresser` is null for a risk nothing
// addresses yet.
MATCH (r:Risk)-[:CONCERNS]->(:Resource {iri: $country})
OPTIONAL CALL (r) {
  MATCH (a:Resource)-[:ADDRESSES_RISK]->(r)
  RETURN a
  UNION
  MATCH (r)-[:COVERED_BY]->(a:Resource)
  RETURN a
}
RETURN DISTINCT $country AS country, r.iri AS risk, a.iri AS addresser
ORDER BY risk, addresser
