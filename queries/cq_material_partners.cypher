// With whom does a country work on a material? Measures, dialogues and events that cover
// the material (COVERS_MATERIAL) and name another country or grouping as a participant
// or target (PARTICIPANT, TARGETS_COUNTRY), with the date when known.
MATCH (a:Resource)-[:COVERS_MATERIAL]->(:Resource {iri: $material}),
      (a)-[:PARTICIPANT|JURISDICTION]->(:Resource {iri: $country}),
      (a)-[:PARTICIPANT|TARGETS_COUNTRY]->(p:Jurisdiction)
WHERE p.iri <> $country
RETURN DISTINCT $material AS material, $country AS country, a.iri AS activity, p.iri AS partner,
       toString(a.date) AS date
ORDER BY activity, partner
