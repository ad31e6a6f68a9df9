// Which measures are taken under a law (LEGAL_BASIS), naming the law itself or one of
// its provisions at any depth (PART_OF)? `basis` is the law or provision named. With
// asOf, only the measures that had started (their first start date) and not ended by
// then, whose legal-basis link holds on that date.
MATCH (m:Measure)-[r:LEGAL_BASIS]->(b:Resource)-[:PART_OF*0..]->(:Resource {iri: $law})
WHERE $asOf IS NULL OR (
      coalesce(coalesce(m.inForceFrom, m.designatedOn, m.date, m.promulgatedOn, m.enactedOn)
               <= $asOf, true)
      AND coalesce(m.validUntil >= $asOf, true)
      AND coalesce(r.validFrom <= $asOf, true) AND coalesce(r.validUntil >= $asOf, true))
RETURN DISTINCT $law AS law, toString($asOf) AS asOf, m.iri AS measure, b.iri AS basis
ORDER BY measure, basis
