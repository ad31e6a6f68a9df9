"""Write Neo4j Browser style files from the ontology, in the explorer's colours.

    python -m cli.browser_style            # writes neo4j/browser-style.grass (Japanese captions)
                                          # and neo4j/browser-style.en.grass (English captions)
    python -m cli.browser_style --check    # exit 1 if the committed files are stale

Colours come from the ontology (``eskg.vocab``) (each class takes its top-level class's
colour), the same table the GraphQL ``ontology`` field gives the explorer, so a node has
the same colour in the explorer and in Neo4j Browser. Neo4j labels are the class and its
eskg superclasses; since a class and its superclasses share a colour, the order in which
Browser applies the rules does not matter.
"""

from __future__ import annotations

import argparse
import sys

from eskg.config import Settings
from eskg.ontology import load_ontology
from eskg.paths import ROOT
from eskg.vocab import vocabulary

OUT = {
    "ja": ROOT / "neo4j" / "browser-style.grass",
    "en": ROOT / "neo4j" / "browser-style.en.grass",
}


def _text_colour(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "#000000" if luminance > 0.55 else "#FFFFFF"


def _darker(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(int(v * 0.75) for v in (r, g, b)))


def style(lang: str) -> str:
    onto = load_ontology(Settings().ontology_dir)
    colours = vocabulary(onto).colours
    caption = f"{{prefLabel_{lang}}}"
    # No comments in the file: Browser's grass parser does not take them.
    lines = [
        "node {",
        "  diameter: 50px;",
        "  color: #A5ABB6;",
        "  border-color: #9AA1AC;",
        "  border-width: 2px;",
        "  text-color-internal: #FFFFFF;",
        "  font-size: 10px;",
        "}",
        "relationship {",
        "  color: #A5ABB6;",
        "  shaft-width: 1px;",
        "  font-size: 8px;",
        "  padding: 3px;",
        "  text-color-external: #000000;",
        "  text-color-internal: #FFFFFF;",
        "  caption: '<type>';",
        "}",
    ]

    def rule(label: str, colour: str, cap: str, diameter: str = "50px") -> None:
        lines.extend(
            [
                f"node.{label} {{",
                f"  color: {colour};",
                f"  border-color: {_darker(colour)};",
                f"  text-color-internal: {_text_colour(colour)};",
                f"  diameter: {diameter};",
                f"  caption: '{cap}';",
                "}",
            ]
        )

    # Every entity node is also labelled Entity (and Resource): the Entity rule comes first
    # so the class rules after it win; Resource gets none (it would fight the Citation rule).
    rule("Entity", colours.get("Entity", "#555555"), caption)
    top_level = sorted(c.name for c in onto.classes.values() if c.parents == ("Entity",))
    rest = sorted(n for n in onto.classes if n not in top_level and n not in ("Entity", "Citation"))
    # Top-level classes first, then their subclasses (same colour either way).
    for name in [*top_level, *rest]:
        rule(name, colours[name], caption)
    rule("Citation", "#E5E7EB", "{locator}", "30px")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="fail if the committed files are stale"
    )
    args = parser.parse_args()
    stale = []
    for lang, path in OUT.items():
        text = style(lang)
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(path)
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    if stale:
        print(
            "stale: "
            + ", ".join(str(p.relative_to(ROOT)) for p in stale)
            + " (run python -m cli.browser_style)",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
