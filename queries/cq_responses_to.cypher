// What responds to a measure, law, event or risk (RESPONDS_TO)? Each response with its
// jurisdiction and date when the source gives them.
MATCH (r:Resource)-[:RESPONDS_TO]->(:Resource {iri: $target})
OPTIONAL MATCH (r)-[:JURISDICTION]->(j:Resource)
RETURN DISTINCT $target AS target, r.iri AS response, j.iri AS jurisdiction, toString(r.date) AS date
ORDER BY response, jurisdiction
