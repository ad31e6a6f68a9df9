// Which materials were designated in a period [$period_start, $period_end)
// (designatedOn), with the precision of the date and when the designation took effect?
MATCH (m:Material)
WHERE m.designatedOn >= $period_start AND m.designatedOn < $period_end
RETURN DISTINCT toString($period_start) AS period_start, toString($period_end) AS period_end,
       m.iri AS material, toString(m.designatedOn) AS designated_on, m.datePrecision AS precision,
       toString(m.inForceFrom) AS in_force_from
ORDER BY designated_on, material
