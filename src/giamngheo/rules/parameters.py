"""Load and validate the dated parameter files of the poverty standards.

A standard is one YAML file under ``rules/standards/`` (or any directory passed to
:func:`load_registry`). A file may ``extends`` another: it inherits its parameters and
indicators, replaces the parameters it names, and adds, redefines or drops (``code: null``)
indicators. Inherited indicators take the ``inherited_indicators`` marks (``verified``, ``note``).
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

STANDARDS_DIR = Path(__file__).parent / "standards"
AREAS = ("rural", "urban")
SEXES = ("male", "female")

# Each indicator names one rule implemented by both engines, with the parameters it needs.
RULE_PARAMS: dict[str, tuple[str, ...]] = {
    "working_age_employment": ("deprived_statuses",),
    "dependant_ratio": ("ratio_above", "groups"),
    "child_malnutrition": ("age_under",),
    "member_without_health_insurance": ("age_from",),
    "adult_qualification": ("bands",),
    "school_attendance": ("age_from", "age_under", "level_rank", "expected"),
    "non_durable_structures": ("structures", "min_non_durable"),
    "floor_area_per_person": ("min_m2_per_person",),
    "dwelling_value_not_in": ("field", "accepted", "when_no_dwelling", "reason"),
    "no_internet": (),
    "no_device_in": ("devices",),
}
DEPENDANT_CRITERIA = ("age_under", "age_from", "disability_in", "unable_to_work",
                      "social_allowance")
REQUIRED_PARAMETERS = (
    "income_line", "average_upper", "score_line", "poor_min_deprivations", "working_age_from",
    "retirement_age", "cannot_work", "alkire_foster_cutoff",
)


class ParameterError(ValueError):
    """A parameter file is malformed; the message names the file and the key."""


@dataclass(frozen=True)
class Parameter:
    name: str
    value: Any
    source: str
    verified: bool
    unit: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Indicator:
    code: str
    dimension: str
    label: dict[str, str]
    rule: str
    params: dict[str, Any]
    source: str
    verified: bool
    note: str | None = None
    weight: float | None = None


@dataclass(frozen=True)
class Standard:
    id: str
    name: dict[str, str]
    kind: str
    valid_from: dt.date
    valid_until: dt.date | None
    source: str
    verified: bool
    parameters: dict[str, Parameter]
    dimensions: dict[str, dict[str, str]]
    indicators: tuple[Indicator, ...]
    province_code: str | None = None
    note: str | None = None
    path: Path | None = field(default=None, compare=False)
    short_name: dict[str, str] | None = None  # for pages: the period and the legal text

    def display_name(self, lang: str) -> str:
        """What pages show: the short name with its legal text, else the full name."""
        return (self.short_name or self.name)[lang]

    def covers(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)

    def value(self, name: str) -> Any:
        return self.parameters[name].value

    def income_line(self, area: str) -> int:
        return self.value("income_line")[area]

    def average_upper(self, area: str) -> int | None:
        band = self.value("average_upper")
        return None if band is None else band[area]

    def score_line(self, area: str) -> float | None:
        lines = self.value("score_line")
        return None if lines is None else lines[area]

    @property
    def poor_min_deprivations(self) -> int:
        return self.value("poor_min_deprivations")

    @property
    def working_age_from(self) -> int:
        return self.value("working_age_from")

    @property
    def cannot_work(self) -> dict[str, Any]:
        return self.value("cannot_work")

    def retirement_months(self, year: int, sex: str) -> int:
        """Statutory retirement age in months for the reference year."""
        table = self.value("retirement_age")
        years = sorted(table)
        row = table[min(max(year, years[0]), years[-1])]
        y, m = row[sex]
        return y * 12 + m

    def retirement_table(self, years: range) -> dict[tuple[int, str], int]:
        return {(y, s): self.retirement_months(y, s) for y in years for s in SEXES}

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(i.code for i in self.indicators)

    def weights(self) -> dict[str, float]:
        """Alkire-Foster weights: as set per indicator, else equal; they sum to 1."""
        raw = {i.code: (i.weight if i.weight is not None else 1.0) for i in self.indicators}
        total = sum(raw.values())
        return {code: w / total for code, w in raw.items()}

    def unverified(self) -> list[str]:
        marks = [f"parameters.{p.name}" for p in self.parameters.values() if not p.verified]
        return marks + [f"indicators.{i.code}" for i in self.indicators if not i.verified]


class Registry:
    """The standards known to the product, and the choice of a standard for a date."""

    def __init__(self, standards: list[Standard]):
        self.standards = {s.id: s for s in standards}
        self._check_overlaps()

    def __iter__(self):
        return iter(sorted(self.standards.values(), key=lambda s: (s.kind, s.valid_from, s.id)))

    def get(self, standard_id: str) -> Standard:
        try:
            return self.standards[standard_id]
        except KeyError:
            known = ", ".join(sorted(self.standards))
            raise KeyError(f"unknown standard {standard_id!r}; known: {known}") from None

    def national_for(self, day: dt.date) -> Standard | None:
        return next((s for s in self if s.kind == "national" and s.covers(day)), None)

    def provincial_for(self, day: dt.date, province_code: str | None) -> list[Standard]:
        if province_code is None:
            return []
        return [s for s in self if s.kind == "provincial" and s.province_code == province_code
                and s.covers(day)]

    def _check_overlaps(self) -> None:
        groups: dict[tuple[str, str | None], list[Standard]] = {}
        for s in self.standards.values():
            groups.setdefault((s.kind, s.province_code), []).append(s)
        for members in groups.values():
            members.sort(key=lambda s: s.valid_from)
            for a, b in zip(members, members[1:], strict=False):
                if a.valid_until is None or a.valid_until >= b.valid_from:
                    raise ParameterError(f"standards {a.id} and {b.id} overlap in time")


def _require(mapping: dict, key: str, where: str) -> Any:
    if key not in mapping:
        raise ParameterError(f"{where}: missing key {key!r}")
    return mapping[key]


def _as_date(value: Any, where: str) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ParameterError(f"{where}: {value!r} is not a date") from None


def _read(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ParameterError(f"{path.name}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ParameterError(f"{path.name}: the file must hold a mapping")
    return data


def _resolve(raw: dict[str, dict], standard_id: str, seen: tuple[str, ...] = ()) -> dict:
    """The file of ``standard_id`` with its ``extends`` chain merged in."""
    if standard_id in seen:
        raise ParameterError(f"{standard_id}: circular extends ({' -> '.join(seen)})")
    if standard_id not in raw:
        raise ParameterError(f"{seen[-1]}: extends unknown standard {standard_id!r}")
    data = copy.deepcopy(raw[standard_id])
    parent_id = data.pop("extends", None)
    if parent_id is None:
        return data
    parent = _resolve(raw, parent_id, (*seen, standard_id))
    merged = {k: v for k, v in parent.items() if k not in ("province_code", "note")}
    merged.update({k: v for k, v in data.items()
                   if k not in ("parameters", "indicators", "inherited_indicators")})
    merged["parameters"] = {**parent.get("parameters", {}), **data.get("parameters", {})}
    marks = data.get("inherited_indicators", {})
    indicators = {code: {**ind, **marks} for code, ind in parent.get("indicators", {}).items()}
    for code, override in (data.get("indicators") or {}).items():
        if override is None:
            indicators.pop(code, None)
        elif code in indicators:
            indicators[code] = {**indicators[code], **override}
        else:
            indicators[code] = override
    merged["indicators"] = indicators
    return merged


def _build(data: dict, path: Path) -> Standard:
    sid = _require(data, "id", path.name)
    where = f"{path.name} ({sid})"
    kind = _require(data, "kind", where)
    if kind not in ("national", "provincial"):
        raise ParameterError(f"{where}: kind must be national or provincial")
    province = data.get("province_code")
    if kind == "provincial" and not province:
        raise ParameterError(f"{where}: a provincial standard needs province_code")
    parameters = {}
    for name, node in (data.get("parameters") or {}).items():
        pw = f"{where}: parameters.{name}"
        if not isinstance(node, dict):
            raise ParameterError(f"{pw}: must be a mapping with value, source, verified")
        parameters[name] = Parameter(
            name=name, value=_require(node, "value", pw), source=_require(node, "source", pw),
            verified=bool(_require(node, "verified", pw)), unit=node.get("unit"),
            note=node.get("note"))
    for name in REQUIRED_PARAMETERS:
        if name not in parameters:
            raise ParameterError(f"{where}: missing parameter {name!r}")
    _check_parameter_values(parameters, where)
    dimensions = _require(data, "dimensions", where)
    indicators = []
    for code, node in _require(data, "indicators", where).items():
        iw = f"{where}: indicators.{code}"
        rule = _require(node, "rule", iw)
        if rule not in RULE_PARAMS:
            raise ParameterError(f"{iw}: unknown rule {rule!r}; known: {', '.join(RULE_PARAMS)}")
        params = node.get("params") or {}
        for needed in RULE_PARAMS[rule]:
            _require(params, needed, f"{iw}.params")
        if rule == "dependant_ratio":
            for group in params["groups"]:
                unknown = set(group) - set(DEPENDANT_CRITERIA)
                if unknown:
                    raise ParameterError(f"{iw}: unknown dependant criteria {sorted(unknown)}")
        dimension = _require(node, "dimension", iw)
        if dimension not in dimensions:
            raise ParameterError(f"{iw}: unknown dimension {dimension!r}")
        indicators.append(Indicator(
            code=code, dimension=dimension, label=_require(node, "label", iw), rule=rule,
            params=params, source=_require(node, "source", iw),
            verified=bool(_require(node, "verified", iw)), note=node.get("note"),
            weight=node.get("weight")))
    return Standard(
        id=sid, name=_require(data, "name", where), kind=kind,
        valid_from=_as_date(_require(data, "valid_from", where), where),
        valid_until=_as_date(data.get("valid_until"), where),
        source=_require(data, "source", where), verified=bool(data.get("verified", False)),
        parameters=parameters, dimensions=dimensions, indicators=tuple(indicators),
        province_code=str(province) if province else None, note=data.get("note"), path=path,
        short_name=data.get("short_name"))


def _check_parameter_values(parameters: dict[str, Parameter], where: str) -> None:
    for name in ("income_line", "average_upper", "score_line"):
        value = parameters[name].value
        defined = name == "income_line" or value is not None
        if defined and (not isinstance(value, dict) or set(value) != set(AREAS)):
            raise ParameterError(f"{where}: parameters.{name} needs rural and urban values")
    for year, row in parameters["retirement_age"].value.items():
        if not isinstance(year, int) or set(row) != set(SEXES):
            raise ParameterError(f"{where}: retirement_age row {year!r} needs male and female")


def load_registry(*extra_dirs: Path | str) -> Registry:
    """All standards of the bundled directory plus those of ``extra_dirs``."""
    files = sorted(STANDARDS_DIR.glob("*.yaml"))
    for d in extra_dirs:
        files += sorted(Path(d).glob("*.yaml"))
    raw: dict[str, dict] = {}
    paths: dict[str, Path] = {}
    for path in files:
        data = _read(path)
        sid = _require(data, "id", path.name)
        raw[sid] = data
        paths[sid] = path
    return Registry([_build(_resolve(raw, sid), paths[sid]) for sid in raw])


@cache
def default_registry() -> Registry:
    return load_registry()


@cache
def rule_values(file: str, section: str, on: dt.date | None = None) -> dict[str, Any]:
    """The values of one section of a small parameter file of ``rules/`` (each entry is
    ``{value, source, verified, note}``), e.g. ``rule_values("benefits.yaml", ...)``.

    A dated entry holds ``periods`` instead of ``value``: a list of ``{from, until, value}``
    (an end left out is open); its value is the one in force ``on`` that day, and it is left
    out when no day is given (asking for it then is a KeyError, never a guess)."""
    data = _read(Path(__file__).parent / file)
    values = {}
    for key, node in _require(data, section, file).items():
        where = f"{file}: {section}.{key}"
        if "periods" in node:
            if "value" in node:
                raise ParameterError(f"{where}: give either value or periods, not both")
            if on is not None:
                values[key] = _value_on(node["periods"], on, where)
        else:
            values[key] = _require(node, "value", where)
    return values


def _value_on(periods: Any, on: dt.date, where: str) -> Any:
    if not isinstance(periods, list) or not periods:
        raise ParameterError(f"{where}: periods must be a list of {{from, until, value}}")
    found = []
    for n, period in enumerate(periods):
        here = f"{where}.periods[{n}]"
        if not isinstance(period, dict) or set(period) - {"from", "until", "value"}:
            raise ParameterError(f"{here}: only from, until and value are understood")
        start = _as_date(period.get("from"), here)
        end = _as_date(period.get("until"), here)
        if start and end and end < start:
            raise ParameterError(f"{here}: ends before it starts")
        if (start is None or start <= on) and (end is None or on <= end):
            found.append(_require(period, "value", here))
    if len(found) != 1:
        raise ParameterError(f"{where}: {len(found)} periods cover {on.isoformat()}")
    return found[0]


@cache
def rule_entries(file: str, section: str) -> dict[str, dict[str, Any]]:
    """The entries of one section of a small parameter file whose entries hold several
    values (e.g. the benefits of ``benefits.yaml``); each names its source and verified."""
    data = _read(Path(__file__).parent / file)
    entries = _require(data, section, file)
    for key, node in entries.items():
        _require(node, "source", f"{file}: {section}.{key}")
        _require(node, "verified", f"{file}: {section}.{key}")
    return entries
