// What did a company receive (every measure naming it as recipient: certifications,
// grants), when, under which legal basis (a law, or an article and the law it belongs
// to), and how much (the measure's figures)?
MATCH (m:Measure)-[:RECIPIENT]->(:Resource {iri: $company})
OPTIONAL MATCH (m)-[:LEGAL_BASIS]->(basis:Resource)
OPTIONAL MATCH (basis)-[:PART_OF]->(law:Law)
OPTIONAL MATCH (m)-[:HAS_FIGURE]->(f:Resource)
RETURN DISTINCT $company AS company, m.iri AS measure, toString(m.date) AS date,
       basis.iri AS legal_basis, law.iri AS basis_law, f.iri AS figure, f.value AS value,
       f.unit AS unit, f.figureKind AS kind
ORDER BY coalesce(date, '9999-12-31'), measure, coalesce(legal_basis, ''),
         coalesce(basis_law, ''), coalesce(figure, '')
