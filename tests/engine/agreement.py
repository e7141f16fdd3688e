"""The two forms of a rule evaluated on the same records: the scalar form household by
household, the vectorised form on the records as tables."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from giamngheo.engine.batch import deprivations, prepare
from giamngheo.engine.indicators import MemberFacts, Situation, evaluate
from giamngheo.rules.parameters import Indicator, Standard
from giamngheo.tables import records_to_tables


def scalar_form(record: dict[str, Any], standard: Standard, indicator: Indicator,
                lang: str) -> tuple[Any, list[str]]:
    reference = dt.date.fromisoformat(record["reference_date"])
    members = [MemberFacts.of(m, reference) for m in record["members"]]
    value, reason = evaluate(Situation(record, members, reference, standard), indicator, lang)
    return value, [f"{indicator.code}: {reason}"] if value is True else []


def vector_form(records: list[dict[str, Any]], standard: Standard, indicator: Indicator,
                lang: str) -> list[tuple[Any, list[str]]]:
    alone = dataclasses.replace(standard, indicators=(indicator,))
    households, members = prepare(*records_to_tables(records))
    frame = deprivations(households.lazy(), members.lazy(), alone, True, lang).collect()
    frame = frame.sort("hh")
    return [(value, [r for r in reasons if value is True])
            for value, reasons in zip(frame.get_column(indicator.code).to_list(),
                                      frame.get_column("deprivation_reasons").to_list(),
                                      strict=True)]


def assert_forms_agree(records: list[dict[str, Any]], standard: Standard,
                       indicator: Indicator) -> None:
    for lang in ("vi", "en"):
        vector = vector_form(records, standard, indicator, lang)
        scalar = [scalar_form(r, standard, indicator, lang) for r in records]
        assert vector == scalar, (indicator.code, lang)
