// Relations of entities in both directions, with the citations of each relation and the
// dates it holds from and until (when its source bounds it); an entity without relations
// gives one row with a null type, an IRI that is no entity none.
UNWIND $iris AS iri
MATCH (n:Resource {iri: iri})
WHERE n.graph IS NOT NULL
OPTIONAL MATCH (n)-[r]-(m:Resource)
WHERE r.graph IS NOT NULL
RETURN iri, type(r) AS type, startNode(r) = n AS outgoing, m.iri AS other,
       r.citations AS citations, toString(r.validFrom) AS valid_from,
       toString(r.validUntil) AS valid_until
