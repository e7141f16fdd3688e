"""Each poor household's ways out, computed by the engine.

For every poor household, the supports that apply to it (``supports.py``) are combined in
every way (a household has at most six, so at most 63 combinations; about two on average),
each combination is applied to the household's tables and the batch engine classifies the
result. So the effect of any choice of supports, interactions included, is the engine's own
answer: a plan never assumes that a support removes a deprivation, it looks it up.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from ..engine.batch import classify_tables
from ..messages import DEFAULT_LANG, text
from ..population import Population
from ..rules.parameters import Registry, Standard, rule_values
from ..tables import keyed_members
from .supports import (
    BIT,
    KIND_CODES,
    KINDS,
    Costs,
    card_eligible,
    member_age,
    supported_households,
    supported_members,
)

c = pl.col
DECIDED_NOT_POOR = ("near_poor", "average", "not_poor")
PRIORITY_GROUPS = ("group_b", "ethnic_minority", "children")


class PlanError(ValueError):
    """A plan that cannot be made as asked: the message (Vietnamese first) says why."""

    def __init__(self, *problems: str):
        super().__init__("; ".join(problems))


def say(key: str, **fields: object) -> str:
    """A plan message, Vietnamese first."""
    return text(f"plan.{key}", DEFAULT_LANG, **fields)


def submasks() -> pl.DataFrame:
    """Every non-empty subset (``mask``) of every set of kinds (``applicable``)."""
    rows = [(full, sub) for full in range(1 << len(KIND_CODES))
            for sub in range(1, full + 1) if sub & full == sub]
    return pl.DataFrame(rows, schema={"applicable": pl.Int64, "mask": pl.Int64}, orient="row")


def _score(standard: Standard, prefix: str = "") -> pl.Expr:
    """The Alkire-Foster deprivation score: the weights of the indicators deprived."""
    weights = standard.weights()
    return pl.sum_horizontal([c(f"{prefix}{code}").fill_null(False).cast(pl.Float64) * w
                              for code, w in weights.items()])


@dataclass
class Candidates:
    """The population as the plan sees it."""

    standard: Standard
    registry: Registry
    population: Population
    results: pl.DataFrame  # the engine's results, one row per household (``hh`` = row)
    poor: pl.DataFrame  # the poor households: hh, id, commune_code, score, flags, applicable
    options: pl.DataFrame  # hh, mask, cost, cost_<kind>, after_*, lifted
    cards: pl.DataFrame  # hh, member: who gets a card with the health insurance support
    costs: Costs
    # False when the population is only the poor households of an area: M0 then needs the
    # area's households, which the caller has
    whole_population: bool = True



def _keyed_members(population: Population, rows: pl.Series) -> pl.DataFrame:
    """The members of the households at ``rows`` with their household's row (``hh``) and
    reference date, in order (found by run lengths when members come grouped in their
    households' order, the usual layout)."""
    households = population.households.with_row_index("hh")
    members = population.members.with_row_index("member_row")
    keyed = keyed_members(households, members)
    if keyed is None:
        keyed = members.join(households.select("hh", "reference_date", household_id=c("id")),
                             on="household_id", how="inner")
    return keyed.filter(c("hh").is_in(rows.implode())).sort("hh", "member_row")


def candidates(population: Population, registry: Registry, standard_id: str | None,
               costs: Costs, lang: str = DEFAULT_LANG) -> Candidates:
    households, members = population.households, population.members
    if households.height == 0:
        raise PlanError(say("no_valid"))
    results, no_standard = classify_tables(households, members, registry, standard_id, lang,
                                           explain=False)
    if no_standard.height:
        raise PlanError(say("no_standard", count=no_standard.height))
    used = results.get_column("standard").unique().to_list()
    if len(used) != 1:
        raise PlanError(say("several_standards", standards=", ".join(sorted(used))))
    standard = registry.get(used[0])
    codes = set(standard.codes)
    keyed = _keyed_members(population, results.filter(c("classification") == "poor")
                           .get_column("hh"))
    definitions = rule_values("reporting.yaml", "reporting")
    majority = [str(x).lower() for x in definitions["majority_ethnicities"]]
    heads = keyed.filter(c("relation") == "head").select(
        "hh", ethnic_minority=c("ethnicity").str.to_lowercase().is_in(majority).not_())
    children = keyed.group_by("hh").agg(children=(member_age(
        c("reference_date"), c("birth_date")) < definitions["child_age_under"]).any())
    cards = keyed.filter(card_eligible()).select("hh", member=c("id"))
    n_cards = cards.group_by("hh").agg(n_cards=pl.len())
    applicable = pl.lit(0, dtype=pl.Int64)
    for kind in KINDS.values():
        if kind.addresses not in codes:
            continue
        ok = c(kind.addresses).fill_null(False)
        if kind.needs_dwelling:
            ok = ok & c("has_dwelling").fill_null(False)
        if kind.per_member:
            ok = ok & (c("n_cards") > 0)
        applicable = applicable + pl.when(ok).then(BIT[kind.code]).otherwise(0)
    poor = (results.filter(c("classification") == "poor")
            .join(households.with_row_index("hh").select("hh", "commune_code", "has_dwelling"),
                  on="hh", how="left")
            .join(n_cards, on="hh", how="left").with_columns(c("n_cards").fill_null(0))
            .join(heads, on="hh", how="left").join(children, on="hh", how="left")
            .with_columns(score=_score(standard), applicable=applicable,
                          group_b=c("poor_group") == "B",
                          ethnic_minority=c("ethnic_minority").fill_null(False),
                          children=c("children").fill_null(False))
            .select("hh", "id", "commune_code", "deprivation_count", "unknown_count", "score",
                    "poor_group", "n_cards", "applicable", *PRIORITY_GROUPS))
    options = _options(poor, households, keyed, registry, standard, costs, lang)
    return Candidates(standard, registry, population, results, poor, options,
                      cards.join(poor.select("hh"), on="hh", how="semi"), costs)


def _options(poor: pl.DataFrame, households: pl.DataFrame, keyed: pl.DataFrame,
             registry: Registry, standard: Standard, costs: Costs, lang: str) -> pl.DataFrame:
    """Every combination of applicable supports of every poor household, classified."""
    combos = poor.select("hh", "applicable", "n_cards").join(submasks(), on="applicable") \
        .sort("hh", "mask")
    if combos.height == 0:
        return pl.DataFrame(schema={
            "hh": pl.UInt32, "mask": pl.Int64, "after_class": pl.String,
            "after_count": pl.Int32, "after_unknown": pl.Int32, "after_score": pl.Float64,
            **{f"cost_{kind}": pl.Int64 for kind in KIND_CODES}, "cost": pl.Int64,
            "lifted": pl.Boolean})
    tag = pl.format("{}\x1f{}", c("id"), c("mask"))
    variants = combos.select("hh", "mask").join(
        households.with_row_index("hh"), on="hh", how="left").sort("hh", "mask")
    variants = supported_households(variants).with_columns(id=tag)
    variant_members = combos.select("hh", "mask").join(
        keyed, on="hh", how="inner").sort("hh", "mask", "member_row")
    variant_members = supported_members(variant_members).join(
        variants.select("hh", "mask", "id"), on=("hh", "mask"), how="left") \
        .with_columns(household_id=c("id_right")).drop("id_right")
    order = variants.select("hh", "mask")
    classified, _ = classify_tables(
        variants.drop("hh", "mask"), variant_members.select(keyed.columns).drop(
            "hh", "member_row", "reference_date"),
        registry, standard.id, lang, explain=False)
    after = classified.sort("hh").select(
        after_class=c("classification"), after_count=c("deprivation_count"),
        after_unknown=c("unknown_count"), after_score=_score(standard))
    costs_of = {kind: (c("mask") & BIT[kind] != 0).cast(pl.Int64) * costs[kind]
                * (c("n_cards") if KINDS[kind].per_member else 1) for kind in KIND_CODES}
    return pl.concat([order, after], how="horizontal").join(
        combos.select("hh", "mask", "n_cards"), on=("hh", "mask")).with_columns(
        **{f"cost_{kind}": expr for kind, expr in costs_of.items()}).with_columns(
        cost=pl.sum_horizontal(f"cost_{kind}" for kind in KIND_CODES),
        lifted=c("after_class").is_in(DECIDED_NOT_POOR)).drop("n_cards")
