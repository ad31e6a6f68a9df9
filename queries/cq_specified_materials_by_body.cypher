// Which specified critical materials (特定重要物資) is an organisation responsible for
// (RESPONSIBLE_BODY)? One row per material, with its Japanese and English labels and,
// when known, the date it was designated.
MATCH (m:SpecifiedCriticalMaterial)-[:RESPONSIBLE_BODY]->(:Resource {iri: $body})
RETURN DISTINCT $body AS body, m.iri AS material, m.prefLabel_ja AS label_ja,
       m.prefLabel_en AS label_en, toString(m.designatedOn) AS designated_on
ORDER BY material
