// Which measures are taken under a law (LEGAL_BASIS), naming the law itself or one of
// its provisions at any depth (PART_OF)? `basis` is the law or provision named.
MATCH (m:Measure)-[:LEGAL_BASIS]->(b:Resource)-[:PART_OF*0..]->(:Resource {iri: $law})
RETURN DISTINCT $law AS law, m.iri AS measure, b.iri AS basis
ORDER BY measure, basis
