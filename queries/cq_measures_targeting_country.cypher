// Which measures are aimed at a country or grouping (TARGETS_COUNTRY), and which
// jurisdiction takes each of them?
MATCH (m:Measure)-[:TARGETS_COUNTRY]->(:Resource {iri: $target})
OPTIONAL MATCH (m)-[:JURISDICTION]->(j:Resource)
RETURN DISTINCT $target AS target, m.iri AS measure, j.iri AS jurisdiction
ORDER BY measure, jurisdiction
