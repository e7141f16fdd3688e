"""Alkire-Foster measures of multidimensional poverty (docs/rules.md, "Measures").

With the standard's weights w_j (equal: 1/12) and cut-off k (3/12), a unit's deprivation score
is c_i = Σ w_j g_ij. Identification: c_i >= k, and, for the *legal* measure (income gate on),
income at or below the line too, which makes "poor" exactly the legal classification. The
*pure* multidimensional measure (gate off) ignores income.

- H = q / n: headcount ratio; A = Σ c_i(k) / q: intensity among the poor; M0 = H × A.
- censored headcount h_j: share of units that are poor and deprived in j.
- contribution of j: w_j h_j / M0; of a dimension: the sum over its indicators.
- subgroups: M0 = Σ_g (n_g / n) M0_g exactly; a group's contribution is (n_g / n) M0_g / M0.

Units are households, or persons (each household counted once per member). Units with an
unknown indicator (or, with the gate, an income the standard cannot judge) are left out and
counted in ``excluded``.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from .rules.parameters import Standard

c = pl.col
# c_i is a sum of float weights: 3 × (1/12) may fall a hair below 0.25.
SCORE_TOLERANCE = 1e-9


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 0.0


def alkire_foster(results: pl.DataFrame, standard: Standard, unit: str = "household",
                  income_gate: bool = True, by: str | None = None) -> dict[str, Any]:
    """Measures over ``results``: one row per household with a nullable boolean column per
    indicator code, ``income_poor`` and ``n_members`` (and the ``by`` column)."""
    codes = list(standard.codes)
    weights = standard.weights()
    frame, excluded = _identified(results, standard, unit, income_gate)
    measures = _measures(frame, codes, weights)
    out: dict[str, Any] = {
        "standard": standard.id,
        "unit": unit,
        "income_gate": income_gate,
        "cutoff": standard.value("alkire_foster_cutoff"),
        "weights": weights,
        "excluded": _whole(excluded),
        **measures,
        "contribution_by_dimension": _by_dimension(measures["contribution"], standard),
    }
    if by is not None:
        out["by"] = _decompose(frame, by, codes, weights, measures["M0"], measures["population"])
    return out


def _identified(results: pl.DataFrame, standard: Standard, unit: str,
                income_gate: bool) -> tuple[pl.DataFrame, float]:
    """The complete units with their size, score and identification; and the excluded size."""
    if unit not in ("household", "person"):
        raise ValueError("unit must be household or person")
    codes = list(standard.codes)
    weights = standard.weights()
    complete = pl.all_horizontal([c(code).is_not_null() for code in codes])
    if income_gate:
        complete = complete & c("income_poor").is_not_null()
    size = c("n_members").cast(pl.Float64) if unit == "person" else pl.lit(1.0)
    score = pl.sum_horizontal([c(code).cast(pl.Float64) * weights[code] for code in codes])
    poor = score >= standard.value("alkire_foster_cutoff") - SCORE_TOLERANCE
    if income_gate:
        poor = poor & c("income_poor")
    frame = results.with_columns(_complete=complete, _size=size)
    excluded = frame.filter(~c("_complete")).select(c("_size").sum()).item() or 0.0
    return frame.filter(c("_complete")).with_columns(_score=score).with_columns(_poor=poor), \
        excluded


def _whole(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def _measures(frame: pl.DataFrame, codes: list[str], weights: dict[str, float]) -> dict[str, Any]:
    return measures_from_sums(sums_of(frame, codes), codes, weights)


def sums_of(frame: pl.DataFrame, codes: list[str]) -> dict[str, float]:
    """The additive totals every measure is a ratio of: they add up over communes, so an
    area's measures come from its communes' stored sums without reading a household."""
    sums = frame.select(
        n=c("_size").sum(),
        q=(c("_size") * c("_poor").cast(pl.Float64)).sum(),
        intensity=(c("_size") * c("_score") * c("_poor").cast(pl.Float64)).sum(),
        **{f"h_{j}": (c("_size") * (c("_poor") & c(j)).cast(pl.Float64)).sum() for j in codes},
        **{f"u_{j}": (c("_size") * c(j).cast(pl.Float64)).sum() for j in codes},
    ).row(0, named=True)
    return {key: value or 0.0 for key, value in sums.items()}


def legal_sums(results: pl.DataFrame, standard: Standard) -> dict[str, float]:
    """``sums_of`` the households of ``results`` for the legal measure (income gate on)."""
    return sums_of(_identified(results, standard, "household", True)[0], list(standard.codes))


def measures_from_sums(sums: dict[str, float], codes: list[str],
                       weights: dict[str, float]) -> dict[str, Any]:
    n, q = sums["n"], sums["q"]
    m0 = _ratio(sums["intensity"], n)
    censored = {j: _ratio(sums[f"h_{j}"], n) for j in codes}
    return {
        "population": _whole(n),
        "poor": _whole(q),
        "H": _ratio(q, n),
        "A": _ratio(sums["intensity"], q),
        "M0": m0,
        "censored_headcount": censored,
        "uncensored_headcount": {j: _ratio(sums[f"u_{j}"], n) for j in codes},
        "contribution": {j: _ratio(weights[j] * censored[j], m0) for j in codes},
    }


def measures_of_sums(sums: dict[str, float], standard: Standard) -> dict[str, Any]:
    """The measures of stored sums (see ``sums_of``), with the dimensions' contributions."""
    out = measures_from_sums(sums, list(standard.codes), standard.weights())
    out["contribution_by_dimension"] = _by_dimension(out["contribution"], standard)
    return out


def _by_dimension(contribution: dict[str, float], standard: Standard) -> dict[str, float]:
    out: dict[str, float] = {}
    for indicator in standard.indicators:
        out[indicator.dimension] = out.get(indicator.dimension, 0.0) \
            + contribution[indicator.code]
    return out


def _decompose(frame: pl.DataFrame, by: str, codes: list[str], weights: dict[str, float],
               m0: float, n: float) -> dict[str, Any]:
    groups = []
    for key, part in frame.group_by(by, maintain_order=True):
        measures = _measures(part, codes, weights)
        share = _ratio(measures["population"], n)
        groups.append({
            "value": key[0],
            "population": measures["population"],
            "population_share": share,
            "H": measures["H"], "A": measures["A"], "M0": measures["M0"],
            "contribution": _ratio(share * measures["M0"], m0),
        })
    groups.sort(key=lambda g: (g["value"] is None, str(g["value"])))
    return {"field": by, "groups": groups,
            "M0_from_groups": sum(g["population_share"] * g["M0"] for g in groups)}
