// What are the provisions (chapters, articles, pillars) of a law, at any depth
// (PART_OF), with their number in the source, article range and entry into force?
MATCH (p:Provision)-[:PART_OF*1..]->(:Resource {iri: $law})
RETURN DISTINCT $law AS law, p.iri AS provision, p.ordinal AS ordinal,
       p.articleRange AS articles, toString(p.inForceFrom) AS in_force_from
ORDER BY coalesce(ordinal, 999), provision
