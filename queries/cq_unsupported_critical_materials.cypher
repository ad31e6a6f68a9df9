// Which specified critical materials does no support programme cover (no
// SupportProgramme with COVERS_MATERIAL to the material or to a material it belongs to
// through BROADER)? A gap question: designation without support in the graph.
MATCH (m:SpecifiedCriticalMaterial)
WHERE NOT EXISTS { MATCH (m)-[:BROADER*0..]->(:Resource)<-[:COVERS_MATERIAL]-(:SupportProgramme) }
RETURN DISTINCT m.iri AS material, toString(m.designatedOn) AS designated_on
ORDER BY material
