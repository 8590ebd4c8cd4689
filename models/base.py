"""Declarative base, naming convention and reusable column types."""

import datetime as dt
from decimal import Decimal
from typing import Annotated

from sqlalchemy import BigInteger, DateTime, MetaData, Numeric, Text, func
from sqlalchemy.orm import DeclarativeBase, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

DATE_PRECISIONS = ("day", "month", "year")
REVIEW_STATUSES = ("automatic", "reviewed")

intpk = Annotated[int, mapped_column(BigInteger, primary_key=True, comment="Surrogate key.")]
money = Annotated[Decimal, mapped_column(Numeric(20, 2))]
created_at = Annotated[
    dt.datetime,
    mapped_column(DateTime(timezone=True), server_default=func.now(), comment="When the row was written."),
]
text = Annotated[str, mapped_column(Text)]


class Base(DeclarativeBase):
    """Base class of every model; carries the constraint naming convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def in_list(column: str, values: tuple[str, ...]) -> str:
    """SQL text of a CHECK that ``column`` is one of ``values`` (constants only, never user input)."""
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"
