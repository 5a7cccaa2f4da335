"""Export cells the database makes itself, the same on SQLite and PostgreSQL: dates as
YYYY-MM-DD, and the check for cells a spreadsheet would run as formulas; and timestamps as
day numbers, for sorting and durations."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, Float, String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class iso_day(FunctionElement[str]):  # noqa: N801 - reads as the SQL function it is
    """A stored date or timestamp as its day, YYYY-MM-DD."""

    type = String()
    inherit_cache = True


@compiles(iso_day, "sqlite")
def _iso_day_sqlite(element: iso_day, compiler: Any, **kw: Any) -> str:
    # SQLite stores dates and timestamps as ISO text: the day is its first ten characters.
    return f"substr({compiler.process(element.clauses, **kw)}, 1, 10)"


@compiles(iso_day, "postgresql")
def _iso_day_postgresql(element: iso_day, compiler: Any, **kw: Any) -> str:
    # A date cast to text is ISO, and far cheaper than to_char.
    return f"CAST(CAST({compiler.process(element.clauses, **kw)} AS DATE) AS TEXT)"


class day_number(FunctionElement[float]):  # noqa: N801 - reads as the SQL function it is
    """A timestamp as a count of days (with the fraction), so days can be added to it."""

    type = Float()
    inherit_cache = True


@compiles(day_number, "sqlite")
def _day_number_sqlite(element: day_number, compiler: Any, **kw: Any) -> str:
    return f"julianday({compiler.process(element.clauses, **kw)})"


@compiles(day_number, "postgresql")
def _day_number_postgresql(element: day_number, compiler: Any, **kw: Any) -> str:
    return f"(EXTRACT(EPOCH FROM {compiler.process(element.clauses, **kw)}) / 86400.0)"


# Spreadsheets also run full-width ＝ ＋ － ＠ as formulas (they fold them to ASCII).
FORMULA_STARTS = "=+-@\t\r\uff1d\uff0b\uff0d\uff20"


class starts_like_a_formula(FunctionElement[bool]):  # noqa: N801
    """True when a spreadsheet would run the cell as a formula (= + - @, their full-width
    forms, tab or CR first)."""

    type = Boolean()
    inherit_cache = True


@compiles(starts_like_a_formula, "sqlite")
def _formula_sqlite(element: starts_like_a_formula, compiler: Any, **kw: Any) -> str:
    value = compiler.process(element.clauses, **kw)
    starts = compiler.render_literal_value(FORMULA_STARTS, String())
    return f"({value} <> '' AND instr({starts}, substr({value}, 1, 1)) > 0)"


@compiles(starts_like_a_formula, "postgresql")
def _formula_postgresql(element: starts_like_a_formula, compiler: Any, **kw: Any) -> str:
    value = compiler.process(element.clauses, **kw)
    starts = compiler.render_literal_value(FORMULA_STARTS, String())
    return f"({value} <> '' AND strpos({starts}, left({value}, 1)) > 0)"
