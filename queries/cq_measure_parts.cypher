// How is a strategy, plan or measure organised? Its direct parts (PART_OF: measures,
// pillars, provisions) in the source's order (unnumbered ones last), each with its status.
MATCH (p:Resource)-[:PART_OF]->(:Resource {iri: $whole})
RETURN DISTINCT $whole AS whole, p.iri AS part, p.ordinal AS ordinal, p.status AS status
ORDER BY coalesce(ordinal, 999), part
