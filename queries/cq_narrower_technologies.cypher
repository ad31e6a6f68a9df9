// What are the sub-technologies of a field? Every technology below it through any number
// of BROADER steps, each with its English label.
MATCH (n:Technology)-[:BROADER*1..]->(:Resource {iri: $technology})
RETURN DISTINCT $technology AS technology, n.iri AS narrower, n.prefLabel_en AS label_en
ORDER BY narrower
