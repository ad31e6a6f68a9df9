// What is an organisation responsible for (RESPONSIBLE_BODY): materials, sectors,
// measures, laws — its own or through one of its sub-organisations at any depth
// (SUB_ORGANISATION_OF)? `responsible` is the body named in the data.
MATCH (e:Resource)-[:RESPONSIBLE_BODY]->(r:Resource)-[:SUB_ORGANISATION_OF*0..]->(:Resource {iri: $body})
RETURN DISTINCT $body AS body, e.iri AS entity, r.iri AS responsible
ORDER BY entity, responsible
