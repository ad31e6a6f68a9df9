// Which measures cover a material? A measure covers it directly, or covers a broader
// material it belongs to, or a narrower one (up to two skos:broader steps). Each answer
// is the path from the measure to the material, with the citations and validity (from, until) of every edge.
MATCH (t:Resource {iri: $material})
CALL (t) {
  MATCH p = (m:Measure)-[:COVERS_MATERIAL]->(:Material)-[:BROADER*0..2]->(t)
  RETURN p
  UNION
  MATCH p = (m:Measure)-[:COVERS_MATERIAL]->(:Material)<-[:BROADER*1..2]-(t)
  RETURN p
}
RETURN [n IN nodes(p) | n.iri] AS nodes, [r IN relationships(p) | r.citations] AS citations,
       [r IN relationships(p) | [toString(r.validFrom), toString(r.validUntil)]] AS validity
