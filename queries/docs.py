"""Write the query catalogue (docs/queries.md) from the headers of ``queries/*.sql``.

    python -m queries.docs > docs/queries.md
"""

from __future__ import annotations

import sys

from queries.catalog import Query, catalog

INTRO = """# Query catalogue

Generated from the headers of `queries/*.sql` by `python -m queries.docs > docs/queries.md`;
do not edit by hand (a test checks that this file is up to date).

Every query runs three ways, with the same results:

```sh
armsledger query run aid_by_year -p recipient=Peru --format csv
psql "$(armsledger db url)" -v recipient=Peru -f queries/aid_by_year.sql
python -c 'import queries; print(queries.run("aid_by_year", recipient="Peru"))'
```

Optional parameters keep their defaults under psql too. Name filters are case-insensitive and
accept a name, an alias or, where it makes sense, a country name or ISO code (`buyer=PE`). Lists
are comma-separated text. *Sources* count independent sources (syndicated copies of one wire
story count once); *articles* count distinct articles. Facts superseded by a reviewed fact are
hidden. The queries read only the `analytics` views, so the read-only reader role can run them.
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def section(query: Query) -> str:
    """The Markdown section of one query."""
    lines = [f"## {query.name}", "", query.description, ""]
    if query.params:
        lines += ["| parameter | type | default | meaning |", "|---|---|---|---|"]
        for p in query.params:
            default = "*required*" if p.required else f"`{p.default}`"
            lines.append(f"| `{p.name}` | {p.type} | {default} | {_cell(p.description)} |")
    else:
        lines.append("No parameters.")
    lines += ["", "| column | meaning |", "|---|---|"]
    lines += [f"| `{c.name}` | {_cell(c.description)} |" for c in query.columns]
    example = " ".join(f"-p {p.name}={p.default or 'Peru'}" for p in query.params if p.required)
    lines += ["", f"Example: `armsledger query run {query.name}{' ' + example if example else ''}`", ""]
    return "\n".join(lines)


def render() -> str:
    """The whole catalogue as Markdown."""
    queries = list(catalog().values())
    index = ["| query | one row per | parameters |", "|---|---|---|"]
    for q in queries:
        grain = q.description.split("One row per", 1)[-1].strip().rstrip(".")
        params = ", ".join(f"{p.name} ({'required' if p.required else p.default})" for p in q.params) or "–"
        index.append(f"| [{q.name}](#{q.name}) | {_cell(grain)} | {_cell(params)} |")
    return "\n".join([INTRO, *index, "", *(section(q) for q in queries)]).rstrip() + "\n"


if __name__ == "__main__":
    sys.stdout.write(render())
