// Which specified critical materials (特定重要物資) is an organisation responsible for
// (RESPONSIBLE_BODY)? One row per material, with its Japanese and English labels and,
// when known, the date it was designated. With asOf, only the materials designated by
// then whose responsibility link holds on that date.
MATCH (m:SpecifiedCriticalMaterial)-[r:RESPONSIBLE_BODY]->(:Resource {iri: $body})
WHERE $asOf IS NULL OR (coalesce(m.designatedOn <= $asOf, true)
      AND coalesce(r.validFrom <= $asOf, true) AND coalesce(r.validUntil >= $asOf, true))
RETURN DISTINCT $body AS body, toString($asOf) AS asOf, m.iri AS material,
       m.prefLabel_ja AS label_ja, m.prefLabel_en AS label_en,
       toString(m.designatedOn) AS designated_on
ORDER BY material
