// Which meetings and other events did two parties (countries, groupings or
// organisations) both take part in during a period [$period_start, $period_end), with the
// dialogue each meeting belongs to and what it produced (OUTCOME)?
MATCH (:Resource {iri: $country})<-[:PARTICIPANT]-(m:Event)-[:PARTICIPANT]->(:Resource {iri: $partner})
WHERE m.date >= $period_start AND m.date < $period_end
OPTIONAL MATCH (m)-[:MEETING_OF]->(d:Resource)
OPTIONAL MATCH (m)-[:OUTCOME]->(o:Resource)
RETURN DISTINCT $country AS country, $partner AS partner,
       toString($period_start) AS period_start, toString($period_end) AS period_end,
       m.iri AS meeting, toString(m.date) AS date, d.iri AS dialogue, o.iri AS outcome
ORDER BY date, meeting, dialogue, outcome
