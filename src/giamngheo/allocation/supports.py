"""The supports a plan can give, what each does to the household record, and what it costs.

What a support does is fixed (issue 16's table), here in code; what it costs is a dated
parameter (``rules/support-costs.yaml``, overridden by an officer's ``--costs FILE``).

=================== ============================================ ==============================
support             applies to                                   effect on the record
=================== ============================================ ==============================
health_insurance    each member aged 6 or more without a card    that member's health_insurance
                    (one support per member)                     = true
water               a dwelling without a hygienic source         water_source = piped
latrine             a dwelling without a hygienic latrine        latrine = septic
housing             a dwelling with ≥ 2 non-durable structures   walls, frame, roof = durable
internet            no member using internet                     uses_internet = true
device              none of the listed devices                   tv added to devices
=================== ============================================ ==============================

"Hygienic", "non-durable" and "listed" are the standard's own definitions: a support applies
to a household that the standard finds deprived on the indicator the support addresses (and,
for the dwelling's supports, that has a dwelling). A standard that drops the indicator leaves
the support nothing to do. The effect itself is always checked by classifying the supported
record again with the engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import polars as pl
import yaml

from ..rules.parameters import ParameterError, rule_entries

COSTS_FILE = Path(__file__).resolve().parent.parent / "rules" / "support-costs.yaml"
MEMBER_AGE_FROM = 6  # "each member aged 6 or more without a card"

c = pl.col


@dataclass(frozen=True)
class SupportKind:
    code: str
    addresses: str  # the indicator whose deprivation it removes
    per_member: bool
    needs_dwelling: bool
    program_kind: str  # the kind of support of the program's taxonomy (support records)
    label: dict[str, str]


KINDS: dict[str, SupportKind] = {k.code: k for k in (
    SupportKind("health_insurance", "health_insurance", True, False, "health_insurance_card",
                {"vi": "BHYT", "en": "health insurance"}),
    SupportKind("water", "water", False, True, "water",
                {"vi": "nước sinh hoạt hợp vệ sinh", "en": "hygienic water"}),
    SupportKind("latrine", "latrine", False, True, "latrine",
                {"vi": "nhà tiêu hợp vệ sinh", "en": "a hygienic latrine"}),
    SupportKind("housing", "housing_quality", False, True, "housing",
                {"vi": "nhà ở kiên cố", "en": "a durable house"}),
    SupportKind("internet", "telecom", False, False, "telecom",
                {"vi": "dịch vụ internet", "en": "internet service"}),
    SupportKind("device", "information_assets", False, False, "information_device",
                {"vi": "ti vi", "en": "a television"}),
)}
KIND_CODES = tuple(KINDS)
BIT = {code: 1 << i for i, code in enumerate(KIND_CODES)}


# --- the effect on the tables (the batch engine's input) --------------------------------------

def member_age(reference: pl.Expr, birth: pl.Expr) -> pl.Expr:
    """Completed years at the reference date."""
    months = ((reference.dt.year() - birth.dt.year()) * 12 + reference.dt.month().cast(pl.Int32)
              - birth.dt.month().cast(pl.Int32)
              - (reference.dt.day() < birth.dt.day()).cast(pl.Int32))
    return months // 12


def card_eligible() -> pl.Expr:
    """A member who would get a card: aged 6 or more, recorded as having none (members
    carrying their household's ``reference_date``)."""
    return (member_age(c("reference_date"), c("birth_date")) >= MEMBER_AGE_FROM) \
        & (c("health_insurance") == False)  # noqa: E712 (false, not unknown)


def _has(mask: pl.Expr, kind: str) -> pl.Expr:
    return (mask & BIT[kind]) != 0


def supported_households(households: pl.DataFrame, mask: str = "mask") -> pl.DataFrame:
    """Households with the dwelling and information supports of their ``mask`` applied."""
    m = c(mask)
    return households.with_columns(
        dwelling_water_source=pl.when(_has(m, "water")).then(pl.lit("piped"))
        .otherwise(c("dwelling_water_source")),
        dwelling_latrine=pl.when(_has(m, "latrine")).then(pl.lit("septic"))
        .otherwise(c("dwelling_latrine")),
        **{f"dwelling_{part}": pl.when(_has(m, "housing")).then(pl.lit("durable"))
           .otherwise(c(f"dwelling_{part}")) for part in ("walls", "frame", "roof")},
        information_uses_internet=pl.when(_has(m, "internet")).then(True)
        .otherwise(c("information_uses_internet")),
        information_devices=pl.when(_has(m, "device")).then(
            pl.concat_list(c("information_devices").fill_null(pl.lit([], dtype=pl.List(
                pl.String))), pl.lit(["tv"]))).otherwise(c("information_devices")),
    )


def supported_members(members: pl.DataFrame, mask: str = "mask") -> pl.DataFrame:
    """Members (with their household's ``reference_date`` and ``mask``) with the cards of
    the health insurance support."""
    return members.with_columns(health_insurance=pl.when(
        _has(c(mask), "health_insurance") & card_eligible()).then(True)
        .otherwise(c("health_insurance")))


# --- costs -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Costs:
    """Unit costs in whole đồng (a card for one member; otherwise one household)."""

    values: dict[str, int]
    sources: dict[str, str]
    verified: dict[str, bool]
    notes: dict[str, str]
    valid_from: str
    overridden: tuple[str, ...] = ()
    shown: dict[str, dict[str, str]] | None = None  # what a page says of each figure

    def __getitem__(self, kind: str) -> int:
        return self.values[kind]


def _read_mapping(path: Path) -> Any:
    data = path.read_bytes()
    if path.suffix.lower() == ".json":
        return orjson.loads(data)
    return yaml.safe_load(data)


def _same_as(reference: str, where: str) -> Any:
    """A value of another parameter file of ``rules/``: ``FILE#section.key.key``."""
    file, _, path = reference.partition("#")
    section, *keys = path.split(".")
    value: Any = rule_entries(file, section)
    for key in keys:
        if not isinstance(value, dict) or key not in value:
            raise ParameterError(f"{where}: same_as {reference}: no {key!r}")
        value = value[key]
    return value


def _check_amount(value: Any, where: str, problems: list[str]) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        problems.append(f"{where}: a cost is a whole number of đồng above 0, not {value!r}")


def load_costs(overrides: Path | str | dict[str, Any] | None = None,
               path: Path = COSTS_FILE) -> Costs:
    """The unit costs of the parameter file, with an officer's overrides ``{kind: đồng}``
    (a JSON or YAML file, or a mapping). Every problem is reported at once."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    nodes = data.get("costs") or {}
    problems = [f"{path.name}: costs.{kind}: missing" for kind in KIND_CODES if kind not in nodes]
    problems += [f"{path.name}: costs.{kind}: not a support (known: {', '.join(KIND_CODES)})"
                 for kind in nodes if kind not in KINDS]
    values: dict[str, int] = {}
    sources: dict[str, str] = {}
    verified: dict[str, bool] = {}
    notes: dict[str, str] = {}
    shown: dict[str, dict[str, str]] = {}
    for kind in KIND_CODES:
        node = nodes.get(kind) or {}
        where = f"{path.name}: costs.{kind}"
        for key in ("source", "verified"):
            if key not in node:
                problems.append(f"{where}: missing {key}")
        value = _same_as(node["same_as"], where) if "same_as" in node else node.get("value")
        _check_amount(value, where, problems)
        values[kind], sources[kind] = value if isinstance(value, int) else 0, \
            str(node.get("source", ""))
        verified[kind], notes[kind] = bool(node.get("verified")), str(node.get("note") or "")
        shown[kind] = node.get("shown") or {"vi": sources[kind], "en": sources[kind]}
    overridden: list[str] = []
    if overrides is not None:
        name = "--costs"
        if not isinstance(overrides, dict):
            name = Path(overrides).name
            try:
                overrides = _read_mapping(Path(overrides))
            except (OSError, ValueError, yaml.YAMLError) as exc:
                raise ParameterError(f"{name}: cannot be read: {exc}") from None
        if not isinstance(overrides, dict):
            raise ParameterError(f"{name}: must hold an object {{support: đồng}}")
        for kind, value in overrides.items():
            if kind not in KINDS:
                problems.append(f"{name}: {kind}: not a support (known: "
                                f"{', '.join(KIND_CODES)})")
                continue
            _check_amount(value, f"{name}: {kind}", problems)
            values[kind] = value if isinstance(value, int) else 0
            sources[kind], verified[kind], notes[kind] = name, False, ""
            overridden.append(kind)
    if problems:
        raise ParameterError("; ".join(problems))
    return Costs(values, sources, verified, notes, str(data.get("valid_from")),
                 tuple(overridden), shown)


def _plain(section: str, path: Path = COSTS_FILE) -> Any:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    node = data.get(section)
    if not isinstance(node, dict) or "value" not in node:
        raise ParameterError(f"{path.name}: {section}: needs value, source, verified")
    return node["value"]


def default_funding() -> dict[str, list[str]]:
    """Funding source → the kinds of support it usually pays for."""
    funding: dict[str, list[str]] = _plain("funding")
    for source, kinds in funding.items():
        unknown = [k for k in kinds if k not in KINDS]
        if unknown:
            raise ParameterError(f"{COSTS_FILE.name}: funding.{source}: unknown {unknown}")
    return funding


def current_practice_order() -> list[str]:
    order = _plain("current_practice")
    if sorted(order) != sorted(KIND_CODES):
        raise ParameterError(f"{COSTS_FILE.name}: current_practice must order every support")
    return list(order)
