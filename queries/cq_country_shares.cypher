// Which countries concentrate the supply of a material (or anything else with share
// figures)? The figures of the entity that name a country (FIGURE_COUNTRY) with their
// value, unit, kind and whether the source gives them as approximate; largest first.
MATCH (:Resource {iri: $entity})-[:HAS_FIGURE]->(f:Figure)-[:FIGURE_COUNTRY]->(c:Resource)
WHERE f.value IS NOT NULL AND f.unit IS NOT NULL
RETURN DISTINCT $entity AS entity, f.iri AS figure, c.iri AS country, f.value AS value,
       f.unit AS unit, f.figureKind AS kind, f.approximate AS approximate
ORDER BY toFloat(value) DESC, country, figure
