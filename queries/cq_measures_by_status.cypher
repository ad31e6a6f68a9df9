// Which measures of a jurisdiction have a given status (planned, proposed, under_review,
// in_force, ...)? For example, what is Japan still reviewing? Each with the measure it is
// part of (null when none).
MATCH (m:Measure)-[:JURISDICTION]->(:Resource {iri: $jurisdiction})
WHERE m.status = $status
OPTIONAL MATCH (m)-[:PART_OF]->(p:Resource)
RETURN DISTINCT $jurisdiction AS jurisdiction, $status AS status, m.iri AS measure, p.iri AS part_of
ORDER BY measure, part_of
