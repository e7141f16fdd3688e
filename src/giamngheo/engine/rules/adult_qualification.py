"""Adult education (trình độ giáo dục của người lớn): some member in one of the age ``bands``
is not in education or training, has no certified on-the-job training (``workplace_trained``,
an exception flag) and lacks every ``qualifying`` qualification of the band."""

from __future__ import annotations

from typing import Any

import polars as pl

from ... import record
from ...messages import label, text
from ...rules.parameters import Standard
from ..exprs import label_of, message, tri_is_in
from ..indicators import MemberFacts
from ..rule import MemberRule, Params, Tri, and3, not3, register, values_in, who_expr

c = pl.col
MESSAGES = {
    "adult_education": {
        "vi": "{who} không đi học và chưa đạt {required} (hiện: {education})",
        "en": "{who} is not in education and lacks {required} (has: {education})"},
}


def band_of(p: Params, age: int) -> dict[str, Any] | None:
    return next((b for b in p["bands"] if b["age_from"] <= age <= b["age_to"]), None)


def _in_band(band: dict[str, Any]) -> pl.Expr:
    return c("age").is_between(pl.lit(band["age_from"]), pl.lit(band["age_to"]))


@register
class AdultQualification(MemberRule):
    name = "adult_qualification"
    params = ("bands",)
    messages = MESSAGES
    fields = ("members.birth_date", "members.in_education", "members.workplace_trained",
              "members.education")

    def check_params(self, p: Params) -> list[str]:
        bands = p["bands"]
        if not isinstance(bands, list) or not bands:
            return ["bands must be a non-empty list"]
        problems = []
        for i, band in enumerate(bands):
            keys = {"age_from", "age_to", "required", "qualifying"}
            if not isinstance(band, dict) or set(band) != keys:
                problems.append(f"bands[{i}] needs exactly {sorted(keys)}")
                continue
            if not isinstance(band["required"], dict) or set(band["required"]) != {"vi", "en"}:
                problems.append(f"bands[{i}].required needs vi and en")
            problems += values_in(band["qualifying"], record.EDUCATION.codes,
                                  f"bands[{i}].qualifying")
        return problems

    def member(self, m: MemberFacts, p: Params, s: Standard) -> Tri:
        band = band_of(p, m.age)
        if band is None:
            return False
        education = m.get("education")
        return and3(not3(m.get("in_education")),
                    not m.get("workplace_trained"),
                    None if education is None else education not in band["qualifying"])

    def phrase(self, m: MemberFacts, p: Params, lang: str) -> str:
        band = band_of(p, m.age)
        assert band is not None  # a deprived member is in a band
        return text("adult_education", lang, who=m.who(lang), required=band["required"][lang],
                    education=label(m.get("education"), lang, "education"))

    def member_expr(self, p: Params) -> pl.Expr:
        deprived: pl.Expr = pl.lit(False)
        for band in reversed(p["bands"]):
            lacking = tri_is_in(c("education"), band["qualifying"]).not_()
            deprived = pl.when(_in_band(band)).then(
                ~c("in_education") & ~c("workplace_trained").fill_null(False) & lacking) \
                .otherwise(deprived)
        return deprived

    def phrase_expr(self, p: Params, lang: str) -> pl.Expr:
        education = label_of(c("education"), lang, "education")
        phrase: pl.Expr = pl.lit(None, dtype=pl.String)
        for band in reversed(p["bands"]):
            phrase = pl.when(_in_band(band)).then(message(
                "adult_education", lang, who=who_expr(lang), required=band["required"][lang],
                education=education)).otherwise(phrase)
        return phrase
