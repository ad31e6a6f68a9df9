// The most relations one entity has (both directions): what a relation list without a
// limit can return at most, for the GraphQL cost limit (api/cost.py).
MATCH (n:Resource)
WHERE n.graph IS NOT NULL
RETURN coalesce(max(COUNT { (n)-[r]-(:Resource) WHERE r.graph IS NOT NULL }), 0) AS relations
