// Entities of a class (its subclasses included), in IRI order. $class is the class IRI.
MATCH (n:Resource)
WHERE n.graph IS NOT NULL
  AND any(l IN labels(n) WHERE 'https://w3id.org/eskg/ontology#' + l = $class)
RETURN n.iri AS iri
ORDER BY iri
