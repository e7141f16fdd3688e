"""What the scalar forms of the rules see: a household's members with their ages at the
reference date, and the standard. The rules themselves are in ``engine/rules/``, one module
each; labour capacity (groups A/B) is in ``engine/labour.py``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..ages import completed_months, reached_retirement
from ..rules.parameters import Indicator, Standard
from .rule import Tri, registered, who


@dataclass(frozen=True)
class MemberFacts:
    """A member with the ages the rules use, at the household's reference date."""

    data: dict[str, Any]
    birth: dt.date
    reference: dt.date
    months: int  # completed months

    @classmethod
    def of(cls, member: dict[str, Any], reference: dt.date) -> MemberFacts:
        birth = dt.date.fromisoformat(member["birth_date"])
        return cls(member, birth, reference, completed_months(birth, reference))

    @property
    def age(self) -> int:
        """Completed years."""
        return self.months // 12

    def get(self, key: str) -> Any:
        return self.data.get(key)

    def who(self, lang: str) -> str:
        return who(self, lang)

    def retired(self, standard: Standard) -> bool:
        """At or over the retirement age of the member's birth cohort."""
        return reached_retirement(self.birth, self.data["sex"], self.reference,
                                  standard.retirement_table)

    def working_age(self, standard: Standard) -> bool:
        return self.age >= standard.working_age_from and not self.retired(standard)


@dataclass(frozen=True)
class Situation:
    """What a rule sees: the record, its members' facts and the standard."""

    record: dict[str, Any]
    members: list[MemberFacts]
    reference: dt.date
    standard: Standard

    @property
    def dwelling(self) -> dict[str, Any]:
        """The dwelling's fields (empty when there is none or it is not recorded)."""
        return self.record.get("dwelling") or {}


def evaluate(s: Situation, indicator: Indicator, lang: str) -> tuple[Tri, str | None]:
    """The indicator's value for the household, and the reason when deprived."""
    return registered()[indicator.rule].evaluate(s, indicator.params, lang)
