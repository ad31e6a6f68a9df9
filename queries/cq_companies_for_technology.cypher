// Which companies were funded for a technology: recipients of a measure that covers the
// technology (or a narrower one), or a material used in or belonging to it? With the
// measure, what it covers on the way, and its date.
MATCH (t:Resource {iri: $technology})
CALL (t) {
  MATCH (m:Measure)-[:COVERS_TECHNOLOGY]->(x:Resource)-[:BROADER*0..1]->(t)
  RETURN m, x
  UNION
  MATCH (m:Measure)-[:COVERS_MATERIAL]->(x:Resource)-[:USED_IN|IN_FIELD]->(:Resource)-[:BROADER*0..1]->(t)
  RETURN m, x
}
MATCH (m)-[:RECIPIENT]->(c:Company)
RETURN DISTINCT $technology AS technology, c.iri AS company, m.iri AS measure, x.iri AS via,
       toString(m.date) AS date
ORDER BY company, measure, via
