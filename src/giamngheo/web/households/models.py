"""Households and members of the registry: the record (docs/record-format.md) plus what an
officer needs (names, ID numbers, address, phone, farm household, causes of poverty).

Every change is kept (django-simple-history); nothing is deleted: a household leaves with a
reason. The rules are never re-implemented here: ``classify`` builds the contract record and
calls the engine.
"""

from __future__ import annotations

import datetime as dt
import re
from itertools import pairwise
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import F, OuterRef, Q, Subquery, Sum
from django.db.models.expressions import Col, RawSQL
from django.db.models.functions import Coalesce, Length
from django.db.models.lookups import Exact, In
from django.db.models.signals import post_delete, post_save
from django.db.models.sql.where import AND, WhereNode
from django.dispatch import receiver
from django.utils.functional import lazy
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ... import household as contract
from ... import record
from ...engine.classify import classify_record
from ...messages import label
from ...text import search_words
from ..units.models import AdministrativeUnit
from .validators import check_id_number, mask_id_number


def current_lang() -> str:
    """The request's language as the core catalogue names it: vi or en."""
    return "vi" if (get_language() or "vi").startswith("vi") else "en"


def _label(field: str, value: str) -> str:
    return label(value, current_lang(), field)


_lazy_label = lazy(_label, str)


def choices(values: tuple[str, ...], field: str = "") -> list[tuple[str, Any]]:
    """Model choices whose labels come from the core catalogue, in the request's language."""
    return [(v, _lazy_label(field, v)) for v in values]


# The registry's fields that hold a field of the record, by model, with its declaration
# (record.py): their labels are the declared ones wherever the registry shows them (form,
# history), as in the workbook and the questionnaire.
DECLARED: dict[str, dict[str, record.Field]] = {
    "household": {"code": record.field("id"), "has_dwelling": record.DWELLING_PRESENCE,
                  **{f.column if f.group == "income" else f.name: f
                     for f in record.HOUSEHOLD_FIELDS if f.group != "household"},
                  "area": record.field("area")},
    "member": {f.name: f for f in record.MEMBER_FIELDS if f.name != "id"},
}


def field_label(model: type[models.Model], name: str) -> str:
    """The label of a registry field in the request's language: a record field's declared
    label, else the model field's name."""
    declared = DECLARED.get(model._meta.model_name, {}).get(name)
    if declared is not None:
        return declared.label[current_lang()]
    return capfirst(str(model._meta.get_field(name).verbose_name))


def search_key(code: str, names) -> str:
    """What the household list searches: the words of the code and of every member's name,
    folded, after a space so that a match can be required to start a word."""
    return " " + search_words(" ".join([code, *names]))


def search_terms_query(words: str) -> str:
    """The full-text query of the folded ``words`` (PostgreSQL, migration ``households 0010``):
    a single word, or each pair of adjacent words ("nguyen van h": nguyen_van & van_h), whose
    lists are shorter than the words'; only the last word may be cut short, so the last term
    is a prefix. The words are letters and digits only (``search_words``)."""
    split = words.split()
    terms = [f"{a}_{b}" for a, b in pairwise(split)] or split
    return " & ".join(terms) + ":*"


class PovertyCause(models.TextChoices):
    NO_LAND = "no_land", _("No land for production")
    NO_CAPITAL = "no_capital", _("No capital")
    NO_LABOUR = "no_labour", _("No labour")
    NO_TOOLS = "no_tools", _("No means of production")
    NO_KNOW_HOW = "no_know_how", _("No know-how to produce")
    NO_SKILLS = "no_skills", _("No vocational skills")
    ILLNESS = "illness", _("Illness, accident")
    OTHER = "other", _("Other")


def in_order(values: list, known) -> list:
    """A list kept as a set: each value once, the known ones in their order first (what is
    not known stays, for the validation to name it)."""
    return [v for v in known if v in values] + \
        [v for v in dict.fromkeys(values) if v not in known]


class HouseholdQuerySet(models.QuerySet):
    def count(self) -> int:
        """The number of households, exact: summed from the kept counts (``HouseholdCount``)
        when the query's only conditions are on the commune (= or IN) and the current status
        (=), the list's scope and filters; else the ordinary COUNT. The one place that
        decides which counts the kept table answers: any other condition (hamlet, indicator,
        search, a join, a slice, DISTINCT, an annotation) is counted row by row."""
        if self._result_cache is not None:
            return len(self._result_cache)
        kept = kept_conditions(self.query)
        if kept is None:
            return super().count()
        return HouseholdCount.objects.using(self.db).filter(kept) \
            .aggregate(n=Sum("households"))["n"] or 0

    def matching(self, query: str, whole_country: bool = True):
        """Households whose code or member names contain the words of ``query`` in order,
        starting a word: "nguyen van h" finds Nguyễn Văn Hùng, "van hung" too, "uyen" not.
        On PostgreSQL a full-text index on the words and their pairs finds the candidates
        first (``search_terms_query``), unless the households are already narrowed to a few
        communes (not ``whole_country``)."""
        words = search_words(query)
        if not words:
            return self.none()
        matches = self.filter(search_text__contains=f" {words}")
        if whole_country and connections[self.db].vendor == "postgresql":
            table = connections[self.db].ops.quote_name(Household._meta.db_table)
            matches = matches.filter(RawSQL(
                f"households_search_terms({table}.search_text) @@ %s::tsquery",
                [search_terms_query(words)], output_field=models.BooleanField()))
        return matches


# The household's columns that the kept counts are by, and their names in ``HouseholdCount``.
KEPT_BY = {"commune_id": "commune_id", "current_status": "current_status"}


def kept_conditions(query) -> Q | None:
    """The conditions of a household ``query`` as conditions on ``HouseholdCount``, if they
    are only ANDed ``=``/``IN`` on the columns it is kept by (``KEPT_BY``), with plain values;
    else None."""
    if query.is_sliced or query.distinct or query.combinator or query.annotations \
            or query.extra or query.extra_tables or query._filtered_relations:
        return None
    kept = Q()
    for lookup in _anded(query.where):
        if not (isinstance(lookup, Exact | In) and isinstance(lookup.lhs, Col)
                and lookup.lhs.alias == query.base_table
                and lookup.lhs.target.column in KEPT_BY
                and not hasattr(lookup.rhs, "resolve_expression")):
            return None
        kept &= Q(**{f"{KEPT_BY[lookup.lhs.target.column]}__{lookup.lookup_name}":
                     lookup.rhs})
    return kept


def _anded(node) -> list:
    """The conditions of a WHERE that are all required (a node of one condition is one of
    them); a negation or an OR of several is returned whole, as a condition that no count
    answers."""
    if not isinstance(node, WhereNode):
        return [node]
    if node.negated or (node.connector != AND and len(node.children) > 1):
        return [node]
    return [c for child in node.children for c in _anded(child)]


class Household(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Living in the commune")
        MOVED = "moved", _("Moved away")
        DIED = "died", _("Dissolved (all members died)")
        SPLIT = "split", _("Split into new households")
        MERGED = "merged", _("Merged into another household")

    code = models.CharField(_("household code"), max_length=40, unique=True)
    commune = models.ForeignKey(AdministrativeUnit, models.PROTECT, related_name="households",
                                limit_choices_to={"level": "commune"}, verbose_name=_("commune"))
    hamlet = models.ForeignKey(AdministrativeUnit, models.PROTECT, null=True, blank=True,
                               related_name="hamlet_households",
                               limit_choices_to={"level": "hamlet"}, verbose_name=_("hamlet"))
    area = models.CharField(_("area type"), max_length=5, choices=choices(contract.AREAS),
                            help_text=_("Decides the income line: rural (xã) or urban "
                                        "(phường, thị trấn)."))
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    farm_household = models.BooleanField(
        _("farm household"), default=False,
        help_text=_("Works in agriculture, forestry, fishery or salt production."))
    poverty_causes = models.JSONField(_("causes of poverty"), default=list, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    has_dwelling = models.BooleanField(_("has a dwelling"), null=True, blank=True)
    walls = models.CharField(_("walls"), max_length=12, blank=True,
                             choices=choices(contract.DURABILITY))
    frame = models.CharField(_("frame"), max_length=12, blank=True,
                             choices=choices(contract.DURABILITY))
    roof = models.CharField(_("roof"), max_length=12, blank=True,
                            choices=choices(contract.DURABILITY))
    floor_area_m2 = models.DecimalField(_("floor area (m²)"), max_digits=8, decimal_places=1,
                                        null=True, blank=True)
    water_source = models.CharField(_("main water source"), max_length=24, blank=True,
                                    choices=choices(contract.WATER_SOURCES))
    latrine = models.CharField(_("latrine"), max_length=16, blank=True,
                               choices=choices(contract.LATRINES))
    waste_disposal = models.CharField(_("household waste disposal"), max_length=16,
                                      blank=True,
                                      choices=choices(contract.WASTE_DISPOSALS,
                                                      "waste_disposal"))
    uses_internet = models.BooleanField(_("a member uses internet"), null=True, blank=True)
    devices = models.JSONField(_("information devices"), null=True, blank=True)

    income_monthly_per_capita = models.PositiveBigIntegerField(
        _("income per person per month (VND)"), null=True, blank=True)
    income_annual_total = models.PositiveBigIntegerField(
        _("household income of the last 12 months (VND)"), null=True, blank=True)
    income_b1_score = models.DecimalField(_("B1 score"), max_digits=7, decimal_places=2,
                                          null=True, blank=True)

    registered_on = models.DateField(_("registered on"), default=dt.date.today,
                                     help_text=_("When the household entered the registry "
                                                 "(moved in, split off, or first survey)."))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices,
                              default=Status.ACTIVE)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    # Derived, kept for fast lists at national scale; recomputed, never edited, not history.
    search_text = models.TextField(default="", editable=False)
    current_status = models.CharField(_("status in the latest closed review"), max_length=12,
                                      blank=True, editable=False)
    status_year = models.PositiveSmallIntegerField(_("status for the year"), null=True,
                                                   editable=False)
    current_deprivations = models.CharField(max_length=300, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["search_text", "current_status",
                                                 "status_year", "current_deprivations"])
    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["code"]
        indexes = [models.Index(fields=["commune", "code"]),  # a commune's list in order
                   models.Index(fields=["commune", "current_status"]),
                   models.Index(fields=["hamlet", "current_status"])]

    def __str__(self) -> str:
        head = self.head
        return f"{self.code} — {head.full_name}" if head else self.code

    def save(self, *args, **kwargs) -> None:
        names = self.members.values_list("full_name", flat=True) if self.pk else []
        self.search_text = search_key(self.code, names)
        super().save(*args, **kwargs)

    @classmethod
    def refresh_search_text(cls, pk: int) -> None:
        code = cls.objects.filter(pk=pk).values_list("code", flat=True).first()
        if code is not None:
            names = Member.objects.filter(household_id=pk).values_list("full_name", flat=True)
            cls.objects.filter(pk=pk).update(search_text=search_key(code, names))

    @property
    def head(self) -> Member | None:
        return next((m for m in self.members.all() if m.relation == "head"), None)

    def clean(self) -> None:
        if self.devices:  # a set, kept in the record's order: a list reordered is no change
            self.devices = in_order(self.devices, contract.DEVICES)
        if self.poverty_causes:
            self.poverty_causes = in_order(self.poverty_causes, PovertyCause.values)
        incomes = [self.income_monthly_per_capita, self.income_annual_total,
                   self.income_b1_score]
        if sum(v is not None for v in incomes) > 1:
            raise ValidationError(_("Give one income evidence only: the monthly income per "
                                    "person, the 12-month total or the B1 score."))
        if self.hamlet_id and self.hamlet.parent_id != self.commune_id:
            raise ValidationError({"hamlet": _("This hamlet belongs to another commune.")})
        if self.status != self.Status.ACTIVE and self.left_on is None:
            raise ValidationError({"left_on": _("Say when the household left.")})

    def to_record(self, reference_date: dt.date, province_code: str | None = None,
                  members: list[Member] | None = None,
                  as_typed: bool = False, area: str | None = None) -> dict[str, Any]:
        """The household as a record (docs/record-format.md) on ``reference_date``: the one
        place where the registry's data becomes the engine's. Time passes between an answer
        and a review, so what no longer applies on that date is left out rather than turned
        into an error: a member born after it (not yet a member then) and, at 16 or more, the
        nutrition answers recorded when the member was a child (``Member.to_record``).

        Bulk callers pass the ``province_code`` they know and prefetch ``members``; an import
        passes the ``members`` it has not saved yet; the form checks the members ``as_typed``
        (a date of birth after the reference date is then an error of the record). A review
        passes the ``area`` of its commune: urban or rural follows the unit on the reference
        date (the 2024 Thị trấn Tân Phú was urban, the Xã Tân Phú that took it in is rural).
        """
        present = present_members(self.members.all() if members is None else members,
                                  None if as_typed else reference_date)
        record: dict[str, Any] = {
            "id": self.code, "reference_date": reference_date.isoformat(),
            "area": area or self.area,
            "province_code": province_code or self.commune.province_code,
            "commune_code": self.commune.code, "income": self._income(),
            "members": [m.to_record(position, reference_date)
                        for position, m in enumerate(present, start=1)],
        }
        if self.has_dwelling is False:
            record["dwelling"] = None
        elif self.has_dwelling:
            record["dwelling"] = {k: v for k, v in {
                "walls": self.walls, "frame": self.frame, "roof": self.roof,
                "floor_area_m2": float(self.floor_area_m2) if self.floor_area_m2 is not None
                else None,
                "water_source": self.water_source, "latrine": self.latrine,
                "waste_disposal": self.waste_disposal,
            }.items() if v not in (None, "")}
        information = {k: v for k, v in {"uses_internet": self.uses_internet,
                                         "devices": self.devices}.items() if v is not None}
        if information:
            record["information"] = information
        return record

    def _income(self) -> dict[str, Any]:
        if self.income_monthly_per_capita is not None:
            return {"monthly_per_capita": self.income_monthly_per_capita}
        if self.income_annual_total is not None:
            return {"annual_total": self.income_annual_total}
        if self.income_b1_score is not None:
            return {"b1_score": float(self.income_b1_score)}
        return {}

    def commune_id_on(self, day: dt.date) -> int:
        """The commune the household belonged to on ``day`` (before a reorganisation moved
        it: ``Relocation``)."""
        first = self.relocations.filter(effective__gt=day).order_by("effective").first()
        return first.from_commune_id if first else self.commune_id

    def classify(self, reference_date: dt.date, standard_id: str | None = None,
                 lang: str | None = None) -> dict[str, Any]:
        """The engine's result for this household (contract result, or its errors)."""
        return classify_record(self.to_record(reference_date), standard_id=standard_id,
                               lang=lang or current_lang())


class Member(models.Model):
    household = models.ForeignKey(Household, models.CASCADE, related_name="members",
                                  verbose_name=_("household"))
    position = models.PositiveSmallIntegerField(_("order in the household"), default=1)
    full_name = models.CharField(_("full name"), max_length=120)
    id_number = models.CharField(_("ID number (CCCD)"), max_length=12, blank=True,
                                 db_index=True)
    relation = models.CharField(_("relation to the head"), max_length=12,
                                choices=choices(contract.RELATIONS))
    birth_date = models.DateField(_("date of birth"))
    sex = models.CharField(_("sex"), max_length=6, choices=choices(contract.SEXES))
    ethnicity = models.CharField(_("ethnic group"), max_length=40, blank=True)
    employment = models.CharField(_("employment"), max_length=20, blank=True,
                                  choices=choices(contract.EMPLOYMENT))
    health_insurance = models.BooleanField(_("has health insurance"), null=True, blank=True)
    education = models.CharField(_("highest education completed"), max_length=24, blank=True,
                                 choices=choices(contract.EDUCATION))
    in_education = models.BooleanField(_("in school or training now"), null=True, blank=True)
    school_level = models.CharField(_("school level"), max_length=16, blank=True,
                                    choices=choices(contract.SCHOOL_LEVELS))
    disability = models.CharField(_("disability"), max_length=12, blank=True,
                                  choices=choices(contract.DISABILITY, "disability"))
    unable_to_work = models.BooleanField(_("unable to work (long illness...)"), null=True,
                                         blank=True)
    social_allowance = models.BooleanField(_("receives a monthly social allowance"),
                                           default=False)
    workplace_trained = models.BooleanField(_("certified on-the-job training"), default=False)
    stunted = models.BooleanField(_("stunted"), null=True, blank=True)
    underweight = models.BooleanField(_("underweight"), null=True, blank=True)
    left_on = models.DateField(_("left the household on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["household", "position", "pk"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number) if self.id_number else ""

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        today = dt.date.today()
        if self.birth_date and self.birth_date > today:
            errors["birth_date"] = _("The date of birth is after today.")
        if self.id_number:
            try:
                check_id_number(self.id_number, self.birth_date, self.sex)
            except ValidationError as error:
                errors["id_number"] = error
        for flag in self.new_answers_for_children_only(today):
            errors[flag] = _("Only for children under %(limit)s (this member is "
                             "%(age)s).") % {"limit": contract.NUTRITION_AGE_LIMIT,
                                             "age": self.age_on(today)}
        if errors:
            raise ValidationError(errors)

    def age_on(self, day: dt.date) -> int:
        return contract.age_in_months(self.birth_date, day) // 12

    def answers_no_longer_applying(self, day: dt.date) -> list[str]:
        """The nutrition answers recorded "yes" when the member was a child, which no longer
        count on ``day`` (aged 16 or more): kept in the registry, left out of the record."""
        if self.birth_date is None or self.age_on(day) < contract.NUTRITION_AGE_LIMIT:
            return []
        return [flag for flag in NUTRITION_FLAGS if getattr(self, flag)]

    def new_answers_for_children_only(self, day: dt.date) -> list[str]:
        """Nutrition answers "yes" given now for a member aged 16 or more: an error, unless
        the registry held them already (recorded when the member was a child)."""
        flags = self.answers_no_longer_applying(day)
        if not flags or self.pk is None:
            return flags
        stored = Member.objects.filter(pk=self.pk).values(*NUTRITION_FLAGS).first() or {}
        return [flag for flag in flags if stored.get(flag) is not True]

    def to_record(self, position: int, reference_date: dt.date) -> dict[str, Any]:
        fields = {
            "id": str(position), "relation": self.relation,
            "birth_date": self.birth_date.isoformat(), "sex": self.sex,
            "employment": self.employment, "health_insurance": self.health_insurance,
            "education": self.education, "in_education": self.in_education,
            "school_level": self.school_level,
            "disability": self.disability, "unable_to_work": self.unable_to_work,
            "ethnicity": self.ethnicity,
            # exception flags: the record leaves them out unless they hold
            "social_allowance": self.social_allowance or None,
            "workplace_trained": self.workplace_trained or None,
        }
        if self.age_on(reference_date) < contract.NUTRITION_AGE_LIMIT:
            fields |= {flag: getattr(self, flag) for flag in NUTRITION_FLAGS}
        return {k: v for k, v in fields.items() if v not in (None, "")}


NUTRITION_FLAGS = ("stunted", "underweight")


def present_members(members, on: dt.date | None) -> list[Member]:
    """The members of a household on ``on``, in their order: not left, and born by then
    (whatever their birth with ``on`` None)."""
    return sorted((m for m in members if m.left_on is None and m.birth_date is not None
                   and (on is None or m.birth_date <= on)),
                  key=lambda m: (m.position, m.pk or 0))


def next_code(commune: AdministrativeUnit) -> str:
    """The next household code of a commune, from its own (current) GSO code: the pattern of
    its last code with the commune's code in it (TP-26134-0212 after TP-26134-0211, even
    where households moved in by a merger keep their former commune's TP-26140-0270), else
    the pattern of its last code with the code swapped for the commune's (TP-26140-0270 →
    TP-26134-0001), else ``<commune code>-0001``; never a code already used anywhere. A few
    queries on the (commune, code) index, whatever the commune's size."""
    codes = Household.objects.filter(commune=commune)
    own = rf"(.*?\b{re.escape(commune.code)}-)(\d+)"
    last = codes.filter(code__contains=f"{commune.code}-").order_by("-code") \
        .values_list("code", flat=True).first()
    match = re.fullmatch(own, last or "")
    if match is None:
        other = re.fullmatch(r"(.*?)\b\d+-(\d+)", codes.order_by("-code").values_list(
            "code", flat=True).first() or "")
        prefix = f"{other.group(1) if other else ''}{commune.code}-"
        width = len(other.group(2)) if other else 4
    else:
        prefix, width = match.group(1), len(match.group(2))
    number = 0
    highest = codes.filter(code__startswith=prefix).annotate(size=Length("code")) \
        .order_by("-size", "-code").values_list("code", flat=True).first()
    if highest and (found := re.fullmatch(re.escape(prefix) + r"(\d+)", highest)):
        number, width = int(found.group(1)), len(found.group(1))
    while True:
        number += 1
        code = f"{prefix}{number:0{width}d}"
        if not Household.objects.filter(code=code).exists():
            return code


class HouseholdCount(models.Model):
    """How many households each commune has with each status of the latest closed review:
    kept by triggers of the database (migration households 0011) at every insert, delete or
    update of a household, whatever writes it (a form, bulk_create, queryset.update or
    delete, COPY), in the writing transaction; read by ``HouseholdQuerySet.count``, so that
    a province's list counts a few hundred rows instead of its households. Never written by
    the application."""
    commune = models.ForeignKey(AdministrativeUnit, models.CASCADE, related_name="+")
    current_status = models.CharField(max_length=12, blank=True)
    households = models.IntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["commune", "current_status"],
                                               name="households_count_by")]


@receiver([post_save, post_delete], sender=Member)
def _member_changed(sender, instance: Member, **kwargs) -> None:
    Household.refresh_search_text(instance.household_id)


class Relocation(models.Model):
    """A household moved to the successor of its commune (and hamlet) by a reorganisation of
    the administrative units: which unit it belonged to before ``effective`` and which after,
    so that a closed review keeps the households it decided and a figure of an earlier year
    can be shown on today's units (``in_commune_on``)."""

    household = models.ForeignKey(Household, models.CASCADE, related_name="relocations",
                                  verbose_name=_("household"))
    effective = models.DateField(_("effective"))
    from_commune = models.ForeignKey(AdministrativeUnit, models.PROTECT, related_name="+",
                                     verbose_name=_("from commune"))
    from_hamlet = models.ForeignKey(AdministrativeUnit, models.PROTECT, null=True,
                                    blank=True, related_name="+",
                                    verbose_name=_("from hamlet"))
    to_commune = models.ForeignKey(AdministrativeUnit, models.PROTECT, related_name="+",
                                   verbose_name=_("to commune"))
    to_hamlet = models.ForeignKey(AdministrativeUnit, models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("to hamlet"))
    instrument = models.CharField(_("legal instrument"), max_length=120, blank=True)
    applied_at = models.DateTimeField(_("applied at"), auto_now_add=True)
    applied_by = models.ForeignKey("auth.User", models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("applied by"))

    class Meta:
        verbose_name = _("relocation by a reorganisation")
        verbose_name_plural = _("relocations by reorganisations")
        ordering = ["effective", "household_id"]
        constraints = [models.UniqueConstraint(fields=["household", "effective"],
                                               name="one_relocation_a_day")]
        indexes = [models.Index(fields=["from_commune", "effective"])]


def in_commune_on(commune: AdministrativeUnit, day: dt.date):
    """The households that belonged to ``commune`` on ``day``: those of the commune now that
    no reorganisation moved in after ``day``, and those a reorganisation after ``day`` moved
    out of it (the commune they had then is the one they left first after it)."""
    first_after = Relocation.objects.filter(household=OuterRef("pk"), effective__gt=day) \
        .order_by("effective")
    return Household.objects.filter(
        Q(commune=commune) | Q(relocations__from_commune=commune)).annotate(
        commune_then=Coalesce(Subquery(first_after.values("from_commune_id")[:1]),
                              F("commune_id"), output_field=models.BigIntegerField())) \
        .filter(commune_then=commune.pk).distinct()
