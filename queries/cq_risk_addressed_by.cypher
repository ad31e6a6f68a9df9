// What addresses a risk? The measures, laws, dialogues, meetings and pillars that
// address it (ADDRESSES_RISK) or that it is covered by (COVERED_BY), directly or through
// a narrower risk or leakage route that concerns it (one CONCERNS step).
// `via` is the risk the link is made to; `link` names the property.
MATCH (r:Risk {iri: $risk})
CALL (r) {
  RETURN r AS v
  UNION
  MATCH (v:Risk)-[:CONCERNS]->(r)
  RETURN v
}
CALL (v) {
  MATCH (a:Resource)-[:ADDRESSES_RISK]->(v)
  RETURN a, 'addressesRisk' AS link
  UNION
  MATCH (v)-[:COVERED_BY]->(a:Resource)
  RETURN a, 'coveredBy' AS link
}
RETURN DISTINCT $risk AS risk, v.iri AS via, a.iri AS addresser, link
ORDER BY via, addresser, link
