"""The list bounds of quads (``eskg.bounds``), counted as they stream into Oxigraph.

``counted`` passes the quads a bulk load reads through unchanged, adding each relation
among them to a ``BoundsCounter``: the load counts the bounds in the pass it makes
anyway, and stores them in the search index written beside the data
(``search_index``), so both are replaced together.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyoxigraph as ox

from eskg.bounds import BoundsCounter, DataBounds
from eskg.ontology import local_name

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def counted(quads: Iterable[ox.Quad], counter: BoundsCounter, skip_graph: str) -> Iterator[ox.Quad]:
    """The quads, each relation among them (an IRI object, not ``rdf:type``, in a named
    graph other than ``skip_graph``) added to ``counter`` as it passes."""
    named, blank, default = ox.NamedNode, ox.BlankNode, ox.DefaultGraph
    add = counter.add
    #: predicate IRI -> the property's name (None for rdf:type: not a relation)
    names: dict[str, str | None] = {RDF_TYPE: None}
    for q in quads:
        o, g, s = q.object, q.graph_name, q.subject
        if (
            isinstance(o, named)
            and not isinstance(g, default)
            and isinstance(s, (named, blank))
            and g.value != skip_graph
        ):
            p = q.predicate.value
            if p not in names:
                names[p] = local_name(p)
            name = names[p]
            if name is not None:
                add(s.value, name, o.value)
        yield q


def bounds_of(store: ox.Store, skip_graph: str) -> DataBounds:
    """The bounds of what ``store`` holds (one pass over it: for a store whose index
    must be rebuilt when it is opened)."""
    counter = BoundsCounter()
    for _ in counted(store, counter, skip_graph):
        pass
    return counter.bounds()
