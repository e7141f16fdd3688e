"""The batch engine: the rules' vectorised forms over Polars frames.

Input is two flat tables (``tables.py``): households, one row each, and members, one row per
member keyed by ``household_id``. Each indicator is evaluated by its rule's vectorised form
(``engine/rules/<rule>.py``, beside its scalar form); three-valued logic uses Polars' nullable
booleans, whose ``&``, ``|`` and ``any(ignore_nulls=False)`` follow Kleene's logic like the
scalar engine. With ``explain``, each household also gets its ``reasons``, rendered by the
rules' vectorised reason forms in the same words as the scalar engine. Property tests
(tests/engine/) hold the two engines to the same answer. Everything is built as lazy plans, so
that a caller can stream them.
"""

from __future__ import annotations

import json
from typing import Any

import polars as pl

from ..ages import completed_months_expr, reached_retirement_expr
from ..messages import DEFAULT_LANG, MESSAGES, format_hundredths, format_int, hundredths, text
from ..rules.parameters import Indicator, Registry, Standard, default_registry
from ..tables import keyed_members
from .exprs import NULL_BOOL, by_area
from .exprs import format_hundredths as format_hundredths_expr
from .exprs import format_int as format_int_expr
from .exprs import hundredths as hundredths_expr
from .labour import can_work_expr
from .rule import Aggregate, HouseholdRule, MemberRule, registered

c = pl.col
AREAS = ("rural", "urban")
OTHER_FIELDS = ("income_poor", "classification", "poor_group")


def signature(standard: Standard) -> str:
    """Standards with the same signature give the same deprivations and labour capacity."""
    return json.dumps({
        "indicators": [(i.code, i.rule, i.params) for i in standard.indicators],
        "working_age_from": standard.working_age_from,
        "retirement": standard.value("retirement_age"),
        "cannot_work": standard.cannot_work,
    }, sort_keys=True, default=str)


def member_facts(members: pl.LazyFrame, s: Standard) -> pl.LazyFrame:
    """Members with the ages the rules use: ``months``, ``age``, ``retired``,
    ``working_age``."""
    birth, reference = c("birth_date"), c("reference_date")
    return (members.with_columns(
        months=completed_months_expr(birth, reference),
        retired=reached_retirement_expr(birth, c("sex"), reference, s.retirement_table))
        .with_columns(age=c("months") // 12)
        .with_columns(working_age=(c("age") >= s.working_age_from) & ~c("retired")))


def _unknown_reason(code: str, lang: str) -> str:
    return f"{code}: {text('unknown_indicator', lang)}"


def deprivations(households: pl.LazyFrame, members: pl.LazyFrame, s: Standard,
                 explain: bool = True, lang: str = DEFAULT_LANG) -> pl.LazyFrame:
    """Per household: a nullable boolean column per indicator, ``deprivation_count``,
    ``unknown_count``, ``labour_capacity`` and, with ``explain``, ``deprivation_reasons``
    (every deprived or unknown indicator explained, in the standard's order)."""
    rules = registered()
    by_member = [(i, rule) for i in s.indicators
                 if isinstance(rule := rules[i.rule], MemberRule)]
    by_household = [(i, rule) for i in s.indicators
                    if isinstance(rule := rules[i.rule], HouseholdRule)]
    m = member_facts(members, s).with_columns(
        *(rule.member_expr(i.params).alias(f"f_{i.code}") for i, rule in by_member),
        can_work=can_work_expr(s))
    per_household = m.group_by("hh").agg(
        *(c(f"f_{i.code}").any(ignore_nulls=False).alias(i.code) for i, _ in by_member),
        *(expr.alias(f"a_{i.code}:{name}") for i, rule in by_household
          for name, expr in rule.aggregates(i.params).items()),
        labour_capacity=c("can_work").any(ignore_nulls=False))
    frame = households.join(per_household, on="hh", how="left")

    frame = frame.with_columns(rule.expr(i.params, _aggregate(i)).alias(i.code)
                               for i, rule in by_household)
    codes = list(s.codes)
    columns: list[str | pl.Expr] = [
        "hh", *codes, "labour_capacity",
        pl.sum_horizontal([c(x).fill_null(False).cast(pl.Int32) for x in codes])
        .alias("deprivation_count"),
        pl.sum_horizontal([c(x).is_null().cast(pl.Int32) for x in codes]).alias("unknown_count"),
    ]
    if not explain:
        return frame.select(columns)
    reasons = _reasons(frame, m, s, lang)
    return frame.join(reasons, on="hh", how="left").select(
        *columns, c("deprivation_reasons").fill_null(pl.lit([], dtype=pl.List(pl.String))))


def _aggregate(i: Indicator) -> Aggregate:
    """Where an indicator's member aggregates are: their names → columns."""
    return lambda name: c(f"a_{i.code}:{name}")


def _reasons(frame: pl.LazyFrame, m: pl.LazyFrame, s: Standard, lang: str) -> pl.LazyFrame:
    """Every deprived or unknown indicator of each household explained, in the standard's
    order: each reason is worded only for the households (or members) it concerns, as rows
    (household, indicator's position, text) gathered into one list per household."""
    rules = registered()
    parts = []
    for position, i in enumerate(s.indicators):
        rule = rules[i.rule]
        prefix = pl.lit(f"{i.code}: ")
        if isinstance(rule, MemberRule):
            # group_by keeps the order of rows within a group: sorted first, members in order
            worded = m.filter(c(f"f_{i.code}")).select(
                "hh", "member_row", rule.phrase_expr(i.params, lang).alias("phrase")) \
                .sort("member_row").group_by("hh").agg(c("phrase").str.join("; ")) \
                .select("hh", text=prefix + c("phrase"))
        else:
            assert isinstance(rule, HouseholdRule)
            worded = frame.filter(c(i.code)).select(
                "hh", text=prefix + rule.reason_expr(i.params, lang, _aggregate(i)))
        unknown = frame.filter(c(i.code).is_null()).select(
            "hh", text=pl.lit(_unknown_reason(i.code, lang)))
        parts += [p.with_columns(position=pl.lit(position, dtype=pl.Int32))
                  for p in (worded, unknown)]
    return pl.concat(parts).group_by("hh").agg(
        c("text").sort_by("position").alias("deprivation_reasons"))


# --- income and classification --------------------------------------------------------------

def _income_reason(s: Standard, lang: str) -> pl.Expr:
    """The income decision in words, as ``classify.IncomeDecision.reason``: each case's
    message is worded once per area with the standard's figures, and only the household's own
    figure (its income or score) is written row by row."""
    pc, score = c("income_per_capita_month"), c("income_b1_score")
    score_lines, bands = s.value("score_line"), s.value("average_upper")
    cases: list[tuple[pl.Expr, str, str | None]] = []  # (condition, message, the row's field)
    if score_lines is None:
        cases.append((pc.is_null(), "income.not_measured", None))
    else:
        cases += [(pc.is_null() & (score <= by_area(score_lines)), "income.score_poor", "score"),
                  (pc.is_null(), "income.score_above", "score")]
    line = by_area({a: s.income_line(a) for a in AREAS})
    cases.append((pc <= line, "income.poor", "income"))
    if bands is None:
        cases.append((pl.lit(True), "income.no_band", "income"))
    else:
        cases += [(pc <= by_area(bands), "income.average", "income"),
                  (pl.lit(True), "income.above_band", "income")]
    which: pl.Expr = pl.lit(None, dtype=pl.Int32)
    for index, (condition, _key, _field) in reversed(list(enumerate(cases))):
        which = pl.when(condition).then(pl.lit(index, dtype=pl.Int32)).otherwise(which)
    which = which + pl.when(c("area") == "urban").then(len(cases)).otherwise(0)
    prefixes, suffixes, shown = {}, {}, {}
    for a, area in enumerate(AREAS):
        figures = {"area": text(f"area.{area}", lang)}
        if bands is not None:
            figures["upper"] = format_int(bands[area], lang)
        for index, (_condition, key, field) in enumerate(cases):
            if key.startswith("income.score"):
                figures["line"] = format_hundredths(hundredths(score_lines[area]), lang)
            elif key != "income.not_measured":
                figures["line"] = format_int(s.income_line(area), lang)
            worded = text(key, lang, **figures, **({field: "\0"} if field else {}))
            prefix, _, suffix = worded.partition("\0")
            prefixes[a * len(cases) + index] = "income: " + prefix
            suffixes[a * len(cases) + index] = suffix
            shown[a * len(cases) + index] = field is not None
    figure = pl.when(pc.is_null()).then(format_hundredths_expr(hundredths_expr(score), lang)) \
        .otherwise(format_int_expr(pc, lang))
    figure = pl.when(which.replace_strict(shown, return_dtype=pl.Boolean)).then(figure)
    return pl.concat_str([which.replace_strict(prefixes, return_dtype=pl.String),
                          figure.fill_null(""),
                          which.replace_strict(suffixes, return_dtype=pl.String)])


def decide(frame: pl.LazyFrame, s: Standard, prefix: str = "", where: pl.Expr | None = None,
           explain: bool = False, lang: str = DEFAULT_LANG) -> pl.LazyFrame:
    """Add the income decision, classification and group under ``s`` to a frame holding the
    deprivation counts, as ``<prefix>income_poor``, ``<prefix>classification`` and
    ``<prefix>poor_group`` (and, with ``explain``, the ``reasons``), for the rows ``where``
    selects."""
    pc = c("income_per_capita_month")
    line = by_area({a: s.income_line(a) for a in ("rural", "urban")})
    score_lines = s.value("score_line")
    score_poor = NULL_BOOL if score_lines is None else c("income_b1_score") <= by_area(score_lines)
    bands = s.value("average_upper")
    within = pl.lit(False) if bands is None else pc <= by_area(bands)
    measured = pc.is_not_null()
    count, unknown = c("deprivation_count"), c("unknown_count")
    minimum = s.poor_min_deprivations
    names = frame.collect_schema().names()
    keys = (*OTHER_FIELDS, "reasons")
    previous = {k: c(f"{prefix}{k}") if f"{prefix}{k}" in names else None for k in keys}

    def only_where(expr: pl.Expr, key: str) -> pl.Expr:
        """Inside ``where`` the new value; outside, what another standard decided (or null)."""
        if where is None:
            return expr
        chosen = pl.when(where).then(expr)
        before = previous[key]
        return chosen.otherwise(before) if before is not None else chosen

    poor = pl.when(measured).then(pc <= line).otherwise(score_poor)
    frame = frame.with_columns(poor.alias("_income_poor"),
                               (measured & (pc > line) & within).alias("_within_band"))
    poor = c("_income_poor")
    classification = (
        pl.when(poor.is_null()).then(pl.lit("incomplete"))
        .when(poor).then(pl.when(count >= minimum).then(pl.lit("poor"))
                         .when(count + unknown < minimum).then(pl.lit("near_poor"))
                         .otherwise(pl.lit("incomplete")))
        .when(c("_within_band")).then(pl.lit("average"))
        .otherwise(pl.lit("not_poor")))
    group = pl.when((classification == "poor") & c("labour_capacity").is_not_null()) \
        .then(pl.when(c("labour_capacity")).then(pl.lit("A")).otherwise(pl.lit("B")))
    columns = [only_where(classification, "classification").alias(f"{prefix}classification"),
               only_where(poor, "income_poor").alias(f"{prefix}income_poor"),
               only_where(group, "poor_group").alias(f"{prefix}poor_group")]
    if explain:
        reasons = pl.concat_list([c("deprivation_reasons"), _income_reason(s, lang)])
        columns.append(only_where(reasons, "reasons").alias(f"{prefix}reasons"))
    return frame.with_columns(columns).drop("_income_poor", "_within_band")


# --- the whole population -------------------------------------------------------------------

def prepare(households: pl.DataFrame, members: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Key both tables by ``hh`` and give members their household's reference date; add member
    counts and the per-capita income. Tables already keyed (``hh`` on both, as the table
    validator returns them) skip the join on ``household_id``."""
    if "hh" not in households.columns:
        households = households.with_row_index("hh")
    if "member_row" not in members.columns:
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
    ``hh`` (the input row), the result columns (``reasons`` with ``explain``) and
    ``<standard>:<field>`` for each provincial standard; and ``hh``/``id``/``errors`` for
    households no national standard covers.
    """
    registry = registry or default_registry()
    households, members = prepare(households, members)
    households = households.with_columns(standard=main_standard(registry, standard_id))
    no_standard = MESSAGES["no_national_standard"][lang].split("{date}")
    rejected = households.filter(c("standard").is_null()).select(
        "hh", "id", errors=pl.concat_list(pl.concat_str(
            pl.lit("reference_date: " + no_standard[0]),
            c("reference_date").dt.strftime("%Y-%m-%d"), pl.lit(no_standard[1]))))
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
        lazy = subset.lazy()
        frame = lazy.select("hh", "id", "standard", "area", "province_code",
                            "reference_date", "income_per_capita_month",
                            "income_b1_score", "n_members").join(
            deprivations(lazy, chosen.lazy(), group[0], explain and bool(mains), lang),
            on="hh", how="left")
        for s in group:
            is_main = s in used
            prefix = "" if is_main else f"{s.id}:"
            where = c("standard") == s.id if is_main else _provincial_mask(s)
            frame = decide(frame, s, prefix, where, explain and is_main, lang)
        if explain and mains:
            frame = frame.drop("deprivation_reasons")
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
                   lang: str = DEFAULT_LANG) -> dict[int, dict[str, Any]]:
    """The contract's result objects, keyed by ``hh``; needs results made with ``explain``,
    whose reasons are in the language the results were made in (``lang`` is not used: it
    stays for the callers that pass it)."""
    registry = registry or default_registry()
    provincial = [s.id for s in registry if s.kind == "provincial"
                  and f"{s.id}:classification" in results.columns]
    out: dict[int, dict[str, Any]] = {}
    if not results.height:
        return out
    for (standard_id,), part in results.group_by("standard", maintain_order=True):
        standard = registry.get(str(standard_id))
        codes = standard.codes
        columns = part.select(
            "hh", "id", "area", "income_per_capita_month", "income_poor", "deprivation_count",
            "classification", "labour_capacity", "poor_group", "reasons",
            *(pl.when(c(k).is_null()).then(pl.lit("unknown")).otherwise(c(k).cast(pl.String))
              .alias(k) for k in codes),
            *(pl.struct([c(f"{sid}:{k}").alias(k) for k in OTHER_FIELDS]).alias(sid)
              for sid in provincial),
        ).to_dict(as_series=False)
        tri = {"true": True, "false": False, "unknown": "unknown"}
        deprived = [dict(zip(codes, map(tri.__getitem__, values), strict=True))
                    for values in zip(*(columns[k] for k in codes), strict=True)]
        others = [{sid: summary for sid, summary in zip(provincial, row, strict=True)
                   if summary["classification"] is not None}
                  for row in zip(*(columns[sid] for sid in provincial), strict=True)] \
            if provincial else [{} for _ in columns["hh"]]
        for hh, rid, area, per_capita, poor, count, klass, capacity, group, reasons, \
                deprivation, other in zip(
                    columns["hh"], columns["id"], columns["area"],
                    columns["income_per_capita_month"], columns["income_poor"],
                    columns["deprivation_count"], columns["classification"],
                    columns["labour_capacity"], columns["poor_group"], columns["reasons"],
                    deprived, others, strict=True):
            out[hh] = {
                "id": rid, "standard": standard.id, "area": area,
                "income_per_capita_month": per_capita, "income_poor": poor,
                "deprivations": deprivation, "deprivation_count": count,
                "classification": klass, "labour_capacity": capacity, "poor_group": group,
                "reasons": reasons, "other_standards": other,
            }
    return out
