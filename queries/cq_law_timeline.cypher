// What is the timeline of a law? The dated events that concern it or one of its
// provisions (at any depth of PART_OF), in date order. `about` is the law or provision
// concerned.
MATCH (e:Event)-[:CONCERNS]->(a:Resource)-[:PART_OF*0..]->(:Resource {iri: $law})
WHERE e.date IS NOT NULL
RETURN DISTINCT $law AS law, e.iri AS event, toString(e.date) AS date, a.iri AS about
ORDER BY date, event, about
