"""Issue 16: `support_recipients` showed Mazda against the ¥347.9bn of a whole round.

A round's total was attached to a measure whose recipients were several firms, so every
firm appeared to have received the total. Each firm now hangs on its own certification;
a round keeps its total and names no recipient. This test reads the bundled data.
"""

from __future__ import annotations

from eskg.store.embedded import EmbeddedStore


def test_no_recipient_is_paired_with_a_figure_of_a_measure_that_has_parts(
    embedded: EmbeddedStore,
) -> None:
    rows = embedded.rows("cq_support_recipients", {})
    with_figures = {(str(r["recipient"]), str(r["measure"])) for r in rows if r.get("figure")}
    assert with_figures, "the bundled data has support measures with figures"
    measures = {m for _, m in with_figures}
    parts = embedded.relations(sorted(measures))
    # a measure with parts (something is partOf it) is a round or a programme
    rounds = {
        m
        for m, links in parts.items()
        if any(r.prop == "partOf" and r.direction == "IN" for r in links)
    }
    all_rounds = {
        r.other
        for links in parts.values()
        for r in links
        if r.prop == "partOf" and r.direction == "OUT"
    }
    assert all_rounds, "the certifications are partOf their rounds"
    shown = sorted(pair for pair in with_figures if pair[1] in rounds)
    assert not shown, f"recipients shown against a round's total: {shown}"


def test_mazda_has_its_own_certification(embedded: EmbeddedStore) -> None:
    rows = embedded.rows("cq_support_recipients", {})
    mazda = {str(r["measure"]) for r in rows if str(r["recipient"]).endswith("/company/mazda")}
    assert mazda
    assert all("/measure/cert-storage-batteries-" in m for m in mazda), mazda
