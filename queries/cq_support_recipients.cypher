// Which companies and bodies received support (RECIPIENT), under which measure, when,
// and how much (the measure's figures: value and unit)? Undated measures last.
MATCH (m:Resource)-[:RECIPIENT]->(r:Resource)
OPTIONAL MATCH (m)-[:HAS_FIGURE]->(f:Resource)
WHERE f.value IS NOT NULL AND f.unit IS NOT NULL
RETURN DISTINCT r.iri AS recipient, m.iri AS measure, toString(m.date) AS date,
       f.iri AS figure, f.value AS value, f.unit AS unit
ORDER BY recipient, coalesce(date, '9999-12-31'), measure, figure
