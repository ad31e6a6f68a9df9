"""Example arguments of the named questions: what the SPARQL examples page
(``python -m cli.sparql_examples``) and the offline query page of ``/sparql`` run each
question with. Ids are short ids under the base IRI."""

from __future__ import annotations

import datetime

#: Example argument per parameter name; ids are short ids under the base IRI.
EXAMPLES: dict[str, object] = {
    "technology": "tech/semiconductors",
    "material": "material/permanent-magnets",
    "body": "org/meti",
    "organisation": "org/meti",
    "law": "law/espa",
    "country": "country/jp",
    "partner": "group/eu",
    "jurisdiction": "country/us",
    "target": "country/cn",
    "entity": "material/iodine",
    "group": "group/g7",
    "risk": "risk/economic-coercion",
    "pillar": "pillar/protect",
    "dialogue": "dialogue/japan-us-economic-2plus2",
    "amended": "law/espa",
    "whole": "measure/japan-supply-chain-ews",
    "subject": "material/permanent-magnets",
    "object": "org/meti",
    "iri": "material/permanent-magnets",
    "graph": "",
    "class": "",
    "period_start": datetime.date(2023, 10, 1),
    "period_end": datetime.date(2024, 1, 1),
    "status": "under_review",
    "kind": "budget",
    "text": "永久磁石",
    "company": "company/jasm",
    "asOf": datetime.date(2025, 1, 1),
}


#: Arguments for questions whose answer the general examples above leave empty.
PER_QUERY: dict[str, dict[str, object]] = {
    "cq_measures_by_status": {"jurisdiction": "country/jp"},
    "cq_responses_to": {"target": "measure/cn-gallium-germanium-export-control"},
    "cq_material_partners": {"material": "material/lithium"},
    "cq_material_subitems": {"material": "material/critical-minerals"},
    "cq_country_risks": {"country": "country/cn"},
    "cq_materials_designated_in_period": {
        "period_start": datetime.date(2022, 1, 1),
        "period_end": datetime.date(2023, 1, 1),
    },
}
