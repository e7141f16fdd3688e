"""What changes if another poverty standard is applied to the same records (issue 16 §1).

The records are classified twice by the batch engine, under standard A (by default the
national standard in force at each record's reference date) and under B. Nothing is written
anywhere: the answer is counts and rates by commune, poor group and ethnicity, the transition
matrix, every household whose result differs with why, and the households B cannot decide
because a field it reads was never collected, with the question to ask.

Why a household changed is derived, never written down: the two standards' parameter files
say which indicators B adds, drops or redefines and which standard-wide parameters (income
lines, bands, working age, ...) differ; the per-indicator results of the two classifications
say which of those differences touched the household.
"""

from __future__ import annotations

import datetime as dt
import getpass
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from . import record
from .engine.batch import classify_tables
from .messages import DEFAULT_LANG, MESSAGES, format_int, text
from .population import Population, file_sha256
from .rules.parameters import Indicator, Registry, Standard, default_registry
from .tables import keyed_members
from .xlsx import Tables

c = pl.col
CLASSIFICATIONS = ("poor", "near_poor", "average", "not_poor", "incomplete")
GROUPS = ("A", "B")

INCOME_QUESTION = "income.monthly_per_capita"


def answers_read(indicator: Indicator) -> dict[str, tuple[str, ...]]:
    """The answers an indicator reads that a record may lack, by part (``dwelling``,
    ``information``, ``members``), from its rule's declared fields: required fields and
    exception flags (absent means "no") are never missing."""
    out: dict[str, list[str]] = {}
    for path in indicator.fields:
        f = record.field(path)
        if not (f.required or f.flag):
            out.setdefault("members" if f.group == "member" else f.group, []).append(f.name)
    return {part: tuple(names) for part, names in out.items()}





def parameter_label(name: str, lang: str) -> str:
    key = f"parameter.{name}"
    return text(key, lang) if key in MESSAGES else name


def _t(key: str, lang: str, **fields: Any) -> str:
    return text(f"whatif.{key}", lang, **fields)


@dataclass(frozen=True)
class Differences:
    """What standard B changes against A, read from their parameter files."""

    a: Standard
    b: Standard
    added: tuple[str, ...]
    dropped: tuple[str, ...]
    redefined: tuple[str, ...]  # same code, another rule, parameters or dimension
    parameters: tuple[str, ...]  # standard-wide parameters whose values differ

    def as_dict(self, lang: str = DEFAULT_LANG) -> dict[str, Any]:
        def labelled(codes: tuple[str, ...], standard: Standard) -> list[dict[str, str]]:
            return [{"code": code, "label": _indicator(standard, code).label[lang]}
                    for code in codes]

        return {"a": self.a.id, "b": self.b.id,
                "added": labelled(self.added, self.b),
                "dropped": labelled(self.dropped, self.a),
                "redefined": labelled(self.redefined, self.b),
                "parameters": [{"name": p, "label": parameter_label(p, lang)}
                               for p in self.parameters]}


def _indicator(standard: Standard, code: str) -> Indicator:
    return next(i for i in standard.indicators if i.code == code)


def differences(a: Standard, b: Standard) -> Differences:
    ia = {i.code: i for i in a.indicators}
    ib = {i.code: i for i in b.indicators}
    redefined = tuple(code for code in b.codes if code in ia and (
        ia[code].rule, ia[code].params, ia[code].dimension)
        != (ib[code].rule, ib[code].params, ib[code].dimension))
    names = sorted(set(a.parameters) | set(b.parameters))
    changed = tuple(name for name in names if
                    (a.parameters[name].value if name in a.parameters else None)
                    != (b.parameters[name].value if name in b.parameters else None))
    return Differences(a, b, tuple(x for x in b.codes if x not in ia),
                       tuple(x for x in a.codes if x not in ib), redefined, changed)


def _same(x: pl.Expr, y: pl.Expr) -> pl.Expr:
    return x.eq_missing(y)


def reason_terms(d: Differences) -> list[tuple[str, pl.Expr]]:
    """The reasons (``kind`` or ``kind:indicator``) a household's results under A and B may
    differ for, each with the condition that says it touched the household, for the
    households classified under A = ``d.a``."""
    terms = [
        ("income_line", c("a_income_poor").is_not_null() & c("b_income_poor").is_not_null()
         & (c("a_income_poor") != c("b_income_poor"))),
        ("score_line", c("a_income_poor").is_null() != c("b_income_poor").is_null()),
        ("average_band", c("a_class").is_in(["average", "not_poor"])
         & c("b_class").is_in(["average", "not_poor"]) & (c("a_class") != c("b_class"))),
        ("labour_capacity", (c("a_group") != c("b_group")) & (c("a_class") == "poor")
         & (c("b_class") == "poor")),
    ]
    if d.a.poor_min_deprivations != d.b.poor_min_deprivations:
        terms.append(("threshold", c("a_income_poor") & c("b_income_poor")))
    terms += [(f"added:{code}", c(f"b:{code}").is_null() | c(f"b:{code}"))
              for code in d.added]
    terms += [(f"dropped:{code}", c(f"a:{code}").is_null() | c(f"a:{code}"))
              for code in d.dropped]
    for code in d.b.codes:
        if code in d.a.codes:
            kind = "redefined" if code in d.redefined else "parameter"
            terms.append((f"{kind}:{code}", ~_same(c(f"a:{code}"), c(f"b:{code}"))))
    if len(terms) > 64:
        raise ValueError("more reasons than the 64 bits that hold them")
    return terms


def _reason_bits(terms: list[tuple[str, pl.Expr]]) -> pl.Expr:
    """The reasons as the bits of one integer per household (cheap on a province)."""
    return pl.sum_horizontal(pl.when(condition.fill_null(False))
                             .then(pl.lit(1 << bit, dtype=pl.UInt64))
                             .otherwise(pl.lit(0, dtype=pl.UInt64))
                             for bit, (_, condition) in enumerate(terms))


@dataclass
class WhatIf:
    """Both classifications of a population, one row per household (``frame``), those that
    change with why (``changed``), and the differences between the standards."""

    frame: pl.DataFrame
    changed: pl.DataFrame  # the households whose result differs, with ``reason_bits``
    standard_b: Standard
    differences: dict[str, Differences]  # by the id of standard A
    population: Population
    members: pl.DataFrame  # the members of the households B cannot decide (what to ask)
    unclassified: list[dict[str, Any]]  # households no standard A covers: {"id", "errors"}
    registry: Registry
    reason_names: dict[str, list[str]]  # by standard A: the reason of each bit

    @property
    def undecided(self) -> pl.DataFrame:
        return self.frame.filter(c("b_class") == "incomplete")

    def matrix(self) -> dict[str, dict[str, int]]:
        counts = self.frame.group_by("a_class", "b_class").len()
        out = {a: dict.fromkeys(CLASSIFICATIONS, 0) for a in CLASSIFICATIONS}
        for a, b, n in counts.iter_rows():
            out[a][b] = n
        return out

    def totals(self) -> dict[str, dict[str, int]]:
        return {side: {k: self.frame.filter(c(f"{side}_class") == k).height
                       for k in CLASSIFICATIONS} for side in ("a", "b")}

    def breakdown(self, by: str) -> list[dict[str, Any]]:
        """Per value of ``by`` (``commune_code``, ``ethnicity``, ``a_group``): households and,
        under each standard, the poor, near-poor, undecided, groups A/B and the rates (% of
        the households)."""
        counts = [pl.len().alias("households"), c("changed").sum().alias("changed")]
        for side in ("a", "b"):
            counts += [(c(f"{side}_class") == k).sum().alias(f"{side}_{k}")
                       for k in ("poor", "near_poor", "incomplete")]
            counts += [(c(f"{side}_group") == g).sum().alias(f"{side}_group_{g}")
                       for g in GROUPS]
        rows = self.frame.group_by(by).agg(counts).sort(by, nulls_last=True).to_dicts()
        for row in rows:
            row["value"] = row.pop(by)
            for side in ("a", "b"):
                for k in ("poor", "near_poor"):
                    row[f"{side}_{k}_rate"] = round(100 * row[f"{side}_{k}"]
                                                    / row["households"], 2)
        return rows

    def groups(self) -> list[dict[str, Any]]:
        """Poor households of group A and of group B under each standard."""
        return [{"value": g, "a": self.frame.filter(c("a_group") == g).height,
                 "b": self.frame.filter(c("b_group") == g).height} for g in GROUPS]

    def reasons(self, row: dict[str, Any]) -> list[str]:
        """The reasons of a changed household (``kind`` or ``kind:indicator``)."""
        names = self.reason_names[row["a_standard"]]
        bits = row["reason_bits"]
        return [name for bit, name in enumerate(names) if bits >> bit & 1]

    def reasons_text(self, row: dict[str, Any], lang: str) -> list[str]:
        d = self.differences[row["a_standard"]]
        out = []
        for code in self.reasons(row):
            kind, _, indicator = code.partition(":")
            out.append(_reason_text(kind, indicator, row, d, lang))
        return out

    def _members_of(self) -> dict[str, list[dict[str, Any]]]:
        if not hasattr(self, "_by_household"):
            self._by_household: dict[str, list[dict[str, Any]]] = {}
            for member in self.members.to_dicts():
                self._by_household.setdefault(member["household_id"], []).append(member)
        return self._by_household

    def _needed(self) -> set[tuple[str, str, str]]:
        """(household, member, field) of the unrecorded member answers that matter: each is
        tried with every value it can take and the engine says whether an undecided indicator
        of B is then decided (a young child's missing card does not matter, an adult's
        does)."""
        if hasattr(self, "_needed_answers"):
            return self._needed_answers
        rules = {i.code: answers_read(i).get("members", ())
                 for i in self.standard_b.indicators}
        undecided = self.undecided.select(
            "id", *(c(f"b:{code}").is_null().alias(code) for code, fs in rules.items() if fs))
        members = self.members.with_row_index("member_row")
        households = self.population.households.join(undecided.select("id"), on="id",
                                                      how="semi")
        parts, tried = [], []
        for field in sorted({f for fs in rules.values() for f in fs}):
            codes = [code for code, fs in rules.items() if field in fs]
            affected = undecided.filter(pl.any_horizontal(codes)).select(household_id="id")
            candidates = members.join(affected, on="household_id", how="semi") \
                .filter(c(field).is_null()).select("household_id", member="id")
            if candidates.height == 0:
                continue
            values = [True, False] if members.schema[field] == pl.Boolean \
                else list(record.field(f"members.{field}").codes)
            trials = candidates.join(pl.DataFrame({"value": values},
                                                  schema={"value": members.schema[field]}),
                                     how="cross").with_row_index("k").with_columns(
                variant=pl.format("{}\x1f{}\x1f{}", c("household_id"), pl.lit(field), c("k")))
            variant_households = trials.select("household_id", "variant").join(
                households, left_on="household_id", right_on="id", how="inner",
                maintain_order="left").with_columns(id=c("variant")).drop("variant")
            variant_members = trials.select("household_id", "member", "value", "variant") \
                .join(members, on="household_id", how="inner") \
                .sort("variant", "member_row").with_columns(
                    pl.when(c("id") == c("member")).then(c("value")).otherwise(c(field))
                    .alias(field), household_id=c("variant"))
            parts.append((variant_households.select(households.columns),
                          variant_members.select(self.members.columns)))
            tried.append((field, codes, trials.select("variant", "household_id", "member")))
        self._needed_answers: set[tuple[str, str, str]] = set()
        if not parts:
            return self._needed_answers
        results, _ = classify_tables(pl.concat([h for h, _ in parts]),
                                     pl.concat([m for _, m in parts]), self.registry,
                                     self.standard_b.id, explain=False)
        for field, codes, trials in tried:
            decided = results.join(trials, left_on="id", right_on="variant", how="inner") \
                .filter(pl.any_horizontal(c(code).is_not_null() for code in codes))
            self._needed_answers |= {(h, m, field) for h, m in decided.select(
                "household_id", "member").iter_rows()}
        return self._needed_answers

    def ask(self, row: dict[str, Any], lang: str) -> list[dict[str, str]]:
        """What to ask the household so that B can decide: one question per field."""
        questions: list[dict[str, str]] = []
        if row["b_income_poor"] is None:
            questions.append({"field": INCOME_QUESTION,
                              "question": _question(INCOME_QUESTION, lang)})
        household = self.population.households.row(row["row"], named=True)
        members = self._members_of().get(row["id"], [])
        seen: set[str] = set()
        for indicator in self.standard_b.indicators:
            if row[f"b:{indicator.code}"] is not None:
                continue
            for path, question in _missing_fields(indicator, household, members,
                                                  self._needed(), lang):
                if path not in seen:
                    seen.add(path)
                    questions.append({"field": path, "question": question})
        return questions

    def report(self, lang: str = DEFAULT_LANG, by: str = "", limit: int | None = None) \
            -> dict[str, Any]:
        """The whole answer as plain data (JSON, the page, the workbook); ``limit`` cuts the
        lists of households (the counts stay whole)."""
        changed = self.changed.head(limit) if limit else self.changed
        undecided = self.undecided.head(limit) if limit else self.undecided
        return {
            "run": {"at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
                    "by": by or getpass.getuser(), "inputs_sha256": self.population.sha256,
                    "standards_sha256": _standard_digests(
                        [self.standard_b, *(d.a for d in self.differences.values())]),
                    "households": self.frame.height,
                    "rejected": len(self.population.rejected) + len(self.unclassified)},
            "standard": self.standard_b.id,
            "against": sorted(self.differences),
            "differences": [d.as_dict(lang) for d in self.differences.values()],
            "totals": self.totals(),
            "matrix": self.matrix(),
            "by_commune": self.breakdown("commune_code"),
            "by_group": self.groups(),
            "by_ethnicity": self.breakdown("ethnicity"),
            "changed_count": self.changed.height,
            "changed": [{"id": r["id"], "commune_code": r["commune_code"],
                         "from": r["a_class"], "to": r["b_class"],
                         "group_from": r["a_group"], "group_to": r["b_group"],
                         "reasons": self.reasons(r), "explanation": self.reasons_text(r, lang)}
                        for r in changed.iter_rows(named=True)],
            "undecided_count": self.undecided.height,
            "undecided": [{"id": r["id"], "commune_code": r["commune_code"],
                           "from": r["a_class"],
                           "unknown": [i.code for i in self.standard_b.indicators
                                       if r[f"b:{i.code}"] is None],
                           "ask": self.ask(r, lang)}
                          for r in undecided.iter_rows(named=True)],
            "rejected": self.population.rejected + self.unclassified,
        }


def _standard_digests(standards: list[Standard]) -> dict[str, str]:
    return {s.id: file_sha256(s.path) for s in standards if s.path and Path(s.path).exists()}


def _value_text(value: bool | None, lang: str) -> str:
    return _t("unknown" if value is None else "true" if value else "false", lang)


def _money(value: int | None, lang: str) -> str:
    return _t("undefined", lang) if value is None else format_int(value, lang)


def _reason_text(kind: str, code: str, row: dict[str, Any], d: Differences, lang: str) -> str:
    a, b, area = d.a.display_name(lang), d.b.display_name(lang), row["area"]
    if kind == "income_line":
        return _t(kind, lang, income=_money(row["income_per_capita_month"], lang),
                  line_a=_money(d.a.income_line(area), lang),
                  line_b=_money(d.b.income_line(area), lang), a=a, b=b)
    if kind == "score_line":  # one of the two cannot judge a B1 score
        return _t(kind, lang, standard=b if d.b.score_line(area) is None else a)
    if kind == "average_band":
        return _t(kind, lang, a=a, b=b, upper_a=_money(d.a.average_upper(area), lang),
                  upper_b=_money(d.b.average_upper(area), lang))
    if kind == "threshold":
        return _t(kind, lang, a=a, b=b, min_a=d.a.poor_min_deprivations,
                  min_b=d.b.poor_min_deprivations)
    if kind == "labour_capacity":
        return _t(kind, lang)
    if kind == "added":
        return _t(kind, lang, label=_indicator(d.b, code).label[lang],
                  value=_value_text(row[f"b:{code}"], lang))
    if kind == "dropped":
        return _t(kind, lang, label=_indicator(d.a, code).label[lang],
                  value=_value_text(row[f"a:{code}"], lang))
    before, after = _value_text(row[f"a:{code}"], lang), _value_text(row[f"b:{code}"], lang)
    label = _indicator(d.b, code).label[lang]
    if kind == "redefined":
        return _t(kind, lang, label=label, before=before, after=after)
    return _t("parameter", lang, label=label, before=before, after=after,
              parameters=", ".join(parameter_label(p, lang) for p in d.parameters) or "—")


def _question(path: str, lang: str) -> str:
    """The questionnaire's question for a field of the record."""
    f = record.DWELLING_PRESENCE if path == "dwelling" else record.field(path)
    return f.asks(lang)


def _missing_fields(indicator: Indicator, household: dict[str, Any],
                    members: list[dict[str, Any]], needed: set[tuple[str, str, str]],
                    lang: str) -> list[tuple[str, str]]:
    """(path, question) of the fields an undecided indicator reads that were not recorded
    (member answers only where they matter)."""
    reads = answers_read(indicator)
    out = []
    for part in ("dwelling", "information"):
        fields = reads.get(part)
        if fields is None:
            continue
        if part == "dwelling" and household.get("has_dwelling") is None:
            out.append(("dwelling", _question("dwelling", lang)))
            continue
        if part == "dwelling" and household.get("has_dwelling") is False:
            continue
        for name in fields:
            if household.get(f"{part}_{name}") is None:
                path = f"{part}.{name}"
                out.append((path, _question(path, lang)))
    for name in reads.get("members", ()):
        missing = [str(m["id"]) for m in members if m.get(name) is None]
        # only the answers that can decide; all of them when no single one can (several
        # members' answers together decide a ratio)
        missing = [i for i in missing if (household["id"], i, name) in needed] or missing
        if missing:
            question = _question(f"members.{name}", lang)
            out.append((f"members.{name}", _t("ask_members", lang, question=question,
                                               members=", ".join(missing))))
    return out


def what_if(population: Population, standard: str, against: str | None = None,
            registry: Registry | None = None, lang: str = DEFAULT_LANG) -> WhatIf:
    """Classify ``population`` under ``against`` (None: the national standard in force at
    each reference date) and under ``standard``; nothing is stored."""
    registry = registry or default_registry()
    b = registry.get(standard)
    if against is not None:
        registry.get(against)
    # keyed once (the members' household row and reference date, found by run lengths):
    # both classifications then skip the join of members to households
    households = population.households.with_row_index("hh")
    members = keyed_members(households, population.members)
    if members is None:
        members = population.members.join(
            households.select("hh", "reference_date", household_id=c("id")),
            on="household_id", how="inner")
    fields = households.select(c("hh").alias("row"), "id", "area", "commune_code").join(
        members.filter(c("relation") == "head").select(c("hh").alias("row"), "ethnicity"),
        on="row", how="left")
    results_a, no_standard = classify_tables(households, members, registry, against, lang,
                                             explain=False)
    results_b, _ = classify_tables(households, members, registry, b.id, lang, explain=False)
    used_a = results_a.get_column("standard").unique().sort().to_list()
    codes_a = sorted({code for sid in used_a for code in registry.get(sid).codes})

    def side(results: pl.DataFrame, prefix: str, codes: Iterable[str]) -> pl.DataFrame:
        return results.select(
            c("hh").alias("row"), c("standard").alias(f"{prefix}_standard"),
            c("classification").alias(f"{prefix}_class"),
            c("poor_group").alias(f"{prefix}_group"),
            c("income_poor").alias(f"{prefix}_income_poor"),
            *(c(code).alias(f"{prefix}:{code}") for code in codes),
            *([c("income_per_capita_month")] if prefix == "a" else []))

    # the engine gives a row per household, not necessarily in order
    a = side(results_a, "a", codes_a).sort("row")
    b_side = side(results_b, "b", b.codes).sort("row")
    rows = fields.get_column("row")
    if a.get_column("row").equals(rows) and b_side.get_column("row").equals(rows):
        frame = pl.concat([fields, a.drop("row"), b_side.drop("row")], how="horizontal")
    else:  # some household under no standard A
        frame = fields.join(a, on="row", how="inner").join(b_side, on="row", how="inner") \
            .sort("row")
    frame = frame.with_columns(changed=~_same(c("a_class"), c("b_class"))
                               | ~_same(c("a_group"), c("b_group")))
    found = {sid: differences(registry.get(sid), b) for sid in used_a}
    terms = {sid: reason_terms(d) for sid, d in found.items()}
    bits = pl.lit(0, dtype=pl.UInt64)
    for sid, sid_terms in terms.items():
        bits = pl.when(c("a_standard") == sid).then(_reason_bits(sid_terms)).otherwise(bits)
    changed = frame.filter(c("changed")).with_columns(reason_bits=bits)
    undecided = frame.filter(c("b_class") == "incomplete").select(hh="row")
    asked = members.join(undecided, on="hh", how="semi").drop("hh", "reference_date")
    unclassified = [{"id": row["id"], "errors": row["errors"]}
                    for row in no_standard.iter_rows(named=True)]
    return WhatIf(frame, changed, b, found, population, asked, unclassified, registry,
                  {sid: [name for name, _ in sid_terms] for sid, sid_terms in terms.items()})


# --- the workbook ---------------------------------------------------------------------------

SHEETS = {
    "summary": {"vi": "Tổng hợp", "en": "Summary"},
    "matrix": {"vi": "Ma trận chuyển đổi", "en": "Transitions"},
    "communes": {"vi": "Theo xã", "en": "By commune"},
    "groups": {"vi": "Theo nhóm A-B", "en": "By group A-B"},
    "ethnicity": {"vi": "Theo dân tộc", "en": "By ethnicity"},
    "changed": {"vi": "Hộ thay đổi", "en": "Changed households"},
    "undecided": {"vi": "Hộ cần bổ sung thông tin", "en": "Information to collect"},
}
HEADERS = {
    "vi": {"household": "Mã hộ", "commune": "Mã xã", "from": "Theo {a}", "to": "Theo {b}",
           "group_from": "Nhóm ({a})", "group_to": "Nhóm ({b})", "why": "Lý do",
           "unknown": "Chỉ số chưa xác định", "ask": "Cần hỏi", "value": "Giá trị",
           "households": "Số hộ", "poor": "Hộ nghèo", "near_poor": "Hộ cận nghèo",
           "incomplete": "Chưa xác định", "rate": "Tỷ lệ nghèo (%)", "changed": "Số hộ thay đổi",
           "run_at": "Thời điểm chạy", "run_by": "Người chạy", "sha": "SHA-256 dữ liệu vào",
           "added": "Chỉ số thêm", "dropped": "Chỉ số bỏ", "redefined": "Chỉ số định nghĩa lại",
           "parameters": "Tham số thay đổi", "standard": "Chuẩn", "group": "Nhóm hộ nghèo"},
    "en": {"household": "Household", "commune": "Commune", "from": "Under {a}",
           "to": "Under {b}", "group_from": "Group ({a})", "group_to": "Group ({b})",
           "why": "Why", "unknown": "Undecided indicators", "ask": "To ask", "value": "Value",
           "households": "Households", "poor": "Poor", "near_poor": "Near-poor",
           "incomplete": "Undecided", "rate": "Poverty rate (%)", "changed": "Changed",
           "run_at": "Run at", "run_by": "Run by", "sha": "SHA-256 of the inputs",
           "added": "Indicators added", "dropped": "Indicators dropped",
           "redefined": "Indicators redefined", "parameters": "Parameters changed",
           "standard": "Standard", "group": "Poor group"},
}
CLASS_LABELS = {
    "vi": {"poor": "nghèo", "near_poor": "cận nghèo", "average": "mức sống trung bình",
           "not_poor": "không nghèo", "incomplete": "chưa xác định"},
    "en": {"poor": "poor", "near_poor": "near-poor", "average": "average",
           "not_poor": "not poor", "incomplete": "undecided"},
}


def write_xlsx(report: dict[str, Any], target: Path | io.BytesIO,
               lang: str = DEFAULT_LANG) -> None:
    """The what-if as a workbook, one sheet per table. Every text cell is written as text
    (never a formula or a link, whatever it starts with)."""
    h = HEADERS[lang]
    names = CLASS_LABELS[lang]
    a = ", ".join(report["against"])
    b = report["standard"]
    tables = Tables(target)

    def sheet(key: str, header: list[str], rows: list[list[Any]]) -> None:
        tables.add(SHEETS[key][lang], header, rows)

    run = report["run"]
    summary = [[h["standard"], f"{a} → {b}"], [h["run_at"], run["at"]],
               [h["run_by"], run["by"]], [h["sha"], run["inputs_sha256"]],
               [h["households"], run["households"]], [h["changed"], report["changed_count"]],
               [h["incomplete"], report["undecided_count"]]]
    for d in report["differences"]:
        for key in ("added", "dropped", "redefined"):
            summary.append([f"{h[key]} ({d['a']} → {d['b']})",
                            ", ".join(x["label"] for x in d[key]) or "—"])
        summary.append([f"{h['parameters']} ({d['a']} → {d['b']})",
                        ", ".join(p["label"] for p in d["parameters"]) or "—"])
    sheet("summary", [h["value"], ""], summary)
    sheet("matrix", [f"{a} \\ {b}", *(names[k] for k in CLASSIFICATIONS)],
          [[names[k], *(report["matrix"][k][x] for x in CLASSIFICATIONS)]
           for k in CLASSIFICATIONS])
    breakdown_header = [h["value"], h["households"],
                        *(f"{h[k]} ({s})" for s in (a, b) for k in ("poor", "near_poor",
                                                                     "incomplete")),
                        f"{h['rate']} ({a})", f"{h['rate']} ({b})", h["changed"]]
    sheet("groups", [h["group"], a, b],
          [[r["value"], r["a"], r["b"]] for r in report["by_group"]])
    for key, rows in (("communes", report["by_commune"]), ("ethnicity", report["by_ethnicity"])):
        sheet(key, breakdown_header, [[
            "" if r["value"] is None else str(r["value"]), r["households"],
            r["a_poor"], r["a_near_poor"], r["a_incomplete"],
            r["b_poor"], r["b_near_poor"], r["b_incomplete"],
            r["a_poor_rate"], r["b_poor_rate"], r["changed"]] for r in rows])
    sheet("changed", [h["household"], h["commune"], h["from"].format(a=a),
                      h["to"].format(b=b), h["group_from"].format(a=a),
                      h["group_to"].format(b=b), h["why"]],
          [[r["id"], r["commune_code"], names[r["from"]], names[r["to"]],
            r["group_from"] or "", r["group_to"] or "", "; ".join(r["explanation"])]
           for r in report["changed"]])
    sheet("undecided", [h["household"], h["commune"], h["from"].format(a=a), h["unknown"],
                        h["ask"]],
          [[r["id"], r["commune_code"], names[r["from"]], ", ".join(r["unknown"]),
            "; ".join(q["question"] for q in r["ask"])] for r in report["undecided"]])
    tables.close()
