// A fingerprint of the data that changes with every load: the node and relationship
// counts (from Neo4j's count store) and the id the loader stamped on this load.
CALL () { MATCH (n) RETURN count(n) AS nodes }
CALL () { MATCH ()-[r]->() RETURN count(r) AS relationships }
OPTIONAL MATCH (e:Resource) WHERE e.load IS NOT NULL
WITH nodes, relationships, e.load AS load LIMIT 1
RETURN nodes, relationships, load
