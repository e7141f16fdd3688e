"""Load and validate the dated parameter files of the poverty standards (docs/rules.md).

A standard is one YAML file under ``rules/standards/`` (or any directory passed to
:func:`load_registry`). A file may ``extends`` another: it inherits its parameters and
indicators, replaces the parameters it names, and adds, redefines or drops (``code: null``)
indicators. Inherited indicators take the ``inherited_indicators`` marks (``verified``, ``note``).

The loader refuses anything it does not understand, naming file, line and key: an unknown key
(a misspelt override), an unknown parameter name, a key written twice, a ``verified`` that is
not a boolean, an unknown rule or rule parameter, a value of the wrong shape.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from .. import record
from ..ages import RetirementTable
from .yamlfile import Mapping, ParameterError, read_yaml

__all__ = ["ParameterError", "Registry", "Standard", "Indicator", "Parameter", "load_registry",
           "default_registry", "rule_values", "rule_entries"]

STANDARDS_DIR = Path(__file__).parent / "standards"
AREAS = record.AREA.codes
SEXES = record.SEX.codes
LANGS = ("vi", "en")

# Keys a standard file may hold; "legal_basis" is the official text's reference in Vietnamese
# ("Điểm a khoản 1 Điều 3 Nghị định số 07/2021/NĐ-CP"), "legal_text" its wording.
STANDARD_KEYS = ("id", "extends", "name", "display_name", "kind", "province_code",
                 "valid_from", "valid_until", "source", "legal_basis", "verified", "note",
                 "parameters", "dimensions", "indicators", "inherited_indicators")
STANDARD_REQUIRED = ("id", "name", "display_name", "kind", "valid_from", "source",
                     "legal_basis", "parameters", "dimensions", "indicators")
PARAMETER_KEYS = ("value", "unit", "source", "legal_basis", "legal_text", "verified", "note")
RULE_KEYS = (*PARAMETER_KEYS, "periods")  # a small rule file's entry: a value, or dated ones
PERIOD_KEYS = ("from", "until", "value")
PARAMETER_REQUIRED = ("value", "source", "legal_basis", "verified")
INDICATOR_KEYS = ("dimension", "label", "rule", "params", "source", "legal_basis",
                  "legal_text", "verified", "note", "weight")
INDICATOR_REQUIRED = ("dimension", "label", "rule", "params", "source", "legal_basis",
                      "verified")
INHERITED_KEYS = ("verified", "note")
PARAMETERS = ("income_line", "average_upper", "score_line", "poor_min_deprivations",
              "working_age_from", "retirement_age", "cannot_work", "alkire_foster_cutoff")
CANNOT_WORK_KEYS = ("age_under", "from_retirement_age", "disabilities", "unable_to_work")


@dataclass(frozen=True)
class Parameter:
    name: str
    value: Any
    source: str
    verified: bool
    legal_basis: str = ""
    legal_text: str | None = None
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
    legal_basis: str = ""
    legal_text: str | None = None
    note: str | None = None
    weight: float | None = None

    @property
    def fields(self) -> tuple[str, ...]:
        """The record fields the indicator reads (``dwelling.waste_disposal``, ...)."""
        from ..engine.rule import registered

        return registered()[self.rule].fields_read(self.params)


@dataclass(frozen=True)
class Standard:
    id: str
    name: dict[str, str]
    display_names: dict[str, str]  # for people: the period and the legal text
    kind: str
    valid_from: dt.date
    valid_until: dt.date | None
    source: str
    legal_basis: str
    verified: bool
    parameters: dict[str, Parameter]
    dimensions: dict[str, dict[str, str]]
    indicators: tuple[Indicator, ...]
    province_code: str | None = None
    note: str | None = None
    path: Path | None = field(default=None, compare=False)
    def display_name(self, lang: str) -> str:
        """What pages show: "Chuẩn nghèo đa chiều 2022-2025 (NĐ 07/2021/NĐ-CP)"."""
        return self.display_names[lang]

    def covers(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)

    def value(self, name: str) -> Any:
        return self.parameters[name].value

    def income_line(self, area: str) -> int:
        return int(self.value("income_line")[area])

    def average_upper(self, area: str) -> int | None:
        band = self.value("average_upper")
        return None if band is None else int(band[area])

    def score_line(self, area: str) -> float | None:
        lines = self.value("score_line")
        return None if lines is None else float(lines[area])

    @property
    def poor_min_deprivations(self) -> int:
        return int(self.value("poor_min_deprivations"))

    @property
    def working_age_from(self) -> int:
        return int(self.value("working_age_from"))

    @property
    def cannot_work(self) -> dict[str, Any]:
        return dict(self.value("cannot_work"))

    @cached_property
    def retirement_table(self) -> RetirementTable:
        """Months of the retirement age by year and sex (``ages.reached_retirement``)."""
        return {year: {sex: y * 12 + m for sex, (y, m) in row.items()}
                for year, row in self.value("retirement_age").items()}

    def retirement_months(self, year: int, sex: str) -> int:
        """The retirement age in months of the table's row for ``year`` (years before the first
        row use the first, after the last the last)."""
        table = self.retirement_table
        years = sorted(table)
        return table[min(max(year, years[0]), years[-1])][sex]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(i.code for i in self.indicators)

    def indicator(self, code: str) -> Indicator:
        return next(i for i in self.indicators if i.code == code)

    def fields_read(self) -> tuple[str, ...]:
        """Every record field the standard's indicators read."""
        return tuple(dict.fromkeys(f for i in self.indicators for f in i.fields))

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

    def __iter__(self) -> Any:
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


# --- reading and checking a file ------------------------------------------------------------

def _known(node: Any, keys: tuple[str, ...], path: str, what: str,
           parent: Mapping | None = None, key: str | None = None) -> Mapping:
    """``node`` as a mapping holding only ``keys``."""
    if not isinstance(node, Mapping):
        assert parent is not None and key is not None
        raise parent.error(key, path.rsplit(".", 1)[0] if "." in path else "",
                           f"must be a mapping ({what})")
    for k in node:
        if k not in keys:
            raise node.error(k, path, f"unknown {what} key; known: {', '.join(keys)}")
    return node


def _required(node: Mapping, keys: tuple[str, ...], path: str) -> None:
    for k in keys:
        if k not in node:
            where = f"{path}: " if path else ""
            raise ParameterError(f"{node.where()}: {where}missing key {k!r}")


def _texts(node: Mapping, key: str, path: str) -> None:
    """``node[key]`` holds a Vietnamese and an English text."""
    value = node[key]
    if not isinstance(value, dict) or set(value) != set(LANGS) \
            or not all(isinstance(v, str) and v.strip() for v in value.values()):
        raise node.error(key, path, "needs a text in vi and one in en")


def _text(node: Mapping, key: str, path: str) -> None:
    if key in node and (not isinstance(node[key], str) or not node[key].strip()):
        raise node.error(key, path, "must be a text")


def _check_file(data: Any, name: str) -> Mapping:
    """One file's own keys: known, of the right kind."""
    if not isinstance(data, Mapping):
        raise ParameterError(f"{name}: the file must hold a mapping")
    _known(data, STANDARD_KEYS, "", "standard")
    for key in ("id", "extends", "source", "legal_basis", "note"):
        _text(data, key, "")
    for key in ("name", "display_name"):
        if key in data:
            _texts(data, key, "")
    for name_, node in _mapping(data, "parameters").items():
        where = f"parameters.{name_}"
        if name_ not in PARAMETERS:
            raise data["parameters"].error(name_, "parameters",
                                           f"unknown parameter; known: {', '.join(PARAMETERS)}")
        node = _known(node, PARAMETER_KEYS, where, "parameter", data["parameters"], name_)
        _required(node, PARAMETER_REQUIRED, where)
        for key in ("source", "legal_basis", "legal_text", "unit", "note"):
            _text(node, key, where)
    for code, node in _mapping(data, "indicators").items():
        if node is None:
            continue
        where = f"indicators.{code}"
        node = _known(node, INDICATOR_KEYS, where, "indicator", data["indicators"], code)
        for key in ("source", "legal_basis", "legal_text", "note", "rule", "dimension"):
            _text(node, key, where)
        if "label" in node:
            _texts(node, "label", where)
        if "params" in node and not isinstance(node["params"], Mapping):
            raise node.error("params", where, "must be a mapping")
    if "inherited_indicators" in data:
        _known(data["inherited_indicators"], INHERITED_KEYS, "inherited_indicators",
               "inherited_indicators", data, "inherited_indicators")
    for code in _mapping(data, "dimensions"):
        _texts(data["dimensions"], code, "dimensions")
    return data


def _mapping(data: Mapping, key: str) -> Mapping:
    node = data.get(key)
    if node is None:
        return Mapping()
    if not isinstance(node, Mapping):
        raise data.error(key, "", "must be a mapping")
    return node


def _resolve(raw: dict[str, Mapping], standard_id: str, seen: tuple[str, ...] = ()) -> Mapping:
    """The file of ``standard_id`` with its ``extends`` chain merged in."""
    if standard_id in seen:
        raise ParameterError(f"{standard_id}: circular extends ({' -> '.join(seen)})")
    data = raw[standard_id]
    parent_id = data.get("extends")
    if parent_id is None:
        return data.without("extends")
    if parent_id not in raw:
        raise data.error("extends", "", f"unknown standard {parent_id!r}")
    parent = _resolve(raw, parent_id, (*seen, standard_id))
    merged = parent.without("province_code", "note").merged(
        data.without("extends", "parameters", "indicators", "inherited_indicators"))
    merged["parameters"] = _mapping(parent, "parameters").merged(_mapping(data, "parameters"))
    marks = data.get("inherited_indicators") or Mapping()
    indicators = Mapping(start=data.start)
    for code, node in _mapping(parent, "indicators").items():
        indicators[code] = node.merged(marks)
        indicators.origin[code] = parent["indicators"].where(code)
    for code, override in _mapping(data, "indicators").items():
        if override is None:
            if code not in indicators:
                raise data["indicators"].error(code, "indicators",
                                               "drops an indicator the standard does not have")
            del indicators[code]
        else:
            indicators[code] = indicators[code].merged(override) if code in indicators \
                else override
            indicators.origin[code] = data["indicators"].where(code)
    merged["indicators"] = indicators
    return merged


def _build(data: Mapping, path: Path) -> Standard:
    _required(data, STANDARD_REQUIRED, "")
    sid = data["id"]
    kind = data["kind"]
    if kind not in ("national", "provincial"):
        raise data.error("kind", "", "must be national or provincial")
    province = data.get("province_code")
    if kind == "provincial" and not province:
        raise ParameterError(f"{data.where()}: a provincial standard needs province_code")
    parameters = {}
    for name, node in data["parameters"].items():
        parameters[name] = Parameter(
            name=name, value=node["value"], source=node["source"], verified=node["verified"],
            legal_basis=node["legal_basis"], legal_text=node.get("legal_text"),
            unit=node.get("unit"), note=node.get("note"))
    for name in PARAMETERS:
        if name not in parameters:
            raise ParameterError(f"{data.where()}: standard {sid}: missing parameter {name!r}")
    _check_parameter_values(data["parameters"])
    dimensions = {code: dict(labels) for code, labels in data["dimensions"].items()}
    # indicators are listed dimension by dimension (an added one joins its dimension)
    indicators = sorted((_indicator(code, node, dimensions)
                         for code, node in data["indicators"].items()),
                        key=lambda i: list(dimensions).index(i.dimension))
    return Standard(
        id=sid, name=dict(data["name"]), display_names=dict(data["display_name"]), kind=kind,
        valid_from=_valid_from(data), valid_until=_as_date(data, "valid_until"),
        source=data["source"], legal_basis=data["legal_basis"],
        verified=_flag(data, "verified", ""), parameters=parameters, dimensions=dimensions,
        indicators=tuple(indicators), province_code=str(province) if province else None,
        note=data.get("note"), path=path)


def _indicator(code: str, node: Mapping, dimensions: dict[str, dict[str, str]]) -> Indicator:
    from ..engine.rule import registered

    where = f"indicators.{code}"
    _required(node, INDICATOR_REQUIRED, where)
    rules = registered()
    rule_name = node["rule"]
    if rule_name not in rules:
        raise node.error("rule", where, f"unknown rule {rule_name!r}; known: "
                                        f"{', '.join(sorted(rules))}")
    rule = rules[rule_name]
    params = node["params"] or Mapping(start=node.where("params"))
    for name in params:
        if name not in rule.params:
            raise params.error(name, f"{where}.params", f"not a parameter of rule {rule_name}; "
                                                        f"its parameters: "
                                                        f"{', '.join(rule.params) or 'none'}")
    for name in rule.params:
        if name not in params:
            raise ParameterError(f"{params.where()}: {where}.params: missing {name!r} "
                                 f"(rule {rule_name})")
    problems = rule.check_params(dict(params))
    if problems:
        raise ParameterError(f"{node.where('params')}: {where}.params: {'; '.join(problems)}")
    if node["dimension"] not in dimensions:
        raise node.error("dimension", where, f"unknown dimension {node['dimension']!r}")
    weight = node.get("weight")
    if weight is not None and (isinstance(weight, bool) or not isinstance(weight, int | float)
                               or weight <= 0):
        raise node.error("weight", where, "must be a positive number")
    return Indicator(
        code=code, dimension=node["dimension"], label=dict(node["label"]), rule=rule_name,
        params=_plain(params), source=node["source"], verified=_flag(node, "verified", where),
        legal_basis=node["legal_basis"], legal_text=node.get("legal_text"),
        note=node.get("note"), weight=weight)


def _plain(value: Any) -> Any:
    """Parameters as plain dicts and lists (what the rules and their JSON dumps expect)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _flag(node: Mapping, key: str, path: str) -> bool:
    value = node.get(key, False)
    if not isinstance(value, bool):
        raise node.error(key, path, "must be true or false")
    return value


def _as_date(node: Mapping, key: str) -> dt.date | None:
    value = node.get(key)
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise node.error(key, "", f"{value!r} is not a date (YYYY-MM-DD)") from None


def _valid_from(node: Mapping) -> dt.date:
    day = _as_date(node, "valid_from")
    if day is None:
        raise node.error("valid_from", "", "must be a date (YYYY-MM-DD)")
    return day


def _is_whole(value: Any, minimum: int = 0) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= minimum


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value >= 0


def _check_parameter_values(parameters: Mapping) -> None:
    def refuse(name: str, message: str) -> ParameterError:
        node: Mapping = parameters[name]
        return node.error("value", f"parameters.{name}", message)

    for name in ("income_line", "average_upper", "score_line"):
        value = parameters[name]["value"]
        if value is None and name != "income_line":
            continue
        if not isinstance(value, dict) or set(value) != set(AREAS):
            raise refuse(name, "needs rural and urban values")
        number = _is_number if name == "score_line" else _is_whole
        if not all(number(v) for v in value.values()):
            raise refuse(name, "needs a non-negative number for rural and for urban")
    for name, minimum in (("poor_min_deprivations", 1), ("working_age_from", 0)):
        if not _is_whole(parameters[name]["value"], minimum):
            raise refuse(name, f"must be a whole number from {minimum}")
    cutoff = parameters["alkire_foster_cutoff"]["value"]
    if isinstance(cutoff, bool) or not isinstance(cutoff, int | float) or not 0 < cutoff <= 1:
        raise refuse("alkire_foster_cutoff", "must be a share above 0 and at most 1")
    table = parameters["retirement_age"]["value"]
    if not isinstance(table, dict) or not table:
        raise refuse("retirement_age", "needs a row per year")
    for year, row in table.items():
        if not _is_whole(year, 1900) or not isinstance(row, dict) or set(row) != set(SEXES) \
                or not all(isinstance(v, list) and len(v) == 2 and all(map(_is_whole, v))
                           and v[1] < 12 for v in row.values()):
            raise refuse("retirement_age", f"row {year!r} needs male and female as "
                                           "[years, months]")
    years = sorted(table)
    for before, after in zip(years, years[1:], strict=False):
        for sex in SEXES:
            rise = (after - before) * 12 - sum(
                (a - b) * unit for a, b, unit in zip(table[after][sex], table[before][sex],
                                                     (12, 1), strict=True))
            if rise < 0:  # a cohort would leave retirement age: the rule assumes it cannot
                raise refuse("retirement_age", f"the {sex} row of {after} rises more than "
                                               f"12 months a year after {before}")
    rule = parameters["cannot_work"]["value"]
    if not isinstance(rule, dict) or set(rule) != set(CANNOT_WORK_KEYS):
        raise refuse("cannot_work", f"needs exactly {', '.join(CANNOT_WORK_KEYS)}")
    if not _is_whole(rule["age_under"]) or not isinstance(rule["from_retirement_age"], bool) \
            or not isinstance(rule["unable_to_work"], bool) \
            or not isinstance(rule["disabilities"], list) \
            or not set(rule["disabilities"]) <= set(record.DISABILITY.codes):
        raise refuse("cannot_work", "age_under is whole years, from_retirement_age and "
                                    "unable_to_work are true or false, disabilities are among "
                                    f"{', '.join(record.DISABILITY.codes)}")


def load_registry(*extra_dirs: Path | str) -> Registry:
    """All standards of the bundled directory plus those of ``extra_dirs``."""
    files = sorted(STANDARDS_DIR.glob("*.yaml"))
    for d in extra_dirs:
        files += sorted(Path(d).glob("*.yaml"))
    raw: dict[str, Mapping] = {}
    paths: dict[str, Path] = {}
    for path in files:
        data = _check_file(read_yaml(path), path.name)
        if "id" not in data:
            raise ParameterError(f"{path.name}: missing key 'id'")
        sid = data["id"]
        if sid in raw:
            raise data.error("id", "", f"standard {sid} is also defined in {paths[sid].name}")
        raw[sid] = data
        paths[sid] = path
    return Registry([_build(_resolve(raw, sid), paths[sid]) for sid in raw])


@cache
def default_registry() -> Registry:
    return load_registry()


def _rule_file(file: str) -> Mapping:
    data = read_yaml(Path(__file__).parent / file)
    if not isinstance(data, Mapping):
        raise ParameterError(f"{file}: the file must hold a mapping")
    return data


@cache
def rule_values(file: str, section: str, on: dt.date | None = None) -> dict[str, Any]:
    """The values of one section of a small parameter file of ``rules/`` (each entry is
    ``{value, source, verified, note}``), e.g. ``rule_values("benefits.yaml", ...)``.

    A dated entry holds ``periods`` instead of ``value``: a list of ``{from, until, value}``
    (an end left out is open); its value is the one in force ``on`` that day, and it is left
    out when no day is given (asking for it then is a KeyError, never a guess)."""
    data = _rule_file(file)
    if section not in data:
        raise ParameterError(f"{file}: missing section {section!r}")
    values = {}
    for key, node in data[section].items():
        path = f"{section}.{key}"
        _known(node, RULE_KEYS, path, "value", data[section], key)
        _required(node, ("source", "verified"), path)
        if ("periods" in node) == ("value" in node):
            raise data[section].error(key, section, "give either value or periods")
        if "value" in node:
            values[key] = node["value"]
        elif on is not None:
            values[key] = _value_on(node, on, path)
    return values


def _value_on(node: Mapping, on: dt.date, path: str) -> Any:
    periods = node["periods"]
    if not isinstance(periods, list) or not periods:
        raise node.error("periods", path, "must be a list of {from, until, value}")
    found = []
    for n, period in enumerate(periods):
        here = f"{path}.periods[{n}]"
        _known(period, PERIOD_KEYS, here, "period", node, "periods")
        _required(period, ("value",), here)
        start, end = _as_date(period, "from"), _as_date(period, "until")
        if start and end and end < start:
            raise period.error("until", here, "ends before it starts")
        if (start is None or start <= on) and (end is None or on <= end):
            found.append(period["value"])
    if len(found) != 1:
        raise node.error("periods", path, f"{len(found)} periods cover {on.isoformat()}")
    return found[0]


@cache
def rule_entries(file: str, section: str) -> dict[str, dict[str, Any]]:
    """The entries of one section of a small parameter file whose entries hold several
    values (e.g. the benefits of ``benefits.yaml``); each names its source and verified."""
    data = _rule_file(file)
    if section not in data:
        raise ParameterError(f"{file}: missing section {section!r}")
    for key, node in data[section].items():
        if not isinstance(node, Mapping):
            raise data[section].error(key, section, "must be a mapping")
        _required(node, ("source", "verified"), f"{section}.{key}")
    return {key: _plain(node) for key, node in data[section].items()}
