// Who are the members of a grouping (MEMBER_OF), with their ISO 3166-1 code when they
// are countries? With asOf, only those whose membership holds on that date.
MATCH (m:Resource)-[r:MEMBER_OF]->(:Resource {iri: $group})
WHERE $asOf IS NULL OR (coalesce(r.validFrom <= $asOf, true)
      AND coalesce(r.validUntil >= $asOf, true))
RETURN DISTINCT $group AS group, toString($asOf) AS asOf, m.iri AS member,
       m.isoCode AS iso_code
ORDER BY member
