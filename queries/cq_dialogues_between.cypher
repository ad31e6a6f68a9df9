// Which dialogues do two parties both take part in (PARTICIPANT), how many meetings of
// each does the graph hold, and when was the first and the last dated one?
MATCH (:Resource {iri: $country})<-[:PARTICIPANT]-(d:Dialogue)
      -[:PARTICIPANT]->(:Resource {iri: $partner})
WITH DISTINCT d
WITH d,
     COUNT { MATCH (m:Resource)-[:MEETING_OF]->(d) RETURN DISTINCT m } AS meetings,
     COLLECT { MATCH (m:Resource)-[:MEETING_OF]->(d) WHERE m.date IS NOT NULL RETURN m.date } AS dates
RETURN $country AS country, $partner AS partner, d.iri AS dialogue, meetings,
       toString(reduce(a = null, x IN dates | CASE WHEN a IS NULL OR x < a THEN x ELSE a END)) AS first,
       toString(reduce(a = null, x IN dates | CASE WHEN a IS NULL OR x > a THEN x ELSE a END)) AS last
ORDER BY dialogue
