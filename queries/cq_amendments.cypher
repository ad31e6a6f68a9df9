// What amends a law or measure (AMENDS), and when was each amendment enacted,
// promulgated or dated, with its status?
MATCH (a:Resource)-[:AMENDS]->(:Resource {iri: $amended})
RETURN DISTINCT $amended AS amended, a.iri AS amendment, toString(a.enactedOn) AS enacted_on,
       toString(a.promulgatedOn) AS promulgated_on, toString(a.date) AS date, a.status AS status
ORDER BY amendment
