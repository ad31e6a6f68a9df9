"""The competency questions (``queries/cq_*``) as one generic GraphQL field.

Front-ends list the questions with ``questions`` (name, the question in words, its
parameters) and ask one with ``question(name:, arguments:)``. Each argument says what it
is (an entity id, a date or text), so values always travel as typed parameters; the
answer is a table of text cells, with entity IRIs also given as short ids.
"""

from __future__ import annotations

import datetime

import strawberry
from rdflib import URIRef
from strawberry.types import Info

from api.types import ctx, short_id
from api.validation import valid_text
from eskg.errors import InvalidInputError, NotFoundError
from eskg.queries import QueryFiles

PREFIX = "cq_"


def parameters(query: QueryFiles) -> list[str]:
    """The parameter names of a question, in order of first use in its Cypher."""
    return query.parameters


@strawberry.type(description="A competency question a researcher can ask.")
class QuestionInfo:
    name: str
    description: str
    parameters: list[str]
    optional: list[str] = strawberry.field(
        description="The parameters it may be asked without (asOf, say)."
    )


@strawberry.input(description="One argument of a question: give exactly one of id, date or text.")
class QuestionArgument:
    name: str
    id: strawberry.ID | None = None
    date: datetime.date | None = None
    text: str | None = None


@strawberry.type(description="One cell of an answer; entities also have their short id.")
class Cell:
    value: str | None
    id: str | None


@strawberry.type(description="The answer to a question: named columns and rows of cells.")
class QuestionAnswer:
    columns: list[str]
    rows: list[list[Cell]]


def list_questions(info: Info) -> list[QuestionInfo]:
    """Every ``cq_*`` question of the query library."""
    library = ctx(info).store.queries
    return [
        QuestionInfo(
            name=name[len(PREFIX) :],
            description=q.description,
            parameters=parameters(q),
            optional=[p for p in parameters(q) if p in q.optional],
        )
        for name, q in sorted(library.queries.items())
        if name.startswith(PREFIX)
    ]


async def ask(info: Info, name: str, arguments: list[QuestionArgument]) -> QuestionAnswer:
    """Run one question with typed arguments."""
    c = ctx(info)
    full = name if name.startswith(PREFIX) else PREFIX + name
    if full not in c.store.queries.queries:
        known = ", ".join(q.name for q in list_questions(info))
        raise NotFoundError(f"no question named {name!r}; known: {known}")
    wanted = parameters(c.store.queries.get(full))
    params: dict[str, object] = {}
    for arg in arguments:
        given = [v for v in (arg.id, arg.date, arg.text) if v is not None]
        if arg.name not in wanted:
            raise InvalidInputError(f"question {name!r} takes {wanted}, not {arg.name!r}")
        if len(given) != 1:
            raise InvalidInputError(f"argument {arg.name!r}: give exactly one of id, date, text")
        for text in (arg.name, arg.text, None if arg.id is None else str(arg.id)):
            if text is not None:
                valid_text(text, f"argument {arg.name!r}")
        if arg.id is not None:
            value = str(arg.id).strip()
            base = c.settings.base_iri
            params[arg.name] = URIRef(
                value if value.startswith(("http://", "https://")) else base + value
            )
        else:
            params[arg.name] = given[0]
    optional = c.store.queries.get(full).optional
    missing = [p for p in wanted if p not in params and p not in optional]
    if missing:
        raise InvalidInputError(f"question {name!r} needs arguments {missing}")
    rows = await c.run(c.store.rows, full, params)
    columns = [col for col in (rows[0] if rows else {}) if col not in wanted]
    base = c.settings.base_iri

    def cell(value: object) -> Cell:
        text = None if value is None else str(value)
        is_entity = text is not None and text.startswith(base)
        return Cell(value=text, id=short_id(text, base) if is_entity and text else None)

    return QuestionAnswer(
        columns=columns, rows=[[cell(row.get(col)) for col in columns] for row in rows]
    )
