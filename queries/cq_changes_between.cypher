// What changed between two dates (from period_start, before period_end): materials and
// sectors designated, plans certified, laws and measures that amend another, and
// relations that start (validFrom) or end (validUntil) in the period?
CALL () {
  MATCH (d:Resource)
  WHERE d.designatedOn >= $period_start AND d.designatedOn < $period_end
  RETURN d.designatedOn AS day, 'designated' AS kind, d.iri AS subject, null AS property,
         null AS object
  UNION
  MATCH (c:Certification)
  WHERE c.date >= $period_start AND c.date < $period_end
  RETURN c.date AS day, 'certified' AS kind, c.iri AS subject, null AS property,
         null AS object
  UNION
  MATCH (a:Resource)-[:AMENDS]->(t:Resource)
  WITH a, t, coalesce(a.enactedOn, a.promulgatedOn, a.date) AS day
  WHERE day >= $period_start AND day < $period_end
  RETURN day, 'amended' AS kind, a.iri AS subject, 'amends' AS property, t.iri AS object
  UNION
  MATCH (s:Resource)-[r]->(o:Resource)
  WHERE r.validFrom >= $period_start AND r.validFrom < $period_end
  WITH s, r, o, split(toLower(type(r)), '_') AS words
  RETURN r.validFrom AS day, 'relation_starts' AS kind, s.iri AS subject,
         reduce(n = head(words), w IN tail(words) | n + toUpper(left(w, 1)) + substring(w, 1))
           AS property, o.iri AS object
  UNION
  MATCH (s:Resource)-[r]->(o:Resource)
  WHERE r.validUntil >= $period_start AND r.validUntil < $period_end
  WITH s, r, o, split(toLower(type(r)), '_') AS words
  RETURN r.validUntil AS day, 'relation_ends' AS kind, s.iri AS subject,
         reduce(n = head(words), w IN tail(words) | n + toUpper(left(w, 1)) + substring(w, 1))
           AS property, o.iri AS object
}
RETURN DISTINCT toString($period_start) AS period_start, toString($period_end) AS period_end,
       toString(day) AS day, kind, subject, property, object
ORDER BY day, kind, subject, coalesce(property, ''), coalesce(object, '')
