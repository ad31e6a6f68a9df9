// How much certified support does each material have: how many certified plans
// (Certification) cover it, and the sum of their maximum subsidies in yen (their
// subsidy_cap figures, each counted once)?
MATCH (c:Certification)-[:COVERS_MATERIAL]->(m:Resource)
OPTIONAL MATCH (c)-[:HAS_FIGURE]->(f:Resource)
WHERE f.figureKind = 'subsidy_cap' AND f.unit = 'JPY'
WITH m, collect(DISTINCT c.iri) AS certs, collect(DISTINCT f) AS caps
RETURN m.iri AS material, size(certs) AS certifications,
       CASE WHEN size(caps) = 0 THEN null
            ELSE reduce(total = 0, f IN caps | total + toInteger(f.value)) END AS total_jpy
ORDER BY material
