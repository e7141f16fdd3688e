"""Ages as the rules count them (docs/rules.md, "Ages"), each in its scalar form (one member)
and its vectorised form (Polars expressions over member rows), side by side.

- Completed months and years: a period ends on the same day of the month, or on the month's
  last day when the month has no such day (someone born on 29 February completes a year on
  28 February in common years; born on 31 January, a month on 28 or 29 February).
- School-year age: the year the school year containing the date started, minus the birth year
  (a school year starting in September: from January to August, the year before).
- Retirement age by birth cohort (Decree 135/2020/NĐ-CP, Appendix I): a member reaches it on
  the first date t on which their age in months is at least the row of t's year, and stays
  there. At a date D: for some year Y up to D's year, the age in months on min(D, 31 December
  of Y) is at least the row of Y. A member's age on 31 December grows by 12 months a year and a
  row by less (the loader refuses a table rising faster), so the latest year decides: D itself
  against D's row, or 31 December of the year before against that year's row.
"""

from __future__ import annotations

import calendar
import datetime as dt

import polars as pl

# months of the statutory retirement age by year and sex: {year: {"male": 726, ...}}
RetirementTable = dict[int, dict[str, int]]


def completed_months(birth: dt.date, on: dt.date) -> int:
    """Completed months of age on ``on``."""
    months = (on.year - birth.year) * 12 + on.month - birth.month
    last_day = calendar.monthrange(on.year, on.month)[1]
    if on.day < birth.day and on.day != last_day:
        months -= 1
    return months


def school_year_age(birth: dt.date, on: dt.date, start_month: int) -> int:
    """The year the school year containing ``on`` started, minus the birth year."""
    started = on.year if on.month >= start_month else on.year - 1
    return started - birth.year


def _row(table: RetirementTable, year: int, sex: str) -> int:
    years = sorted(table)
    return table[min(max(year, years[0]), years[-1])][sex]


def reached_retirement(birth: dt.date, sex: str, on: dt.date, table: RetirementTable) -> bool:
    """At or over the retirement age of the member's cohort on ``on``."""
    return completed_months(birth, on) >= _row(table, on.year, sex) \
        or completed_months(birth, dt.date(on.year - 1, 12, 31)) >= _row(table, on.year - 1, sex)


# --- vectorised forms ------------------------------------------------------------------------

def completed_months_expr(birth: pl.Expr, on: pl.Expr) -> pl.Expr:
    months = ((on.dt.year() - birth.dt.year()) * 12 + on.dt.month().cast(pl.Int32)
              - birth.dt.month().cast(pl.Int32))
    last_day = (on + pl.duration(days=1)).dt.day() == 1
    short = (on.dt.day() < birth.dt.day()) & ~last_day
    return (months - short.cast(pl.Int32)).cast(pl.Int32)


def school_year_age_expr(birth: pl.Expr, on: pl.Expr, start_month: int) -> pl.Expr:
    started = on.dt.year() - (on.dt.month() < start_month).cast(pl.Int32)
    return (started - birth.dt.year()).cast(pl.Int32)


def _row_expr(table: RetirementTable, year: pl.Expr, sex: pl.Expr) -> pl.Expr:
    years = sorted(table)
    clamped = year.clip(years[0], years[-1]).cast(pl.Int32)
    mapping = {y * 2 + (s == "female"): months
               for y, row in table.items() for s, months in row.items()}
    return (clamped * 2 + (sex == "female").cast(pl.Int32)).replace_strict(
        mapping, return_dtype=pl.Int32)


def reached_retirement_expr(birth: pl.Expr, sex: pl.Expr, on: pl.Expr,
                            table: RetirementTable) -> pl.Expr:
    last_year = on.dt.year() - 1
    at_last_year_end = (last_year - birth.dt.year()) * 12 + 12 - birth.dt.month().cast(pl.Int32)
    return (completed_months_expr(birth, on) >= _row_expr(table, on.dt.year(), sex)) \
        | (at_last_year_end >= _row_expr(table, last_year, sex))
