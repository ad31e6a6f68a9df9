// When did a dialogue meet? Its meetings (MEETING_OF) in date order (undated ones last),
// with their number in the series and date precision when the source gives them.
MATCH (m:Resource)-[:MEETING_OF]->(:Resource {iri: $dialogue})
RETURN DISTINCT $dialogue AS dialogue, m.iri AS meeting, toString(m.date) AS date,
       m.datePrecision AS precision, m.ordinal AS ordinal
ORDER BY coalesce(date, '9999-12-31'), meeting
