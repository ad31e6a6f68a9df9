// The stored statements of entities: their node (labels, literal properties, citations).
UNWIND $iris AS iri
MATCH (n:Resource {iri: iri})
WHERE n.graph IS NOT NULL
RETURN n.iri AS iri, properties(n) AS props
