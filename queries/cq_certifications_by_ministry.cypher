// Which certified plans (Certification) has each ministry (RESPONSIBLE_BODY) certified,
// when, for which company and which material or technology?
MATCH (c:Certification)-[:RESPONSIBLE_BODY]->(b:Resource)
OPTIONAL MATCH (c)-[:RECIPIENT]->(co:Resource)
OPTIONAL MATCH (c)-[:COVERS_MATERIAL|COVERS_TECHNOLOGY]->(x:Resource)
RETURN DISTINCT b.iri AS ministry, c.iri AS certification, toString(c.date) AS date,
       co.iri AS company, x.iri AS covers
ORDER BY ministry, coalesce(date, '9999-12-31'), certification, coalesce(company, ''),
         coalesce(covers, '')
