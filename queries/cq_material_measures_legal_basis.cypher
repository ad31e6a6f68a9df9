// Which measures cover a material, directly or by covering a material it belongs to (any
// number of BROADER steps up), and on what legal basis? `covered` is the material the
// measure names; `legal_basis` is null for a measure without one.
MATCH (:Resource {iri: $material})-[:BROADER*0..]->(c:Resource)<-[:COVERS_MATERIAL]-(m:Measure)
OPTIONAL MATCH (m)-[:LEGAL_BASIS]->(l:Resource)
RETURN DISTINCT $material AS material, m.iri AS measure, c.iri AS covered, l.iri AS legal_basis
ORDER BY measure, covered, legal_basis
