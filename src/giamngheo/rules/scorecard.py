"""B1 income scorecards as data: load, validate, score ``b1_items`` answers.

A scorecard file lists items, their options and the points of each option per column, where a
column is a rural region (found from the household's province code) or ``urban``. The B1 total
is the column's base points plus the points of each answer. See ``scorecards/example.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..messages import DEFAULT_LANG, text
from .parameters import AREAS, ParameterError, Registry
from .yamlfile import read_yaml

SCORECARDS_DIR = Path(__file__).parent / "scorecards"


@dataclass(frozen=True)
class Scorecard:
    id: str
    illustration: bool
    notice: dict[str, str]
    standards: tuple[str, ...]
    score_lines: dict[str, float]
    region_of_province: dict[str, str]
    base_points: dict[str, float]
    items: dict[str, dict[str, Any]]

    def column(self, area: str, province_code: str | None) -> str | None:
        return "urban" if area == "urban" else self.region_of_province.get(province_code or "")

    def check_answers(self, answers: dict[str, Any], record: dict[str, Any],
                      lang: str = DEFAULT_LANG) -> list[str]:
        """Errors of a ``b1_items`` object, as ``path: message``."""
        errors = []
        for item in answers:
            if item not in self.items:
                errors.append(f"income.b1_items.{item}: {text('unknown_field', lang)}")
        for item, spec in self.items.items():
            path = f"income.b1_items.{item}"
            if item not in answers:
                errors.append(f"income.b1_items: {text('scorecard_missing_item', lang, item=item)}")
            elif answers[item] not in spec["options"]:
                allowed = ", ".join(spec["options"])
                value = answers[item]
                shown = f"'{value}'" if isinstance(value, str) else repr(value)
                errors.append(f"{path}: {text('not_in_list', lang, value=shown, allowed=allowed)}")
        if record.get("area") == "rural" and self.column("rural", record.get("province_code")) \
                is None:
            province = record.get("province_code", "-")
            errors.append("province_code: " + text("scorecard_no_region", lang, scorecard=self.id,
                                                   province=province))
        return errors

    def score(self, answers: dict[str, Any], area: str, province_code: str | None) -> float:
        """The B1 total of valid answers (see :meth:`check_answers`)."""
        col = self.column(area, province_code)
        if col is None:
            raise ValueError(f"scorecard {self.id} has no region for province {province_code}")
        total = self.base_points[col]
        for item, option in answers.items():
            total += self.items[item]["options"][option]["points"][col]
        return total


def load_scorecard(path: Path | str, registry: Registry | None = None) -> Scorecard:
    """Load a scorecard file; ``ParameterError`` names the first problem found.

    With ``registry``, the scorecard's score lines must equal those of the standards it names.
    """
    path = Path(path)
    if not path.suffix:
        path = SCORECARDS_DIR / f"{path.name}.yaml"
    where = path.name
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise ParameterError(f"{where}: the file must hold a mapping")
    for key in ("id", "notice", "standards", "score_lines", "regions", "base_points", "items"):
        if key not in data:
            raise ParameterError(f"{where}: missing key {key!r}")
    columns = [*data["regions"], "urban"]
    region_of_province: dict[str, str] = {}
    for region, spec in data["regions"].items():
        for province in spec["provinces"]:
            if province in region_of_province:
                raise ParameterError(f"{where}: province {province} is in two regions")
            region_of_province[str(province)] = region
    if set(data["score_lines"]) != set(AREAS):
        raise ParameterError(f"{where}: score_lines needs rural and urban")
    if set(data["base_points"]) != set(columns):
        raise ParameterError(f"{where}: base_points needs exactly {columns}")
    for item, spec in data["items"].items():
        if not spec.get("options"):
            raise ParameterError(f"{where}: item {item} has no options")
        for option, ospec in spec["options"].items():
            labels = ospec.get("label")
            if not isinstance(labels, dict) or set(labels) != {"vi", "en"}:
                raise ParameterError(f"{where}: items.{item}.options.{option}.label needs "
                                     "exactly vi and en")
            missing = set(columns) - set(ospec.get("points", {}))
            extra = set(ospec.get("points", {})) - set(columns)
            if missing or extra:
                raise ParameterError(
                    f"{where}: items.{item}.options.{option}: points missing for "
                    f"{sorted(missing)}, unknown columns {sorted(extra)}")
    if registry is not None:
        for sid in data["standards"]:
            standard = registry.get(sid)
            for area in AREAS:
                if standard.score_line(area) != data["score_lines"][area]:
                    raise ParameterError(
                        f"{where}: score line {area} {data['score_lines'][area]} differs from "
                        f"{sid}'s {standard.score_line(area)}")
    return Scorecard(
        id=data["id"], illustration=bool(data.get("illustration", False)),
        notice=data["notice"], standards=tuple(data["standards"]),
        score_lines=data["score_lines"], region_of_province=region_of_province,
        base_points=data["base_points"],
        items={k: {**v, "options": {str(o): s for o, s in v["options"].items()}}
               for k, v in data["items"].items()})
