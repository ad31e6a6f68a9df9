// Relations of the entities whose IRIs are in the list `iris` (a variable, as in
// entity_by_iri), in both directions, with the citations of each relation (unless
// `$link_citations` is false) and the dates it holds from and until (when its source
// bounds it); with the list `$types`, only relationships of those types. An entity
// without relations gives one row with a null type, an IRI that is no entity none.
UNWIND iris AS iri
MATCH (n:Resource {iri: iri})
WHERE n.graph IS NOT NULL
OPTIONAL MATCH (n)-[r]-(m:Resource)
WHERE r.graph IS NOT NULL AND ($types IS NULL OR type(r) IN $types)
RETURN iri, type(r) AS type, startNode(r) = n AS outgoing, m.iri AS other,
       CASE WHEN $link_citations THEN r.citations END AS citations,
       toString(r.validFrom) AS valid_from, toString(r.validUntil) AS valid_until
