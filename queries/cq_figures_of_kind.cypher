// Which figures of a kind (budget, subsidy, count, production_share, ...) does the graph
// hold? Each with its value, unit (currency), fiscal year, whether it is approximate,
// and the entity it is stated about (`holder`, null when none).
MATCH (f:Figure)
WHERE f.figureKind = $kind AND f.value IS NOT NULL AND f.unit IS NOT NULL
OPTIONAL MATCH (h:Resource)-[:HAS_FIGURE]->(f)
RETURN DISTINCT $kind AS kind, f.iri AS figure, f.value AS value, f.unit AS unit,
       f.fiscalYear AS fiscal_year, f.approximate AS approximate, h.iri AS holder
ORDER BY figure, holder
