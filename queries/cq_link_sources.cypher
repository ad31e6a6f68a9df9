// On what sources does a link from one entity to another rest? Every relation from
// $subject to $object, named as its relationship type (UPPER_SNAKE of the property),
// with each citation's document, locator and verbatim quote.
MATCH (:Resource {iri: $subject})-[r]->(:Resource {iri: $object})
WHERE r.graph IS NOT NULL
UNWIND r.citations AS cit
MATCH (c:Citation {iri: cit})-[:DOCUMENT]->(d:Resource)
RETURN DISTINCT $subject AS subject, $object AS object, type(r) AS relation, c.iri AS citation,
       d.iri AS document, c.locator AS locator, c.quote AS quote
ORDER BY relation, citation
