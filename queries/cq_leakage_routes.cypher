// What are the technology-leakage routes (in the source's order) and their status, and
// what is each covered by (COVERED_BY)? A law ("law", also a provision) or a measure
// ("measure").
MATCH (r:LeakageRoute)
OPTIONAL MATCH (r)-[:COVERED_BY]->(c:Resource)
RETURN DISTINCT r.iri AS route, r.ordinal AS ordinal, r.status AS status, c.iri AS covered_by,
       CASE WHEN c IS NULL THEN null WHEN c:Law OR c:Provision THEN 'law' ELSE 'measure' END AS kind
ORDER BY coalesce(ordinal, 999), route, covered_by
