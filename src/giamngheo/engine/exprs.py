"""Polars expressions the vectorised forms share: three-valued logic, the catalogue's messages
rendered row by row, and numbers written as ``messages.format_int`` and
``messages.format_hundredths`` write them (1.500.000 in Vietnamese, 1,500,000 in English)."""

from __future__ import annotations

import string
from collections.abc import Iterable
from typing import Any

import polars as pl

from ..messages import DEFAULT_LANG, MESSAGES, label, vocabulary_of

c = pl.col
NULL_BOOL = pl.lit(None, dtype=pl.Boolean)
Field = pl.Expr | str | int


def tri_is_in(expr: pl.Expr, values: Iterable[str]) -> pl.Expr:
    """Membership that stays unknown (null) when the value is."""
    return pl.when(expr.is_null()).then(NULL_BOOL).otherwise(expr.is_in(list(values)))


def by_area(values: dict[str, Any]) -> pl.Expr:
    return pl.when(c("area") == "rural").then(pl.lit(values["rural"])) \
        .otherwise(pl.lit(values["urban"]))


def template(pattern: str, **fields: Field) -> pl.Expr:
    """A ``str.format`` pattern with expression fields filled row by row (null when one of
    them is). Built with ``concat_str``: Polars 2.1's ``format`` can fail on a filtered text
    column read in several chunks."""
    pieces: list[pl.Expr] = []
    text = ""
    for literal, name, _spec, _conversion in string.Formatter().parse(pattern):
        text += literal
        if name is None:
            continue
        value = fields[name]
        if isinstance(value, pl.Expr):
            if text:
                pieces.append(pl.lit(text))
            pieces.append(value.cast(pl.String))
            text = ""
        else:
            text += str(value)
    if not pieces:
        return pl.lit(text)
    if text:
        pieces.append(pl.lit(text))
    return pl.concat_str(pieces)


def quoted(expr: pl.Expr) -> pl.Expr:
    """A value between single quotes, as ``validation.quote`` writes a text."""
    return template("'{value}'", value=expr)


def message(key: str, lang: str = DEFAULT_LANG, **fields: Field) -> pl.Expr:
    """The catalogue message ``key`` in ``lang``, row by row."""
    return template(MESSAGES[key][lang], **fields)


def label_of(expr: pl.Expr, lang: str, field: str) -> pl.Expr:
    """The labels of a column of codes of ``field``'s vocabulary (as ``messages.label``)."""
    vocabulary = vocabulary_of(field)
    assert vocabulary is not None, field
    mapping = {code: label(code, lang, field) for code in vocabulary.codes}
    return expr.replace_strict(mapping, default=expr, return_dtype=pl.String)


def format_int(expr: pl.Expr, lang: str) -> pl.Expr:
    """A non-negative integer with its thousands grouped."""
    separator = "." if lang == "vi" else ","
    digits = expr.cast(pl.Int64).cast(pl.String)
    width = digits.str.len_chars()
    padded = pl.when(width % 3 == 1).then(pl.lit("00") + digits) \
        .when(width % 3 == 2).then(pl.lit("0") + digits).otherwise(digits)
    grouped = padded.str.extract_all(r"\d{3}").list.join(separator)
    return grouped.str.slice(pl.when(width % 3 == 0).then(0).otherwise(3 - width % 3))


def hundredths(expr: pl.Expr) -> pl.Expr:
    """A non-negative number in hundredths, rounded half up (as ``messages.hundredths``)."""
    return (expr * 100 + 0.5).floor().cast(pl.Int64)


def format_hundredths(expr: pl.Expr, lang: str) -> pl.Expr:
    """A number given in hundredths, with at most two decimals and no trailing zeros."""
    whole, fraction = expr // 100, expr % 100
    digits = fraction.cast(pl.String).str.zfill(2).str.strip_chars_end("0")
    separator = "," if lang == "vi" else "."
    return pl.when(fraction == 0).then(format_int(whole, lang)) \
        .otherwise(format_int(whole, lang) + pl.lit(separator) + digits)
