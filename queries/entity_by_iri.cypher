// The stored statements of the entities whose IRIs are in the list `iris` (a variable,
// bound by whoever runs this: `WITH $iris AS iris` alone, or a composed statement):
// their node's labels, literal properties and citations; with the list `$keys`, only
// the values of those property keys, in its order (null for a key a node lacks).
UNWIND iris AS iri
MATCH (n:Resource {iri: iri})
WHERE n.graph IS NOT NULL
RETURN n.iri AS iri, CASE WHEN $keys IS NULL THEN properties(n) END AS props,
       [k IN coalesce($keys, []) | n[k]] AS values
