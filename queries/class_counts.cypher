// Entities per class (a class counts the instances of its subclasses too).
MATCH (n:Resource)
WHERE n.graph IS NOT NULL
UNWIND labels(n) AS class
WITH class WHERE class <> 'Resource'
RETURN class, count(*) AS count
ORDER BY class
