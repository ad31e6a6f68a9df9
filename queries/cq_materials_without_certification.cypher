// Which specified critical materials have no certified plan (a Certification covering
// the material or one of its sub-items), as of a date when one is given? On asOf, a
// material counts once designated, and a plan once certified, not ended, and while its
// coverage link holds.
MATCH (m:SpecifiedCriticalMaterial)
WHERE ($asOf IS NULL OR coalesce(m.designatedOn <= $asOf, true))
  AND NOT EXISTS {
    MATCH (c:Certification)-[r:COVERS_MATERIAL]->(:Resource)-[:BROADER*0..2]->(m)
    WHERE $asOf IS NULL OR (coalesce(c.date <= $asOf, true)
          AND coalesce(c.validUntil >= $asOf, true)
          AND coalesce(r.validFrom <= $asOf, true) AND coalesce(r.validUntil >= $asOf, true))
  }
RETURN m.iri AS material, toString(m.designatedOn) AS designated_on, toString($asOf) AS asOf
ORDER BY material
