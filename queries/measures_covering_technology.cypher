// Which measures cover a technology? A measure covers it directly, through a narrower
// or broader technology (up to two skos:broader steps), or through a material used in
// or belonging to the technology (or a narrower one). Each answer is the path from the
// measure to the technology, with the citations and validity (from, until) of every edge on it.
MATCH (t:Resource {iri: $technology})
CALL (t) {
  MATCH p = (m:Measure)-[:COVERS_TECHNOLOGY]->(:Technology)-[:BROADER*0..2]->(t)
  RETURN p
  UNION
  MATCH p = (m:Measure)-[:COVERS_TECHNOLOGY]->(:Technology)<-[:BROADER*1..2]-(t)
  RETURN p
  UNION
  MATCH p = (m:Measure)-[:COVERS_MATERIAL]->(:Material)-[:USED_IN|IN_FIELD]->(:Technology)-[:BROADER*0..1]->(t)
  RETURN p
}
RETURN [n IN nodes(p) | n.iri] AS nodes, [r IN relationships(p) | r.citations] AS citations,
       [r IN relationships(p) | [toString(r.validFrom), toString(r.validUntil)]] AS validity
