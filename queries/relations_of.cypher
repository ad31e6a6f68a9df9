// Relations of entities in both directions, with the citations of each relation.
UNWIND $iris AS iri
MATCH (n:Resource {iri: iri})-[r]-(m:Resource)
WHERE r.graph IS NOT NULL
RETURN iri, type(r) AS type, startNode(r) = n AS outgoing, m.iri AS other,
       r.citations AS citations
