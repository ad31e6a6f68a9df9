// Search candidates on Neo4j: the entities a full-text index ($index, analyzer and
// Lucene query chosen by eskg/store/neo4j_search.py from the normalised text) finds in
// their normalised names, of a class in $types (or any), with their names, classes and
// relation count. eskg/search_text.py matches and ranks them, as it does the embedded
// store's candidates.
CALL db.index.fulltext.queryNodes($index, $query) YIELD node AS n
WITH n
WHERE n.graph IS NOT NULL
  AND ($types IS NULL OR any(l IN labels(n) WHERE l IN $types))
RETURN n.iri AS iri, n.searchNames AS names, n.searchAcronyms AS acronyms,
       n.types AS classes, COUNT { (n)-[r]-(:Resource) WHERE r.graph IS NOT NULL } AS relations
