"""Named questions as files: ``queries/NAME.cypher`` and ``queries/NAME.rq``.

Queries are loaded by name and checked at start-up: a question without both forms is
an error before the service answers anything. Values travel only as parameters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from eskg.errors import ConfigurationError, NotFoundError

LANGUAGES = ("cypher", "rq")
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_OPTIONAL = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)\s+IS\s+NULL\b", re.IGNORECASE)


@dataclass(frozen=True)
class QueryFiles:
    """The Cypher and SPARQL text of one named question."""

    name: str
    cypher: str
    sparql: str

    @property
    def parameters(self) -> list[str]:
        """The parameter names, in order of first use in the Cypher."""
        return list(dict.fromkeys(_PARAM.findall(self.cypher)))

    @property
    def optional(self) -> frozenset[str]:
        """The parameters the question may be asked without: those its Cypher tests with
        ``$name IS NULL`` (so it answers for a null value, and SPARQL for an unbound one)."""
        return frozenset(_OPTIONAL.findall(self.cypher))

    @property
    def description(self) -> str:
        """The question in words: the leading comment lines of the SPARQL file."""
        lines = []
        for line in self.sparql.splitlines():
            if not line.startswith("#"):
                break
            lines.append(line.lstrip("# ").rstrip())
        return " ".join(x for x in lines if x)


class QueryLibrary:
    """All named questions of a folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.queries: dict[str, QueryFiles] = {}
        names = {p.stem for p in folder.glob("*.cypher")} | {p.stem for p in folder.glob("*.rq")}
        missing = []
        for name in sorted(names):
            paths = {lang: folder / f"{name}.{lang}" for lang in LANGUAGES}
            absent = [str(p) for p in paths.values() if not p.exists()]
            if absent:
                missing.extend(absent)
                continue
            self.queries[name] = QueryFiles(
                name,
                paths["cypher"].read_text(encoding="utf-8"),
                paths["rq"].read_text(encoding="utf-8"),
            )
        if missing:
            raise ConfigurationError(
                "every question needs both a Cypher and a SPARQL file; missing: "
                + ", ".join(missing)
            )

    def get(self, name: str) -> QueryFiles:
        """The question of that name, or NotFoundError listing the known ones."""
        try:
            return self.queries[name]
        except KeyError:
            raise NotFoundError(
                f"no query named {name!r}; known: {', '.join(sorted(self.queries))}"
            ) from None

    def require(self, *names: str) -> None:
        """Fail now if any of these questions is missing."""
        for name in names:
            self.get(name)


@lru_cache(maxsize=4)
def load_library(folder: Path) -> QueryLibrary:
    """The query library of a folder (cached)."""
    if not folder.is_dir():
        raise ConfigurationError(f"{folder}: no queries folder")
    return QueryLibrary(folder)
