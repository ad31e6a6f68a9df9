// Search on Neo4j: the entities a full-text index ($index, analyzer and Lucene query
// chosen by eskg/store/neo4j_search.py from the normalised text $text) finds in their
// normalised names, of a class in $types (or any), that hold $text in a name (or have it
// as an acronym), ranked as eskg/search_text.py ranks (tier: exact, prefix, substring;
// then the specificity of the classes, from the map $specificity; then the relation
// count the load wrote, counted here for a node without it; then the IRI), the best
// $take of them, with their names, classes and relation count. eskg/search_text.py
// decides over these rows, as it does over the embedded store's candidates.
CALL db.index.fulltext.queryNodes($index, $query) YIELD node AS n
WITH n, split(n.searchNames, '\n') AS names, split(coalesce(n.searchAcronyms, ''), '\n') AS acronyms
WHERE n.graph IS NOT NULL
  AND ($types IS NULL OR any(l IN labels(n) WHERE l IN $types))
  AND ($text IN acronyms OR any(x IN names WHERE x CONTAINS $text))
WITH n,
     CASE
       WHEN $text IN names THEN 3
       WHEN $text IN acronyms OR any(x IN names WHERE x STARTS WITH $text) THEN 2
       ELSE 1
     END AS tier,
     reduce(most = 0, t IN coalesce(n.types, []) |
       CASE WHEN coalesce($specificity[t], 0) > most THEN $specificity[t] ELSE most END
     ) AS specificity,
     CASE
       WHEN n.searchRelations IS NULL
       THEN COUNT { (n)-[r]-(:Resource) WHERE r.graph IS NOT NULL }
       ELSE n.searchRelations
     END AS relations
ORDER BY tier DESC, specificity DESC, relations DESC, n.iri
LIMIT $take
RETURN n.iri AS iri, n.searchNames AS names, n.searchAcronyms AS acronyms,
       n.types AS classes, relations
