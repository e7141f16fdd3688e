"""What an indicator's rule is: its scalar form (the value and reason for one household) and its
vectorised form (Polars expressions over a population), side by side in one module of
``engine/rules/``, registered once with :func:`register`. A standard's parameter file names the
rule and gives its parameters (``rules/standards/*.yaml``); both engines evaluate the rules
through this interface, and tests/engine/test_rules_agree.py holds the two forms of every
registered rule to the same values and reasons.

Values are three-valued: ``True`` (deprived), ``False``, ``None`` (unknown: a field the rule
needs is absent). Polars' nullable booleans follow the same (Kleene) logic.

Two kinds of rule:

- a :class:`MemberRule` decides for each member (``member`` / ``member_expr``); the household is
  deprived when some member is (Kleene OR), and the reason lists those members' phrases;
- a :class:`HouseholdRule` decides for the household (``value`` / ``expr``), from the record and
  from member aggregates it declares (``aggregates``: sums over the members).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any, ClassVar

import polars as pl

from ..messages import add_messages, text
from .exprs import NULL_BOOL, message

if TYPE_CHECKING:
    from ..rules.parameters import Standard
    from .indicators import MemberFacts, Situation

Tri = bool | None
Params = dict[str, Any]
Texts = dict[str, dict[str, str]]
Aggregate = Callable[[str], pl.Expr]  # an aggregate's name → its column in the household frame

c = pl.col


class Rule:
    """An indicator rule. Subclasses set ``name``, ``params`` (the parameter names a standard
    must give), ``messages`` (its reason texts, Vietnamese and English) and ``fields`` (the
    record fields it reads: a household lacking one of them may be unknown on it)."""

    name: ClassVar[str]
    params: ClassVar[tuple[str, ...]] = ()
    messages: ClassVar[Texts] = {}
    fields: ClassVar[tuple[str, ...]] = ()

    def check_params(self, p: Params) -> list[str]:
        """Problems of a standard's parameters for this rule (their names are checked already)."""
        return []

    def fields_read(self, p: Params) -> tuple[str, ...]:
        """The record fields an indicator with parameters ``p`` reads."""
        return self.fields

    def evaluate(self, s: Situation, p: Params, lang: str) -> tuple[Tri, str | None]:
        """The value for one household, and the reason when deprived."""
        raise NotImplementedError


class MemberRule(Rule):
    def member(self, m: MemberFacts, p: Params, s: Standard) -> Tri:
        raise NotImplementedError

    def phrase(self, m: MemberFacts, p: Params, lang: str) -> str:
        """Why a deprived member is deprived."""
        raise NotImplementedError

    def member_expr(self, p: Params) -> pl.Expr:
        """The member's value over member rows (record columns plus ``age``, ``months``,
        ``working_age``, ``reference_date``)."""
        raise NotImplementedError

    def phrase_expr(self, p: Params, lang: str) -> pl.Expr:
        raise NotImplementedError

    def evaluate(self, s: Situation, p: Params, lang: str) -> tuple[Tri, str | None]:
        values = [self.member(m, p, s.standard) for m in s.members]
        value = any3(values)
        if value is not True:
            return value, None
        return True, "; ".join(self.phrase(m, p, lang)
                               for m, v in zip(s.members, values, strict=True) if v is True)


class HouseholdRule(Rule):
    def value(self, s: Situation, p: Params) -> Tri:
        raise NotImplementedError

    def reason(self, s: Situation, p: Params, lang: str) -> str:
        """Why the household is deprived (called only when it is)."""
        raise NotImplementedError

    def aggregates(self, p: Params) -> dict[str, pl.Expr]:
        """Sums over each household's member rows that ``expr`` needs, by name."""
        return {}

    def expr(self, p: Params, agg: Aggregate) -> pl.Expr:
        """The value over household rows (record columns, ``n_members``, the aggregates)."""
        raise NotImplementedError

    def reason_expr(self, p: Params, lang: str, agg: Aggregate) -> pl.Expr:
        raise NotImplementedError

    def evaluate(self, s: Situation, p: Params, lang: str) -> tuple[Tri, str | None]:
        value = self.value(s, p)
        return value, self.reason(s, p, lang) if value is True else None


RULES: dict[str, Rule] = {}


def register(cls: type[Rule]) -> type[Rule]:
    """Make a rule known to the parameter loader and both engines (a class decorator)."""
    if cls.name in RULES and type(RULES[cls.name]) is not cls:
        raise ValueError(f"rule {cls.name!r} is registered twice")
    add_messages(cls.messages)
    RULES[cls.name] = cls()
    return cls


def unregister(name: str) -> None:
    """Forget a rule (for tests that register one of their own)."""
    RULES.pop(name, None)


@cache
def _discover() -> None:
    from . import rules

    for module in pkgutil.iter_modules(rules.__path__):
        importlib.import_module(f"{rules.__name__}.{module.name}")


def registered() -> dict[str, Rule]:
    """Every rule: the modules of ``engine/rules/`` register themselves when first imported
    (a rule registered from elsewhere, as a test's, joins them)."""
    _discover()
    return RULES


# --- three-valued logic ----------------------------------------------------------------------

def any3(values: Any) -> Tri:
    """Kleene OR: True if any is True, else unknown if any is unknown, else False."""
    unknown = False
    for v in values:
        if v is True:
            return True
        if v is None:
            unknown = True
    return None if unknown else False


def and3(*values: Tri) -> Tri:
    """Kleene AND: False if any is False, else unknown if any is unknown, else True."""
    if any(v is False for v in values):
        return False
    return None if any(v is None for v in values) else True


def not3(value: Tri) -> Tri:
    return None if value is None else not value


# --- the dwelling: absent (unknown) or null (no dwelling) decides several rules --------------

def dwelling_decides(s: Situation) -> Tri | str:
    """``None`` when the dwelling is not recorded, ``True`` when the household has none,
    ``"dwelling"`` when the dwelling's fields decide."""
    if "dwelling" not in s.record:
        return None
    return True if s.record["dwelling"] is None else "dwelling"


def dwelling_decides_expr(deprived: pl.Expr, no_dwelling: pl.Expr | None = None) -> pl.Expr:
    return pl.when(c("has_dwelling").is_null()).then(NULL_BOOL) \
        .when(~c("has_dwelling")).then(pl.lit(True) if no_dwelling is None else no_dwelling) \
        .otherwise(deprived)


def no_dwelling_reason(lang: str) -> str:
    return text("no_dwelling", lang)


def no_dwelling_reason_expr(reason: pl.Expr, lang: str) -> pl.Expr:
    return pl.when(~c("has_dwelling")).then(message("no_dwelling", lang)).otherwise(reason)


def values_in(values: Any, allowed: tuple[str, ...], name: str) -> list[str]:
    """A parameter's list of codes, each one of ``allowed``."""
    if not isinstance(values, list) or not values:
        return [f"{name} must be a non-empty list"]
    wrong = [v for v in values if v not in allowed]
    return [f"{name}: {', '.join(map(str, wrong))} not among {', '.join(allowed)}"] if wrong \
        else []


def who(m: MemberFacts, lang: str) -> str:
    return text("member", lang, member=m.data["id"], age=m.age)


def who_expr(lang: str) -> pl.Expr:
    return message("member", lang, member=c("id"), age=c("age"))
