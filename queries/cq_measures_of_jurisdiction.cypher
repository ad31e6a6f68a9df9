// Which measures has a country or grouping taken (JURISDICTION)? Each with its status
// and date when the source gives them.
MATCH (m:Measure)-[:JURISDICTION]->(:Resource {iri: $jurisdiction})
RETURN DISTINCT $jurisdiction AS jurisdiction, m.iri AS measure, m.status AS status,
       toString(m.date) AS date
ORDER BY measure
