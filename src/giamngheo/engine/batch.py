"""The batch engine: the rules of ``indicators.py`` and ``classify.py`` over Polars frames.

Input is two flat tables (see ``tables.py``): households, one row each, and members, one row
per member keyed by ``household_id``. Three-valued logic uses Polars' nullable booleans, whose
``&``, ``|`` and ``any(ignore_nulls=False)`` follow Kleene's logic like the scalar engine.
With ``explain``, each deprivation also gets its evidence (``e_<code>``), from which
``result_records`` renders the same reasons as the scalar engine. Property tests
(tests/engine/test_engines_agree.py) hold the two engines to the same answer.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import polars as pl

from ..messages import DEFAULT_LANG, text
from ..rules.parameters import SEXES, Indicator, Registry, Standard, default_registry
from ..tables import keyed_members
from .classify import Income, decide_income, reasons_of

c = pl.col
NULL_BOOL = pl.lit(None, dtype=pl.Boolean)
OTHER_FIELDS = ("income_poor", "classification", "poor_group")


def _between(expr: pl.Expr, low: int, high: int | None) -> pl.Expr:
    return expr >= low if high is None else (expr >= low) & (expr <= high)


def _tri_is_in(column: str, values: list[str]) -> pl.Expr:
    return pl.when(c(column).is_null()).then(NULL_BOOL).otherwise(c(column).is_in(values))


def _by_area(values: dict[str, Any]) -> pl.Expr:
    return pl.when(c("area") == "rural").then(pl.lit(values["rural"])) \
        .otherwise(pl.lit(values["urban"]))


# --- member rules: a flag over member rows, and the evidence fields of a deprived member -----

def _employment(p: dict, s: Standard) -> pl.Expr:
    return pl.when(~c("working_age")).then(False).otherwise(
        _tri_is_in("employment", p["deprived_statuses"]))


def _nutrition(p: dict, s: Standard) -> pl.Expr:
    return pl.when(c("age") >= p["age_under"]).then(False) \
        .otherwise(c("stunted") | c("underweight"))


def _insurance(p: dict, s: Standard) -> pl.Expr:
    return pl.when(c("age") < p["age_from"]).then(False).otherwise(~c("health_insurance"))


def _adult_band(p: dict) -> pl.Expr:
    expr = pl.lit(None, dtype=pl.Int64)
    for index in reversed(range(len(p["bands"]))):
        band = p["bands"][index]
        expr = pl.when(_between(c("age"), band["age_from"], band["age_to"])) \
            .then(pl.lit(index, dtype=pl.Int64)).otherwise(expr)
    return expr


def _adult(p: dict, s: Standard) -> pl.Expr:
    expr = pl.lit(False)
    for band in reversed(p["bands"]):
        lacking = _tri_is_in("education", band["qualifying"]).not_()
        deprived = ~c("in_education") & ~c("workplace_trained").fill_null(False) & lacking
        expr = pl.when(_between(c("age"), band["age_from"], band["age_to"])) \
            .then(deprived).otherwise(expr)
    return expr


def _expected_level(p: dict) -> pl.Expr:
    expr = pl.lit(None, dtype=pl.String)
    for band in reversed(p["expected"]):
        expr = pl.when(_between(c("school_age"), band["school_age_from"], band["school_age_to"])) \
            .then(pl.lit(band["level"])).otherwise(expr)
    return expr


def _school(p: dict, s: Standard) -> pl.Expr:
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


MemberFlag = Callable[[dict, Standard], pl.Expr]
MEMBER_RULES: dict[str, tuple[MemberFlag, Callable[[dict], list[pl.Expr]]]] = {
    "working_age_employment": (_employment, lambda p: [c("employment")]),
    "child_malnutrition": (_nutrition, lambda p: [c("stunted"), c("underweight")]),
    "member_without_health_insurance": (_insurance, lambda p: []),
    "adult_qualification": (_adult, lambda p: [c("education"), _adult_band(p).alias("band")]),
    "school_attendance": (_school, lambda p: [c("in_education"), c("school_level"),
                                              _expected_level(p).alias("expected")]),
}
DEPENDANT_RULE = "dependant_ratio"


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


# --- household rules: (flag, evidence) over the households frame ----------------------------

def _dwelling_decides(deprived: pl.Expr) -> pl.Expr:
    return pl.when(c("has_dwelling").is_null()).then(NULL_BOOL) \
        .when(~c("has_dwelling")).then(True).otherwise(deprived)


def _structures(p: dict) -> tuple[pl.Expr, pl.Expr]:
    parts = p["structures"]
    weak = pl.sum_horizontal([(c(f"dwelling_{x}") == "non_durable").fill_null(False)
                              .cast(pl.Int32) for x in parts])
    unknown = pl.sum_horizontal([c(f"dwelling_{x}").is_null().cast(pl.Int32) for x in parts])
    minimum = p["min_non_durable"]
    flag = _dwelling_decides(pl.when(weak >= minimum).then(True)
                             .when(weak + unknown < minimum).then(False).otherwise(NULL_BOOL))
    names = pl.concat_list([pl.when(c(f"dwelling_{x}") == "non_durable").then(pl.lit(x))
                            for x in parts]).list.drop_nulls()
    return flag, pl.struct(no_dwelling=~c("has_dwelling"), weak=names)


def _area(p: dict) -> tuple[pl.Expr, pl.Expr]:
    area = c("dwelling_floor_area_m2")
    flag = _dwelling_decides(area < pl.lit(p["min_m2_per_person"]) * c("n_members"))
    tenths = (area * 10 / c("n_members")).floor().cast(pl.Int64)
    return flag, pl.struct(no_dwelling=~c("has_dwelling"), tenths=tenths)


def _dwelling_value(p: dict) -> tuple[pl.Expr, pl.Expr]:
    column = f"dwelling_{p['field']}"
    no_dwelling = pl.lit(True) if p["when_no_dwelling"] == "deprived" else NULL_BOOL
    flag = (pl.when(c("has_dwelling").is_null()).then(NULL_BOOL)
            .when(~c("has_dwelling")).then(no_dwelling)
            .otherwise(_tri_is_in(column, p["accepted"]).not_()))
    return flag, pl.struct(no_dwelling=~c("has_dwelling"), value=c(column))


def _internet(p: dict) -> tuple[pl.Expr, None]:
    return ~c("information_uses_internet"), None


def _devices(p: dict) -> tuple[pl.Expr, None]:
    has_one = c("information_devices").list.eval(pl.element().is_in(p["devices"])).list.any()
    return ~has_one, None


HOUSEHOLD_RULES: dict[str, Callable[[dict], tuple[pl.Expr, pl.Expr | None]]] = {
    "non_durable_structures": _structures,
    "floor_area_per_person": _area,
    "dwelling_value_not_in": _dwelling_value,
    "no_internet": _internet,
    "no_device_in": _devices,
}
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


def _member_facts(members: pl.LazyFrame, s: Standard) -> pl.LazyFrame:
    ref, birth = c("reference_date"), c("birth_date")
    months = ((ref.dt.year() - birth.dt.year()) * 12 + ref.dt.month().cast(pl.Int32)
              - birth.dt.month().cast(pl.Int32)
              - (ref.dt.day() < birth.dt.day()).cast(pl.Int32))
    years = s.value("retirement_age")
    low, high = min(years), max(years)
    key = ref.dt.year().clip(low, high).cast(pl.Int32) * 2 \
        + (c("sex") == "female").cast(pl.Int32)
    mapping = {year * 2 + SEXES.index(sex): v
               for (year, sex), v in s.retirement_table(range(low, high + 1)).items()}
    return (members.with_columns(months=months.cast(pl.Int32),
                          school_age=(ref.dt.year() - birth.dt.year()).cast(pl.Int32),
                          retirement=key.replace_strict(mapping, return_dtype=pl.Int32))
            .with_columns(age=c("months") // 12)
            .with_columns(working_age=(c("age") >= s.working_age_from)
                          & (c("months") < c("retirement"))))


def deprivations(households: pl.LazyFrame, members: pl.LazyFrame, s: Standard,
                 explain: bool = True) -> pl.LazyFrame:
    """Per household: a nullable boolean column per indicator, ``deprivation_count``,
    ``unknown_count``, ``labour_capacity`` and, with ``explain``, evidence ``e_<code>``."""
    member_rules = [i for i in s.indicators if i.rule in MEMBER_RULES]
    dependant_rules = [i for i in s.indicators if i.rule == DEPENDANT_RULE]
    m = _member_facts(members, s).with_columns(
        *(MEMBER_RULES[i.rule][0](i.params, s).alias(f"f_{i.code}") for i in member_rules),
        *(_dependant(i.params["groups"]).alias(f"d_{i.code}") for i in dependant_rules),
        can_work=~_cannot_work(s),
    )
    per_household = m.group_by("hh").agg(
        *(c(f"f_{i.code}").any(ignore_nulls=False).alias(i.code) for i in member_rules),
        *(c(f"d_{i.code}").sum().alias(f"dc_{i.code}") for i in dependant_rules),
        *(c(f"d_{i.code}").is_null().sum().alias(f"du_{i.code}") for i in dependant_rules),
        labour_capacity=c("can_work").any(ignore_nulls=False),
    )
    frame = households.join(per_household, on="hh", how="left")
    if explain and member_rules:
        frame = frame.join(_member_evidence(m, member_rules), on="hh", how="left")
    columns, evidence_columns = [], []
    for i in s.indicators:
        evidence = None
        if i.rule in MEMBER_RULES:
            flag = c(i.code)
            evidence = c(f"e_{i.code}")
        elif i.rule == DEPENDANT_RULE:
            certain, possible = c(f"dc_{i.code}"), c(f"du_{i.code}")
            limit = pl.lit(i.params["ratio_above"]) * c("n_members")
            flag = (pl.when(certain > limit).then(True)
                    .when(certain + possible <= limit).then(False).otherwise(NULL_BOOL))
            evidence = pl.struct(dependants=certain.cast(pl.Int64),
                                 members=c("n_members").cast(pl.Int64))
        else:
            flag, evidence = HOUSEHOLD_RULES[i.rule](i.params)
        columns.append(flag.alias(i.code))
        if explain and evidence is not None:
            columns.append(evidence.alias(f"e_{i.code}"))
            evidence_columns.append(f"e_{i.code}")
    codes = list(s.codes)
    return frame.with_columns(columns).select(
        "hh", *codes, *evidence_columns, "labour_capacity",
        deprivation_count=pl.sum_horizontal([c(x).fill_null(False).cast(pl.Int32)
                                             for x in codes]),
        unknown_count=pl.sum_horizontal([c(x).is_null().cast(pl.Int32) for x in codes]),
    )


def _member_evidence(m: pl.LazyFrame, rules: list[Indicator]) -> pl.LazyFrame:
    """Deprived members per household and indicator, as the scalar rules list them."""
    flagged = m.filter(pl.any_horizontal([c(f"f_{i.code}").fill_null(False) for i in rules]))
    # group_by keeps the order of rows within a group, so sorting first lists members in order
    return flagged.sort("member_row").group_by("hh").agg(
        pl.struct(c("id"), c("age").cast(pl.Int64), *MEMBER_RULES[i.rule][1](i.params))
        .filter(c(f"f_{i.code}").fill_null(False)).alias(f"e_{i.code}")
        for i in rules)


# --- income and classification --------------------------------------------------------------

def decide(frame: pl.LazyFrame, s: Standard, prefix: str = "",
           where: pl.Expr | None = None) -> pl.LazyFrame:
    """Add the income decision, classification and group under ``s`` to a frame holding the
    deprivation counts, as ``<prefix>income_poor``, ``<prefix>classification`` and
    ``<prefix>poor_group``, for the rows ``where`` selects."""
    pc = c("income_per_capita_month")
    line = _by_area({a: s.income_line(a) for a in ("rural", "urban")})
    score_lines = s.value("score_line")
    score_poor = NULL_BOOL if score_lines is None else c("income_b1_score") <= _by_area(score_lines)
    bands = s.value("average_upper")
    within = pl.lit(False) if bands is None else pc <= _by_area(bands)
    measured = pc.is_not_null()
    band = c("_within_band")
    count, unknown = c("deprivation_count"), c("unknown_count")
    minimum = s.poor_min_deprivations
    names = frame.collect_schema().names()
    previous = {k: c(f"{prefix}{k}") if f"{prefix}{k}" in names else None
                for k in ("income_poor", "classification", "poor_group")}

    def only_where(expr: pl.Expr, key: str) -> pl.Expr:
        """Inside ``where`` the new value; outside, what another standard decided (or null)."""
        if where is None:
            return expr
        chosen = pl.when(where).then(expr)
        return chosen.otherwise(previous[key]) if previous[key] is not None else chosen

    frame = frame.with_columns(
        pl.when(measured).then(pc <= line).otherwise(score_poor).alias("_income_poor"),
        (measured & (pc > line) & within).alias("_within_band"))
    poor = c("_income_poor")
    classification = (
        pl.when(poor.is_null()).then(pl.lit("incomplete"))
        .when(poor).then(pl.when(count >= minimum).then(pl.lit("poor"))
                         .when(count + unknown < minimum).then(pl.lit("near_poor"))
                         .otherwise(pl.lit("incomplete")))
        .when(band).then(pl.lit("average"))
        .otherwise(pl.lit("not_poor")))
    group = pl.when((classification == "poor") & c("labour_capacity").is_not_null()) \
        .then(pl.when(c("labour_capacity")).then(pl.lit("A")).otherwise(pl.lit("B")))
    return frame.with_columns(
        only_where(classification, "classification").alias(f"{prefix}classification"),
        only_where(poor, "income_poor").alias(f"{prefix}income_poor"),
        only_where(group, "poor_group").alias(f"{prefix}poor_group"),
    ).drop("_income_poor", "_within_band")


# --- the whole population -------------------------------------------------------------------

def prepare(households: pl.DataFrame, members: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Key both tables by ``hh`` and give members their household's reference date; add member
    counts and the per-capita income. Tables already keyed (``hh`` on both, as the table
    validator returns them) skip the join on ``household_id``."""
    if "hh" not in households.columns:
        households = households.with_row_index("hh")
    members = members.with_row_index("member_row")
    if "hh" not in members.columns:
        keyed = keyed_members(households, members)
        members = keyed if keyed is not None else members.join(
            households.select("hh", "reference_date", household_id=c("id")),
            on="household_id", how="inner")
    elif "reference_date" not in members.columns:
        members = members.join(households.select("hh", "reference_date"), on="hh", how="inner")
    counts = members.group_by("hh").agg(n_members=pl.len())
    households = households.join(counts, on="hh", how="left").with_columns(
        income_per_capita_month=pl.coalesce(
            c("income_monthly_per_capita"),
            -(-c("income_annual_total") // (c("n_members") * 12))))
    return households, members


def _in_force(s: Standard) -> pl.Expr:
    inside = c("reference_date") >= s.valid_from
    if s.valid_until is not None:
        inside = inside & (c("reference_date") <= s.valid_until)
    return inside


def main_standard(registry: Registry, standard_id: str | None) -> pl.Expr:
    if standard_id is not None:
        registry.get(standard_id)
        return pl.lit(standard_id)
    expr = pl.lit(None, dtype=pl.String)
    for s in registry:
        if s.kind == "national":
            expr = pl.when(_in_force(s)).then(pl.lit(s.id)).otherwise(expr)
    return expr


def _provincial_mask(s: Standard) -> pl.Expr:
    return ((c("province_code") == s.province_code) & _in_force(s)).fill_null(False) \
        & (c("standard") != s.id)


def classify_tables(households: pl.DataFrame, members: pl.DataFrame,
                    registry: Registry | None = None, standard_id: str | None = None,
                    lang: str = DEFAULT_LANG,
                    explain: bool = True) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Classify valid household and member tables.

    Returns ``(results, rejected)``: one row per classified household, in input order, with
    ``hh`` (the input row), the result columns and ``<standard>:<field>`` for each provincial
    standard; and ``hh``/``id``/``errors`` for households no national standard covers.
    """
    registry = registry or default_registry()
    households, members = prepare(households, members)
    households = households.with_columns(standard=main_standard(registry, standard_id))
    rejected = households.filter(c("standard").is_null()).select(
        "hh", "id", errors=pl.concat_list(
            pl.lit("reference_date: ")
            + pl.col("reference_date").dt.strftime("%Y-%m-%d").map_elements(
                lambda d: text("no_national_standard", lang, date=d), return_dtype=pl.String)))
    households = households.filter(c("standard").is_not_null())
    used = [registry.get(sid) for sid in households.get_column("standard").unique().sort()]
    if not used:
        return households.select("hh", "id").clear(), rejected
    provincial = [s for s in registry if s.kind == "provincial"]

    by_signature: dict[str, list[Standard]] = {}
    for s in used + provincial:
        by_signature.setdefault(signature(s), []).append(s)
    parts = []
    for group in by_signature.values():
        mains = [s for s in group if s in used]
        mask = pl.any_horizontal([c("standard") == s.id for s in mains]
                                 + [_provincial_mask(s) for s in group if s not in used])
        subset = households.filter(mask)
        # a standard's households are often all of them: then no need to pick their members
        chosen = members if subset.height == households.height else \
            members.join(subset.select("hh"), on="hh", how="semi")
        subset = subset.lazy()
        frame = subset.select("hh", "id", "standard", "area", "province_code",
                              "reference_date", "income_per_capita_month",
                              "income_b1_score", "n_members").join(
            deprivations(subset, chosen.lazy(), group[0], explain), on="hh", how="left")
        for s in group:
            prefix = "" if s in used else f"{s.id}:"
            where = c("standard") == s.id if s in used else _provincial_mask(s)
            frame = decide(frame, s, prefix, where)
        if not mains:  # a provincial standard whose indicators differ from the national ones
            frame = frame.select("hh", *(c(f"{s.id}:{k}") for s in group for k in OTHER_FIELDS))
        parts.append((bool(mains), frame))
    collected = pl.collect_all([frame for _, frame in parts])
    main = [df.filter(c("classification").is_not_null())
            for (is_main, _), df in zip(parts, collected, strict=True) if is_main]
    results = main[0] if len(main) == 1 else pl.concat(main, how="diagonal_relaxed").sort("hh")
    for (is_main, _), df in zip(parts, collected, strict=True):
        if not is_main:
            results = results.join(df, on="hh", how="left")
    return results.drop("province_code", "reference_date"), rejected


def result_records(results: pl.DataFrame, registry: Registry | None = None,
                   lang: str = DEFAULT_LANG) -> dict[int, dict]:
    """The contract's result objects, keyed by ``hh``; needs results made with ``explain``."""
    registry = registry or default_registry()
    provincial = [s.id for s in registry if s.kind == "provincial"
                  and f"{s.id}:classification" in results.columns]
    evidence_names = [k for k in results.columns if k.startswith("e_")]
    # column-wise conversion is far faster than row by row; evidence only where deprived
    columns = results.drop(evidence_names).to_dict(as_series=False)
    evidence_of: dict[str, dict[int, Any]] = {}
    for name in evidence_names:
        code = name.removeprefix("e_")
        deprived = results.select(pl.int_range(pl.len()).alias("i"), name, code) \
            .filter(c(code)).to_dict(as_series=False)
        evidence_of[code] = dict(zip(deprived["i"], deprived[name], strict=True))
    codes_of = {s.id: s.codes for s in registry}
    out = {}
    for i, hh in enumerate(columns["hh"]):
        standard = registry.get(columns["standard"][i])
        values = {code: columns[code][i] for code in codes_of[standard.id]}
        evidence = {code: evidence_of[code].get(i) for code, value in values.items()
                    if value is True and code in evidence_of}
        per_capita, area = columns["income_per_capita_month"][i], columns["area"][i]
        decision = decide_income(Income(per_capita, columns["income_b1_score"][i]), standard, area)
        others = {sid: {k: columns[f"{sid}:{k}"][i] for k in OTHER_FIELDS} for sid in provincial
                  if columns[f"{sid}:classification"][i] is not None}
        out[hh] = {
            "id": columns["id"][i],
            "standard": standard.id,
            "area": area,
            "income_per_capita_month": per_capita,
            "income_poor": columns["income_poor"][i],
            "deprivations": {k: "unknown" if v is None else v for k, v in values.items()},
            "deprivation_count": columns["deprivation_count"][i],
            "classification": columns["classification"][i],
            "labour_capacity": columns["labour_capacity"][i],
            "poor_group": columns["poor_group"][i],
            "reasons": reasons_of(standard, values, evidence, decision, lang),
            "other_standards": others,
        }
    return out
