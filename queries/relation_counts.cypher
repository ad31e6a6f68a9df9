// Relations per type.
MATCH ()-[r]->()
WHERE r.graph IS NOT NULL
RETURN type(r) AS type, count(*) AS count
ORDER BY type
