// Which materials does a technology need? Materials used in it (USED_IN) or belonging
// to its field (IN_FIELD), for the technology itself or any narrower one (`via`, through
// any number of BROADER steps).
MATCH (m:Material)-[r:USED_IN|IN_FIELD]->(v:Resource)-[:BROADER*0..]->(:Resource {iri: $technology})
RETURN DISTINCT $technology AS technology, m.iri AS material,
       CASE type(r) WHEN 'USED_IN' THEN 'usedIn' ELSE 'inField' END AS link, v.iri AS via
ORDER BY material, link, via
