"""The batch engine: the rules of ``indicators.py`` and ``classify.py`` over Polars frames.

Input is two flat tables (see ``tables.py``): households, one row each, and members, one row
per member keyed by ``household_id``. Three-valued logic uses Polars' nullable booleans, whose
``&``, ``|`` and ``any(ignore_nulls=False)`` follow Kleene's logic like the scalar engine.
Property tests (tests/engine/test_engines_agree.py) hold the two engines to the same answer.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import polars as pl

from ..messages import DEFAULT_LANG, hundredths, label, text
from ..rules.parameters import SEXES, Indicator, Registry, Standard, default_registry
from .indicators import percent
from .render import hundredths_expr, int_expr, label_expr, render, render_template

c = pl.col
NULL_BOOL = pl.lit(None, dtype=pl.Boolean)
RESULT_CLASSES = ("poor", "near_poor", "average", "not_poor", "incomplete")


def _between(expr: pl.Expr, low: int, high: int | None) -> pl.Expr:
    return expr >= low if high is None else (expr >= low) & (expr <= high)


def _tri_is_in(column: str, values: list[str]) -> pl.Expr:
    return pl.when(c(column).is_null()).then(NULL_BOOL).otherwise(c(column).is_in(values))


def _area_value(values: dict[str, Any]) -> pl.Expr:
    return pl.when(c("area") == "rural").then(pl.lit(values["rural"])) \
        .otherwise(pl.lit(values["urban"]))


# --- member rules: (flag over member rows, phrase over flagged member rows) -----------------

@dataclass(frozen=True)
class MemberRule:
    flag: Callable[[dict, Standard], pl.Expr]
    phrase: Callable[[dict, str], pl.Expr]


def _who(lang: str) -> pl.Expr:
    return render("member", lang, member=c("id"), age=c("age").cast(pl.String))


def _employment_flag(p: dict, s: Standard) -> pl.Expr:
    return pl.when(~c("working_age")).then(False).otherwise(
        _tri_is_in("employment", p["deprived_statuses"]))


def _employment_phrase(p: dict, lang: str) -> pl.Expr:
    expr = pl.lit(None, dtype=pl.String)
    for status in reversed(p["deprived_statuses"]):
        expr = pl.when(c("employment") == status) \
            .then(render(f"employment.{status}", lang, who=_who(lang))).otherwise(expr)
    return expr


def _nutrition_flag(p: dict, s: Standard) -> pl.Expr:
    return pl.when(c("age") >= p["age_under"]).then(False) \
        .otherwise(c("stunted") | c("underweight"))


def _nutrition_phrase(p: dict, lang: str) -> pl.Expr:
    kind = (pl.when(c("stunted") & c("underweight")).then(pl.lit(text("nutrition.both", lang)))
            .when(c("stunted")).then(pl.lit(text("nutrition.stunted", lang)))
            .otherwise(pl.lit(text("nutrition.underweight", lang))))
    return render("nutrition", lang, who=_who(lang), kind=kind)


def _insurance_flag(p: dict, s: Standard) -> pl.Expr:
    return pl.when(c("age") < p["age_from"]).then(False).otherwise(~c("health_insurance"))


def _insurance_phrase(p: dict, lang: str) -> pl.Expr:
    return render("health_insurance", lang, who=_who(lang))


def _adult_flag(p: dict, s: Standard) -> pl.Expr:
    expr = pl.lit(False)
    for band in reversed(p["bands"]):
        lacking = _tri_is_in("education", band["qualifying"]).not_()
        deprived = ~c("in_education") & ~c("workplace_trained").fill_null(False) & lacking
        expr = pl.when(_between(c("age"), band["age_from"], band["age_to"])) \
            .then(deprived).otherwise(expr)
    return expr


def _adult_phrase(p: dict, lang: str) -> pl.Expr:
    required = pl.lit(None, dtype=pl.String)
    for band in reversed(p["bands"]):
        required = pl.when(_between(c("age"), band["age_from"], band["age_to"])) \
            .then(pl.lit(band["required"][lang])).otherwise(required)
    return render("adult_education", lang, who=_who(lang), required=required,
                  education=label_expr(c("education"), lang))


def _expected_level(p: dict) -> pl.Expr:
    expr = pl.lit(None, dtype=pl.String)
    for band in reversed(p["expected"]):
        expr = pl.when(_between(c("school_age"), band["school_age_from"], band["school_age_to"])) \
            .then(pl.lit(band["level"])).otherwise(expr)
    return expr


def _school_flag(p: dict, s: Standard) -> pl.Expr:
    expected = _expected_level(p)
    rank = p["level_rank"]
    in_range = (c("age") >= p["age_from"]) & (c("age") < p["age_under"])
    lower = c("school_level").replace_strict(rank, default=None, return_dtype=pl.Int64) \
        < expected.replace_strict(rank, return_dtype=pl.Int64)
    return (pl.when(~in_range | expected.is_null()).then(False)
            .when(c("in_education").is_null()).then(NULL_BOOL)
            .when(~c("in_education")).then(True)
            .when(c("school_level").is_null()).then(NULL_BOOL)
            .otherwise(lower))


def _school_phrase(p: dict, lang: str) -> pl.Expr:
    return pl.when(~c("in_education")).then(render("school.absent", lang, who=_who(lang))) \
        .otherwise(render("school.lower", lang, who=_who(lang),
                          level=label_expr(c("school_level"), lang),
                          expected=label_expr(_expected_level(p), lang)))


MEMBER_RULES: dict[str, MemberRule] = {
    "working_age_employment": MemberRule(_employment_flag, _employment_phrase),
    "child_malnutrition": MemberRule(_nutrition_flag, _nutrition_phrase),
    "member_without_health_insurance": MemberRule(_insurance_flag, _insurance_phrase),
    "adult_qualification": MemberRule(_adult_flag, _adult_phrase),
    "school_attendance": MemberRule(_school_flag, _school_phrase),
}


def _criterion(name: str, wanted: Any) -> pl.Expr:
    if name == "age_under":
        return c("age") < wanted
    if name == "age_from":
        return c("age") >= wanted
    if name == "disability_in":
        return _tri_is_in("disability", wanted)
    if name == "unable_to_work":
        return c("unable_to_work") == wanted
    if name == "social_allowance":
        return c("social_allowance").fill_null(False) == wanted
    raise ValueError(f"unknown dependant criterion {name}")


def _dependant(groups: list[dict]) -> pl.Expr:
    expr = pl.lit(False)
    for group in groups:
        conj = pl.lit(True)
        for name, wanted in group.items():
            conj = conj & _criterion(name, wanted)
        expr = expr | conj
    return expr


def _cannot_work(s: Standard) -> pl.Expr:
    rule = s.cannot_work
    expr = c("age") < rule["age_under"]
    if rule["from_retirement_age"]:
        expr = expr | (c("months") >= c("retirement"))
    expr = expr | _criterion("disability_in", rule["disabilities"])
    if rule["unable_to_work"]:
        expr = expr | c("unable_to_work")
    return expr


# --- household rules: (flag, reason) over the households frame ------------------------------

def _no_dwelling_then(deprived: pl.Expr) -> pl.Expr:
    return pl.when(c("has_dwelling").is_null()).then(NULL_BOOL) \
        .when(~c("has_dwelling")).then(True).otherwise(deprived)


def _or_no_dwelling(reason: pl.Expr, lang: str) -> pl.Expr:
    return pl.when(~c("has_dwelling")).then(pl.lit(text("no_dwelling", lang))).otherwise(reason)


def _structures(p: dict, lang: str) -> tuple[pl.Expr, pl.Expr]:
    parts = p["structures"]
    weak = pl.sum_horizontal([(c(f"dwelling_{x}") == "non_durable").fill_null(False)
                              .cast(pl.Int32) for x in parts])
    unknown = pl.sum_horizontal([c(f"dwelling_{x}").is_null().cast(pl.Int32) for x in parts])
    minimum = p["min_non_durable"]
    flag = _no_dwelling_then(pl.when(weak >= minimum).then(True)
                             .when(weak + unknown < minimum).then(False).otherwise(NULL_BOOL))
    names = pl.concat_str([pl.when(c(f"dwelling_{x}") == "non_durable").then(pl.lit(label(x, lang)))
                           for x in parts], separator=", ", ignore_nulls=True)
    reason = render("housing_quality", lang, count=weak.cast(pl.String), total=len(parts),
                    parts=names)
    return flag, _or_no_dwelling(reason, lang)


def _area(p: dict, lang: str) -> tuple[pl.Expr, pl.Expr]:
    area, limit = c("dwelling_floor_area_m2"), p["min_m2_per_person"]
    flag = _no_dwelling_then(area < pl.lit(limit) * c("n_members"))
    tenths = (area * 10 / c("n_members")).floor().cast(pl.Int64)
    reason = render("housing_area", lang, area=hundredths_expr(tenths * 10, lang),
                    limit=hundredths_expr(pl.lit(hundredths(limit)), lang))
    return flag, _or_no_dwelling(reason, lang)


def _dwelling_value(p: dict, lang: str) -> tuple[pl.Expr, pl.Expr]:
    column = c(f"dwelling_{p['field']}")
    no_dwelling = pl.lit(True) if p["when_no_dwelling"] == "deprived" else NULL_BOOL
    flag = (pl.when(c("has_dwelling").is_null()).then(NULL_BOOL)
            .when(~c("has_dwelling")).then(no_dwelling)
            .otherwise(_tri_is_in(f"dwelling_{p['field']}", p["accepted"]).not_()))
    reason = render_template(p["reason"][lang], value=label_expr(column, lang))
    return flag, _or_no_dwelling(reason, lang)


def _internet(p: dict, lang: str) -> tuple[pl.Expr, pl.Expr]:
    return ~c("information_uses_internet"), pl.lit(text("telecom", lang))


def _devices(p: dict, lang: str) -> tuple[pl.Expr, pl.Expr]:
    has_one = c("information_devices").list.eval(pl.element().is_in(p["devices"])).list.any()
    listed = ", ".join(label(d, lang) for d in p["devices"])
    return ~has_one, pl.lit(text("information_assets", lang, devices=listed))


HOUSEHOLD_RULES: dict[str, Callable[[dict, str], tuple[pl.Expr, pl.Expr]]] = {
    "non_durable_structures": _structures,
    "floor_area_per_person": _area,
    "dwelling_value_not_in": _dwelling_value,
    "no_internet": _internet,
    "no_device_in": _devices,
}
DEPENDANT_RULE = "dependant_ratio"
ALL_RULES = {*MEMBER_RULES, *HOUSEHOLD_RULES, DEPENDANT_RULE}


# --- deprivations for one indicator set -----------------------------------------------------

def signature(standard: Standard) -> str:
    """Standards with the same signature give the same deprivations and labour capacity."""
    return json.dumps({
        "indicators": [(i.code, i.rule, i.params) for i in standard.indicators],
        "working_age_from": standard.working_age_from,
        "retirement": standard.value("retirement_age"),
        "cannot_work": standard.cannot_work,
    }, sort_keys=True, default=str)


def _member_facts(members: pl.DataFrame, households: pl.DataFrame, s: Standard) -> pl.DataFrame:
    ref = c("reference_date")
    birth = c("birth_date")
    months = ((ref.dt.year() - birth.dt.year()) * 12 + ref.dt.month().cast(pl.Int32)
              - birth.dt.month().cast(pl.Int32)
              - (ref.dt.day() < birth.dt.day()).cast(pl.Int32))
    years = s.value("retirement_age")
    low, high = min(years), max(years)
    table = s.retirement_table(range(low, high + 1))
    key = ref.dt.year().clip(low, high).cast(pl.Int32) * 2 \
        + (c("sex") == "female").cast(pl.Int32)
    mapping = {year * 2 + SEXES.index(sex): v for (year, sex), v in table.items()}
    return (members.join(households.select("hh", "reference_date"), on="hh", how="inner")
            .with_columns(months=months.cast(pl.Int32),
                          school_age=(ref.dt.year() - birth.dt.year()).cast(pl.Int32),
                          retirement=key.replace_strict(mapping, return_dtype=pl.Int32))
            .with_columns(age=c("months") // 12)
            .with_columns(working_age=(c("age") >= s.working_age_from)
                          & (c("months") < c("retirement"))))


def deprivations(households: pl.DataFrame, members: pl.DataFrame, s: Standard,
                 lang: str) -> pl.DataFrame:
    """Per household: one nullable boolean column per indicator, the indicators' reasons
    (``r_<code>``), ``deprivation_count``, ``unknown_count`` and ``labour_capacity``."""
    m = _member_facts(members, households, s)
    member_indicators = [i for i in s.indicators if i.rule in MEMBER_RULES]
    dependant_indicators = [i for i in s.indicators if i.rule == DEPENDANT_RULE]
    m = m.with_columns(
        *(MEMBER_RULES[i.rule].flag(i.params, s).alias(f"f_{i.code}") for i in member_indicators),
        *(_dependant(i.params["groups"]).alias(f"d_{i.code}") for i in dependant_indicators),
        can_work=~_cannot_work(s),
    )
    per_household = m.group_by("hh").agg(
        *(c(f"f_{i.code}").any(ignore_nulls=False).alias(i.code) for i in member_indicators),
        *(c(f"d_{i.code}").sum().alias(f"dc_{i.code}") for i in dependant_indicators),
        *(c(f"d_{i.code}").is_null().sum().alias(f"du_{i.code}") for i in dependant_indicators),
        labour_capacity=c("can_work").any(ignore_nulls=False),
    )
    phrases = _member_phrases(m, member_indicators, lang)
    frame = households.join(per_household, on="hh", how="left")
    if phrases is not None:
        frame = frame.join(phrases, on="hh", how="left")
    flags, reasons = [], []
    for i in s.indicators:
        if i.rule in MEMBER_RULES:
            flag, reason = c(i.code), c(f"p_{i.code}")
        elif i.rule == DEPENDANT_RULE:
            flag, reason = _dependants(i, c(f"dc_{i.code}"), c(f"du_{i.code}"), lang)
        else:
            flag, reason = HOUSEHOLD_RULES[i.rule](i.params, lang)
        flags.append(flag.alias(i.code))
        unknown_text = f"{i.code}: {text('unknown_indicator', lang)}"
        reasons.append(pl.when(flag).then(pl.lit(f"{i.code}: ") + reason)
                       .when(flag.is_null()).then(pl.lit(unknown_text))
                       .alias(f"r_{i.code}"))
    frame = frame.with_columns(*flags, *reasons)
    codes = [i.code for i in s.indicators]
    return frame.select(
        "hh", *codes, *(f"r_{code}" for code in codes), "labour_capacity",
        deprivation_count=pl.sum_horizontal([c(x).fill_null(False).cast(pl.Int32)
                                             for x in codes]),
        unknown_count=pl.sum_horizontal([c(x).is_null().cast(pl.Int32) for x in codes]),
    )


def _member_phrases(m: pl.DataFrame, indicators: list[Indicator],
                    lang: str) -> pl.DataFrame | None:
    if not indicators:
        return None
    flagged = m.filter(pl.any_horizontal([c(f"f_{i.code}").fill_null(False)
                                          for i in indicators]))
    flagged = flagged.with_columns(
        pl.when(c(f"f_{i.code}")).then(MEMBER_RULES[i.rule].phrase(i.params, lang))
        .alias(f"p_{i.code}") for i in indicators)
    return flagged.group_by("hh").agg(c(f"p_{i.code}").str.join("; ") for i in indicators)


def _dependants(i: Indicator, certain: pl.Expr, possible: pl.Expr,
                lang: str) -> tuple[pl.Expr, pl.Expr]:
    limit = pl.lit(i.params["ratio_above"]) * c("n_members")
    flag = (pl.when(certain > limit).then(True)
            .when(certain + possible <= limit).then(False).otherwise(NULL_BOOL))
    reason = render("dependants", lang, dependants=certain.cast(pl.String),
                    members=c("n_members").cast(pl.String),
                    limit=percent(i.params["ratio_above"], lang))
    return flag, reason


# --- income and classification --------------------------------------------------------------

def _income(s: Standard, lang: str) -> list[pl.Expr]:
    """income_poor, within_band and the income reason for standard ``s``."""
    pc = c("income_per_capita_month")
    line = _area_value({a: s.income_line(a) for a in ("rural", "urban")})
    area = pl.when(c("area") == "rural").then(pl.lit(text("area.rural", lang))) \
        .otherwise(pl.lit(text("area.urban", lang)))
    money = {"income": int_expr(pc, lang), "line": int_expr(line, lang), "area": area}
    score_lines = s.value("score_line")
    if score_lines is None:
        score_poor = NULL_BOOL
        score_reason = pl.lit(text("income.not_measured", lang))
    else:
        score_line = _area_value(score_lines)
        score_poor = c("income_b1_score") <= score_line
        score_text = {"score": hundredths_expr(_to_hundredths(c("income_b1_score")), lang),
                      "line": hundredths_expr(_to_hundredths(score_line), lang), "area": area}
        score_reason = pl.when(score_poor).then(render("income.score_poor", lang, **score_text)) \
            .otherwise(render("income.score_above", lang, **score_text))
    bands = s.value("average_upper")
    if bands is None:
        within = pl.lit(False)
        above = render("income.no_band", lang, **money)
    else:
        upper = _area_value(bands)
        within = pc <= upper
        with_band = {**money, "upper": int_expr(upper, lang)}
        above = pl.when(within).then(render("income.average", lang, **with_band)) \
            .otherwise(render("income.above_band", lang, **with_band))
    measured = pc.is_not_null()
    income_poor = pl.when(measured).then(pc <= line).otherwise(score_poor)
    reason = (pl.when(~measured).then(score_reason)
              .when(pc <= line).then(render("income.poor", lang, **money))
              .otherwise(above))
    return [income_poor.alias("income_poor"),
            (measured & (pc > line) & within).alias("within_band"),
            (pl.lit("income: ") + reason).alias("r_income")]


def _to_hundredths(expr: pl.Expr) -> pl.Expr:
    return (expr.cast(pl.Float64) * 100 + 0.5).floor().cast(pl.Int64)


def _classification(minimum: int) -> pl.Expr:
    count, unknown = c("deprivation_count"), c("unknown_count")
    return (pl.when(c("income_poor").is_null()).then(pl.lit("incomplete"))
            .when(c("income_poor")).then(
                pl.when(count >= minimum).then(pl.lit("poor"))
                .when(count + unknown < minimum).then(pl.lit("near_poor"))
                .otherwise(pl.lit("incomplete")))
            .when(c("within_band")).then(pl.lit("average"))
            .otherwise(pl.lit("not_poor")))


def _poor_group() -> pl.Expr:
    return (pl.when((c("classification") == "poor") & c("labour_capacity").is_not_null())
            .then(pl.when(c("labour_capacity")).then(pl.lit("A")).otherwise(pl.lit("B"))))


def evaluate(households: pl.DataFrame, deprived: pl.DataFrame, s: Standard,
             lang: str) -> pl.DataFrame:
    codes = list(s.codes)
    frame = households.select("hh", "area", "income_per_capita_month", "income_b1_score",
                              "n_members").join(deprived, on="hh", how="left")
    frame = frame.with_columns(_income(s, lang)).with_columns(
        classification=_classification(s.poor_min_deprivations))
    return frame.with_columns(
        poor_group=_poor_group(),
        reasons=pl.concat_list([*(c(f"r_{code}") for code in codes), c("r_income")])
        .list.drop_nulls(),
    )


# --- the whole population -------------------------------------------------------------------

def prepare(households: pl.DataFrame, members: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Key both tables by ``hh`` (the household's row) and add member counts and income."""
    households = households.with_row_index("hh")
    members = members.join(households.select("hh", c("id").alias("household_id")),
                           on="household_id", how="inner")
    counts = members.group_by("hh").len("n_members")
    households = households.join(counts, on="hh", how="left").with_columns(
        income_per_capita_month=pl.coalesce(
            c("income_monthly_per_capita"),
            -(-c("income_annual_total") // (c("n_members") * 12))))
    return households, members


def main_standard(households: pl.DataFrame, registry: Registry,
                  standard_id: str | None) -> pl.Expr:
    if standard_id is not None:
        registry.get(standard_id)
        return pl.lit(standard_id)
    expr = pl.lit(None, dtype=pl.String)
    for s in registry:
        if s.kind == "national":
            inside = c("reference_date") >= s.valid_from
            if s.valid_until is not None:
                inside = inside & (c("reference_date") <= s.valid_until)
            expr = pl.when(inside).then(pl.lit(s.id)).otherwise(expr)
    return expr


def _provincial_mask(s: Standard) -> pl.Expr:
    inside = (c("province_code") == s.province_code) & (c("reference_date") >= s.valid_from)
    if s.valid_until is not None:
        inside = inside & (c("reference_date") <= s.valid_until)
    return inside.fill_null(False) & (c("standard") != s.id)


def classify_tables(households: pl.DataFrame, members: pl.DataFrame,
                    registry: Registry | None = None, standard_id: str | None = None,
                    lang: str = DEFAULT_LANG) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Classify valid household and member tables (see ``tables.validate_tables``).

    Returns ``(results, rejected)``: one result row per classified household (in input order)
    and ``hh``/``id``/``errors`` for households no standard covers.
    """
    registry = registry or default_registry()
    households, members = prepare(households, members)
    households = households.with_columns(standard=main_standard(households, registry,
                                                                standard_id))
    no_standard = households.filter(c("standard").is_null())
    rejected = no_standard.select(
        "hh", "id", errors=pl.concat_list(pl.lit("reference_date: ") + render(
            "no_national_standard", lang, date=c("reference_date").dt.strftime("%Y-%m-%d"))))
    households = households.filter(c("standard").is_not_null())
    used = households.get_column("standard").unique().sort().to_list()
    provincial = [s for s in registry if s.kind == "provincial"]
    needs: list[tuple[Standard, pl.Expr]] = [
        (registry.get(sid), c("standard") == sid) for sid in used]
    needs += [(s, _provincial_mask(s)) for s in provincial]

    by_signature: dict[str, pl.Expr] = {}
    for s, mask in needs:
        key = signature(s)
        by_signature[key] = by_signature[key] | mask if key in by_signature else mask
    deprived_by_signature = {}
    representative = {signature(s): s for s, _ in needs}
    for key, mask in by_signature.items():
        subset = households.filter(mask)
        if subset.height:
            deprived_by_signature[key] = deprivations(
                subset, members.join(subset.select("hh"), on="hh", how="semi"),
                representative[key], lang)

    main_parts = []
    for sid in used:
        s = registry.get(sid)
        subset = households.filter(c("standard") == sid)
        main_parts.append(evaluate(subset, deprived_by_signature[signature(s)], s, lang)
                          .with_columns(standard=pl.lit(sid)))
    results = households.select("hh", "id").join(
        pl.concat(main_parts, how="diagonal_relaxed") if main_parts else
        pl.DataFrame(schema={"hh": pl.UInt32}), on="hh", how="inner")
    for s in provincial:
        subset = households.filter(_provincial_mask(s))
        if not subset.height:
            continue
        other = evaluate(subset, deprived_by_signature[signature(s)], s, lang).select(
            "hh", *(c(k).alias(f"{s.id}:{k}")
                    for k in ("income_poor", "classification", "poor_group")))
        results = results.join(other, on="hh", how="left")
    return results.sort("hh"), rejected


def result_records(results: pl.DataFrame, registry: Registry | None = None) -> dict[int, dict]:
    """The contract's result objects, keyed by ``hh``."""
    registry = registry or default_registry()
    provincial = [s.id for s in registry if s.kind == "provincial"
                  and f"{s.id}:classification" in results.columns]
    out = {}
    codes_of = {s.id: s.codes for s in registry}
    for row in results.iter_rows(named=True):
        codes = codes_of[row["standard"]]
        others = {}
        for sid in provincial:
            if row[f"{sid}:classification"] is not None:
                others[sid] = {k: row[f"{sid}:{k}"]
                               for k in ("income_poor", "classification", "poor_group")}
        deprivations_ = {k: ("unknown" if row[k] is None else row[k]) for k in codes}
        out[row["hh"]] = {
            "id": row["id"],
            "standard": row["standard"],
            "area": row["area"],
            "income_per_capita_month": row["income_per_capita_month"],
            "income_poor": row["income_poor"],
            "deprivations": deprivations_,
            "deprivation_count": row["deprivation_count"],
            "classification": row["classification"],
            "labour_capacity": row["labour_capacity"],
            "poor_group": row["poor_group"],
            "reasons": row["reasons"],
            "other_standards": others,
        }
    return out
