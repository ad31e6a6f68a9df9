// Who were the members of a grouping (MEMBER_OF) on a date, when one is given, and from
// and until when is each a member (the link's validFrom / validUntil)?
MATCH (m:Resource)-[r:MEMBER_OF]->(:Resource {iri: $group})
WHERE $asOf IS NULL OR (coalesce(r.validFrom <= $asOf, true)
      AND coalesce(r.validUntil >= $asOf, true))
RETURN DISTINCT $group AS group, toString($asOf) AS asOf, m.iri AS member,
       toString(r.validFrom) AS member_from, toString(r.validUntil) AS member_until
ORDER BY member
