"""Validate compiled RDF: SHACL shapes (pyshacl) and verbatim quotes.

A load is refused on any violation, before anything is written to a store. Each
problem names the record (file and line), the IRI, the shape and the message.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import RDF, Graph, Literal, URIRef

from eskg.errors import ConfigurationError, DataNotConformingError
from eskg.ontology import ESKG, SH, Ontology, local_name, shapes_path
from loaders.compile import Compiled

MAX_REPORTED = 50


@dataclass(frozen=True)
class Violation:
    """One SHACL result or failed quote, ready to show."""

    where: str
    focus: str
    shape: str
    path: str
    message: str

    def __str__(self) -> str:
        path = f" {self.path}" if self.path else ""
        return f"{self.where}: {self.focus}: shape {self.shape}{path}: {self.message}"


def union_graph(compiled: Compiled) -> Graph:
    """All statements of all graphs in one graph, as SHACL sees them."""
    g = Graph()
    for s, p, o, _ in compiled.dataset.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def load_shapes(ontology_dir: Path) -> Graph:
    """The committed SHACL shapes."""
    path = shapes_path(ontology_dir)
    if not path.exists():
        raise ConfigurationError(f"{path} is missing: run `eskg shapes` to generate it")
    return Graph().parse(path, format="turtle")


def shacl_violations(compiled: Compiled, onto: Ontology, shapes: Graph) -> list[Violation]:
    """Every SHACL violation of the compiled data, located in the curated files."""
    data = union_graph(compiled)
    conforms, report, _ = shacl_validate(
        data,
        shacl_graph=shapes,
        ont_graph=onto.graph,
        inference="none",
        abort_on_first=False,
        allow_warnings=True,
    )
    if conforms:
        return []
    assert isinstance(report, Graph)
    out: list[Violation] = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = str(report.value(result, SH.focusNode))
        origin = compiled.origin.get(focus) or compiled.citation_origin.get(focus)
        source_shape = report.value(result, SH.sourceShape)
        shape_name = local_name(str(source_shape)) if isinstance(source_shape, URIRef) else ""
        if not shape_name and source_shape is not None:
            parent = shapes.value(predicate=SH.property, object=source_shape)
            shape_name = local_name(str(parent)) if parent is not None else "property shape"
        path = report.value(result, SH.resultPath)
        value = report.value(result, SH.value)
        message = str(report.value(result, SH.resultMessage) or "violates the shape")
        if value is not None:
            message += f" (value: {value})"
        out.append(
            Violation(
                where=str(origin) if origin else "(generated)",
                focus=focus,
                shape=shape_name,
                path=local_name(str(path)) if path is not None else "",
                message=message,
            )
        )
    return sorted(out, key=lambda v: (v.where, v.focus, v.path, v.message))


def quote_violations(compiled: Compiled, sources_dir: Path) -> list[Violation]:
    """Citations whose quote is not found verbatim in the stored copy of their document."""
    ds = compiled.dataset
    texts: dict[str, str | None] = {}
    out: list[Violation] = []
    for cit in set(ds.subjects(RDF.type, ESKG.Citation)):
        quote = ds.value(cit, ESKG.quote)
        doc = ds.value(cit, ESKG.document)
        if quote is None or doc is None:
            continue
        key = str(doc)
        if key not in texts:
            copy = next((o for _, _, o, _ in ds.quads((doc, ESKG.localCopy, None, None))), None)
            if copy is None:
                texts[key] = None
            else:
                path = sources_dir / str(copy)
                if not path.is_file():
                    raise ConfigurationError(f"{doc}: local copy {path} does not exist")
                texts[key] = path.read_text(encoding="utf-8")
        text = texts[key]
        if text is not None and str(quote) not in text:
            where = compiled.citation_origin.get(str(cit))
            out.append(
                Violation(
                    where=str(where) if where else "(generated)",
                    focus=str(cit),
                    shape="verbatim quote",
                    path="quote",
                    message=f"quote not found verbatim in {local_name(key)}: {str(quote)[:80]!r}",
                )
            )
    return sorted(out, key=lambda v: (v.where, v.message))


def check(compiled: Compiled, onto: Ontology, shapes: Graph, sources_dir: Path) -> None:
    """Raise DataNotConformingError listing every violation; return quietly if none."""
    problems = shacl_violations(compiled, onto, shapes) + quote_violations(compiled, sources_dir)
    if problems:
        shown = "\n".join(str(p) for p in problems[:MAX_REPORTED])
        more = len(problems) - MAX_REPORTED
        tail = f"\n... and {more} more" if more > 0 else ""
        raise DataNotConformingError(
            f"{len(problems)} violation(s); nothing was loaded:\n{shown}{tail}"
        )


__all__ = ["Literal", "Violation", "check", "union_graph"]
