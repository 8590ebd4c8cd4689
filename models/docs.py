"""Write docs/schema.md from the models' table and column comments: ``python -m models.docs``."""

from __future__ import annotations

from sqlalchemy import Table

from models import Base


def _table(table: Table) -> list[str]:
    lines = [f"### `{table.name}`", "", table.comment or "", "", "| column | type | meaning |", "|---|---|---|"]
    for column in table.columns:
        refs = ", ".join(f"→ `{fk.target_fullname}`" for fk in column.foreign_keys)
        lines.append(f"| `{column.name}` | {column.type} | {column.comment or ''} {refs} |".replace("  |", " |"))
    return [*lines, ""]


def render() -> str:
    out = [
        "# Schema",
        "",
        "Generated from the models by `python -m models.docs > docs/schema.md`; the tables are built only",
        "by the Alembic revisions in `alembic/versions/`. BI tools read the `analytics` views instead",
        "(docs/bi.md). Every fact row (deal, deal event, aid allocation, position, agreement, event, quote)",
        "links to the article characters that state it through `evidence` (fact_type, fact_id).",
        "",
    ]
    for table in Base.metadata.sorted_tables:
        out += _table(table)
    return "\n".join(out).rstrip() + "\n"


if __name__ == "__main__":
    print(render(), end="")
