// Who holds a post in an organisation (ROLE), and in which meetings and events did each
// of them take part (PARTICIPANT; null when none)?
MATCH (p:Resource)-[:ROLE]->(:Resource {iri: $organisation})
OPTIONAL MATCH (e:Resource)-[:PARTICIPANT]->(p)
RETURN DISTINCT $organisation AS organisation, p.iri AS person, e.iri AS event, toString(e.date) AS date
ORDER BY person, event
