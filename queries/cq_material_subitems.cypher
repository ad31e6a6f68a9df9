// What does a material comprise? Every material below it through any number of BROADER
// steps (minerals under critical minerals, parts under ship parts), with its English
// label and designation date when it has one.
MATCH (i:Material)-[:BROADER*1..]->(:Resource {iri: $material})
RETURN DISTINCT $material AS material, i.iri AS item, i.prefLabel_en AS label_en,
       toString(i.designatedOn) AS designated_on
ORDER BY item
