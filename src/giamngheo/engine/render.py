"""The message catalogue rendered with Polars expressions, character for character as
``messages.text`` renders it, so both engines write the same reasons."""

from __future__ import annotations

import string

import polars as pl

from ..messages import MESSAGES, MISSING_VALUE_LABEL, VALUE_LABELS

Field = pl.Expr | str | int


def _piece(value: Field) -> pl.Expr:
    return value if isinstance(value, pl.Expr) else pl.lit(str(value))


def render_template(template: str, **fields: Field) -> pl.Expr:
    pieces: list[pl.Expr] = []
    for literal, name, _spec, _conv in string.Formatter().parse(template):
        if literal:
            pieces.append(pl.lit(literal))
        if name is not None:
            pieces.append(_piece(fields[name]))
    return pl.concat_str(pieces) if len(pieces) > 1 else pieces[0]


def render(key: str, lang: str, **fields: Field) -> pl.Expr:
    return render_template(MESSAGES[key][lang], **fields)


def label_expr(column: pl.Expr, lang: str) -> pl.Expr:
    mapping = {value: labels[lang] for value, labels in VALUE_LABELS.items()}
    return column.replace(mapping).fill_null(MISSING_VALUE_LABEL[lang])


def int_expr(column: pl.Expr, lang: str) -> pl.Expr:
    """Non-negative integers with thousands separators (``format_int``)."""
    sep = "." if lang == "vi" else ","
    return (column.cast(pl.String).str.reverse().str.replace_all(r"(\d{3})", "${1}" + sep)
            .str.strip_chars_end(sep).str.reverse())


def hundredths_expr(column: pl.Expr, lang: str) -> pl.Expr:
    """A number given in hundredths, as ``format_hundredths`` writes it."""
    sep = "," if lang == "vi" else "."
    whole, frac = column // 100, column % 100
    return pl.concat_str([
        int_expr(whole, lang),
        pl.when(frac == 0).then(pl.lit(""))
        .when(frac % 10 == 0).then(pl.lit(sep) + (frac // 10).cast(pl.String))
        .otherwise(pl.lit(sep) + frac.cast(pl.String).str.zfill(2)),
    ])
