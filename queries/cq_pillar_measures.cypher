// Which measures belong to a policy pillar (PILLAR), with their status, and the measure
// or plan each is part of (PART_OF)?
MATCH (m:Resource)-[:PILLAR]->(:Resource {iri: $pillar})
OPTIONAL MATCH (m)-[:PART_OF]->(p:Resource)
RETURN DISTINCT $pillar AS pillar, m.iri AS measure, m.status AS status, p.iri AS part_of
ORDER BY measure, part_of
