// On what sources do an entity's own statements (its types, labels and properties)
// rest? Each citation with its document, locator and verbatim quote.
MATCH (n:Resource {iri: $entity})
WHERE n.graph IS NOT NULL
UNWIND n.citations AS cit
MATCH (c:Citation {iri: cit})-[:DOCUMENT]->(d:Resource)
RETURN DISTINCT $entity AS entity, c.iri AS citation, d.iri AS document, c.locator AS locator,
       c.quote AS quote
ORDER BY citation
