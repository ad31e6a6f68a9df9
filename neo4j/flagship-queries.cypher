// eskg: the flagship questions for Neo4j Browser (http://127.0.0.1:7474/browser/).
// Load the data first: eskg neo4j start && eskg load --store neo4j.
// Each query is self-contained: change the IRI in its first line and run it. Paste one at
// a time, or drop this file on Browser's "Favorites" drawer to keep them all (see
// docs/explorer.md). The queries follow queries/measures_covering_*.cypher, which the
// API runs; they return paths so Browser draws them with neo4j/browser-style.grass.

// 1. Which measures cover a material? (graph: measure -> ... -> material)
WITH 'https://w3id.org/eskg/id/material/permanent-magnets' AS material
MATCH (t:Resource {iri: material})
CALL (t) {
  MATCH p = (m:Measure)-[:COVERS_MATERIAL]->(:Material)-[:BROADER*0..2]->(t)
  RETURN p
  UNION
  MATCH p = (m:Measure)-[:COVERS_MATERIAL]->(:Material)<-[:BROADER*1..2]-(t)
  RETURN p
}
RETURN p;

// 2. The same question as a table, with the sources of every edge on each path.
WITH 'https://w3id.org/eskg/id/material/permanent-magnets' AS material
MATCH (t:Resource {iri: material})
CALL (t) {
  MATCH p = (m:Measure)-[:COVERS_MATERIAL]->(:Material)-[:BROADER*0..2]->(t)
  RETURN p
  UNION
  MATCH p = (m:Measure)-[:COVERS_MATERIAL]->(:Material)<-[:BROADER*1..2]-(t)
  RETURN p
}
UNWIND relationships(p) AS r
MATCH (c:Citation) WHERE c.iri IN r.citations
OPTIONAL MATCH (c)-[:DOCUMENT]->(d)
RETURN coalesce(nodes(p)[0].prefLabel_ja, nodes(p)[0].prefLabel_en) AS measure,
       [n IN nodes(p) | coalesce(n.prefLabel_ja, n.prefLabel_en)] AS path,
       collect(DISTINCT {relation: type(r), document: coalesce(d.prefLabel_ja, d.prefLabel_en),
                         url: d.url, locator: c.locator, quote: c.quote}) AS sources
ORDER BY measure;

// 3. Which measures cover a technology? Directly, through broader/narrower technologies,
//    or through a material used in it. (graph)
WITH 'https://w3id.org/eskg/id/tech/semiconductors' AS technology
MATCH (t:Resource {iri: technology})
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
RETURN p;

// 4. The same for a technology, as a table with sources.
WITH 'https://w3id.org/eskg/id/tech/semiconductors' AS technology
MATCH (t:Resource {iri: technology})
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
UNWIND relationships(p) AS r
MATCH (c:Citation) WHERE c.iri IN r.citations
OPTIONAL MATCH (c)-[:DOCUMENT]->(d)
RETURN coalesce(nodes(p)[0].prefLabel_ja, nodes(p)[0].prefLabel_en) AS measure,
       [n IN nodes(p) | coalesce(n.prefLabel_ja, n.prefLabel_en)] AS path,
       collect(DISTINCT {relation: type(r), document: coalesce(d.prefLabel_ja, d.prefLabel_en),
                         url: d.url, locator: c.locator, quote: c.quote}) AS sources
ORDER BY measure;

// 5. Measures covering a material that had started by a date (the explorer's time filter):
//    a measure counts once its inForceFrom / designatedOn / date is on or before the date.
WITH 'https://w3id.org/eskg/id/material/permanent-magnets' AS material, date('2022-06-01') AS asOf
MATCH (t:Resource {iri: material})
CALL (t) {
  MATCH p = (m:Measure)-[:COVERS_MATERIAL]->(:Material)-[:BROADER*0..2]->(t)
  RETURN p
  UNION
  MATCH p = (m:Measure)-[:COVERS_MATERIAL]->(:Material)<-[:BROADER*1..2]-(t)
  RETURN p
}
WITH p, asOf, nodes(p)[0] AS m
WITH p, asOf, m, coalesce(m.inForceFrom, m.designatedOn, m.date, m.promulgatedOn, m.enactedOn) AS began
WHERE (began IS NULL OR began <= asOf) AND (m.validUntil IS NULL OR m.validUntil >= asOf)
RETURN p;

// 6. An entity and its neighbours (what the explorer shows first), without citation nodes.
WITH 'https://w3id.org/eskg/id/material/permanent-magnets' AS iri
MATCH (e:Resource {iri: iri})-[r]-(n)
WHERE NOT n:Citation
RETURN e, r, n;

// 7. How are these connected? The shortest chains between two entities (at most 4 steps).
WITH 'https://w3id.org/eskg/id/material/permanent-magnets' AS from,
     'https://w3id.org/eskg/id/country/cn' AS to
MATCH (a:Resource {iri: from}), (b:Resource {iri: to})
MATCH p = allShortestPaths((a)-[*..4]-(b))
WHERE none(n IN nodes(p) WHERE n:Citation)
RETURN p
LIMIT 5;
