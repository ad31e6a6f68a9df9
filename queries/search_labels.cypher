// Entities whose Japanese or English labels match a text: exact match first, then
// prefix, then substring; ties by IRI. $types (class names, or null) filters by class.
MATCH (n:Resource)
WHERE n.graph IS NOT NULL
  AND ($types IS NULL OR any(l IN labels(n) WHERE l IN $types))
WITH n, toLower($text) AS q,
     [x IN [n.prefLabel_ja, n.prefLabel_en] + coalesce(n.altLabel_ja, []) + coalesce(n.altLabel_en, [])
      WHERE x IS NOT NULL | toLower(x)] AS names
WITH n, CASE
          WHEN q IN names THEN 3
          WHEN any(x IN names WHERE x STARTS WITH q) THEN 2
          WHEN any(x IN names WHERE x CONTAINS q) THEN 1
          ELSE 0
        END AS score
WHERE score > 0
RETURN n.iri AS iri, score
ORDER BY score DESC, iri
LIMIT $limit
