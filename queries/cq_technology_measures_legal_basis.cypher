// Which measures cover a technology, directly or through a narrower technology (any
// number of BROADER steps), and on what legal basis? `covered` is the technology the
// measure names; `legal_basis` is null for a measure without one.
MATCH (m:Measure)-[:COVERS_TECHNOLOGY]->(c:Resource)-[:BROADER*0..]->(:Resource {iri: $technology})
OPTIONAL MATCH (m)-[:LEGAL_BASIS]->(l:Resource)
RETURN DISTINCT $technology AS technology, m.iri AS measure, c.iri AS covered, l.iri AS legal_basis
ORDER BY measure, covered, legal_basis
