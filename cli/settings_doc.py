"""Write docs/settings.md from the comments in ``eskg/config.py``.

Run ``python -m cli.settings_doc > docs/settings.md``; a test checks the file is current,
so a setting cannot be added without its line in the docs.
"""

from __future__ import annotations

import ast
import inspect

from eskg import config

ALIASED = {"neo4j_uri", "neo4j_user", "neo4j_password"}
SECRET = {"neo4j_password", "admin_token"}


def rows() -> list[tuple[str, str, str, str]]:
    """(variable, type, default, meaning) per setting, in source order."""
    source = inspect.getsource(config.Settings)
    lines = source.splitlines()
    tree = ast.parse(source)
    cls = tree.body[0]
    assert isinstance(cls, ast.ClassDef)
    out = []
    comment: list[str] = []
    previous_end = cls.body[0].end_lineno or 0
    for node in cls.body:
        if not isinstance(node, ast.AnnAssign) or not isinstance(node.target, ast.Name):
            previous_end = node.end_lineno or previous_end
            continue
        above = [ln.strip() for ln in lines[previous_end : node.lineno - 1]]
        block = [ln[1:].strip() for ln in above if ln.startswith("#")]
        if block:
            comment = block
        previous_end = node.end_lineno or node.lineno
        name = node.target.id
        if name == "model_config":
            continue
        value = node.value
        if isinstance(value, ast.Call) and getattr(value.func, "id", "") == "Field":
            value = value.args[0] if value.args else None
        shown = ast.unparse(value) if value is not None else ""
        default = "(hidden)" if name in SECRET else shown.replace("paths.", "")
        env = (
            f"`NEO4J_{name[6:].upper()}` or `ESKG_{name.upper()}`"
            if name in ALIASED
            else f"`ESKG_{name.upper()}`"
        )
        out.append((env, ast.unparse(node.annotation), default, " ".join(comment)))
    return out


def render() -> str:
    """The Markdown page."""
    head = [
        "# Settings",
        "",
        "Every setting is read from the environment (pydantic-settings, `eskg/config.py`).",
        "This page is generated from the comments there: `python -m cli.settings_doc > docs/settings.md`.",
        "A comment applies to the settings below it up to the next comment.",
        "",
        "| variable | type | default | meaning |",
        "|---|---|---|---|",
    ]
    body = [f"| {v} | `{t}` | `{d}` | {m} |" for v, t, d, m in rows()]
    return "\n".join(head + body) + "\n"


if __name__ == "__main__":
    print(render(), end="")
