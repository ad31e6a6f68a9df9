// Per relationship type and direction, the most links one entity has: what a link field
// (a list without a limit) can return at most, for the GraphQL cost limit (api/cost.py).
MATCH (n:Resource)-[r]-(:Resource)
WHERE n.graph IS NOT NULL AND r.graph IS NOT NULL
WITH n, type(r) AS prop, CASE WHEN startNode(r) = n THEN 'OUT' ELSE 'IN' END AS direction,
     count(*) AS links
RETURN prop, direction, max(links) AS most
