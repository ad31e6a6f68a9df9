// Which certified plans (Certification) cover a material, as of a date when one is
// given, with the company, the ministry and the maximum subsidy? A plan counts on asOf
// when it was certified by then, has not ended, and its coverage of the material holds
// (validFrom / validUntil of the link).
MATCH (c:Certification)-[r:COVERS_MATERIAL]->(:Resource {iri: $material})
WHERE $asOf IS NULL OR (coalesce(c.date <= $asOf, true) AND coalesce(c.validUntil >= $asOf, true)
      AND coalesce(r.validFrom <= $asOf, true) AND coalesce(r.validUntil >= $asOf, true))
OPTIONAL MATCH (c)-[:RECIPIENT]->(co:Resource)
OPTIONAL MATCH (c)-[:RESPONSIBLE_BODY]->(b:Resource)
OPTIONAL MATCH (c)-[:HAS_FIGURE]->(f:Resource)
WHERE f.figureKind = 'subsidy_cap'
RETURN DISTINCT $material AS material, toString($asOf) AS asOf, c.iri AS certification,
       toString(c.date) AS date, co.iri AS company, b.iri AS ministry, f.value AS cap,
       f.unit AS unit
ORDER BY coalesce(date, '9999-12-31'), certification, coalesce(company, ''),
         coalesce(ministry, ''), coalesce(cap, '')
