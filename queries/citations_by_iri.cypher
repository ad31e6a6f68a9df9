// Citations whose IRIs are in the list `iris` (a variable, as in entity_by_iri): the
// document, locator and verbatim quote.
UNWIND iris AS iri
MATCH (c:Resource {iri: iri})-[:DOCUMENT]->(d:Resource)
RETURN c.iri AS iri, d.iri AS document, c.locator AS locator, c.quote AS quote
