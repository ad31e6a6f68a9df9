// Who are the members of a grouping (MEMBER_OF), with their ISO 3166-1 code when they
// are countries?
MATCH (m:Resource)-[:MEMBER_OF]->(:Resource {iri: $group})
RETURN DISTINCT $group AS group, m.iri AS member, m.isoCode AS iso_code
ORDER BY member
