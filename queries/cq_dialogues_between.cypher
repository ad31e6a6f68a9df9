// Which dialogues do two parties both take part in (PARTICIPANT), how many meetings of
// each does the graph hold, and when was the first and the last dated one?
MATCH (:Resource {iri: $country})<-[:PARTICIPANT]-(d:Dialogue)-[:PARTICIPANT]->(:Resource {iri: $partner})
OPTIONAL MATCH (m:Resource)-[:MEETING_OF]->(d)
WITH d, count(DISTINCT m) AS meetings, min(m.date) AS first, max(m.date) AS last
RETURN $country AS country, $partner AS partner, d.iri AS dialogue, meetings,
       toString(first) AS first, toString(last) AS last
ORDER BY dialogue
