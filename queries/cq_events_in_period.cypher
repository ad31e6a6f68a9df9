// What happened in a period [$period_start, $period_end)? Events and meetings dated in
// it, in date order, with how precise the source is about the date (day, month, year).
MATCH (e:Event)
WHERE e.date >= $period_start AND e.date < $period_end
RETURN DISTINCT toString($period_start) AS period_start, toString($period_end) AS period_end,
       e.iri AS event, toString(e.date) AS date, e.datePrecision AS precision
ORDER BY date, event
