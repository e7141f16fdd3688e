"""Administrative units with validity periods and successor mappings.

GSO codes are reused with other meanings after mergers (26146 was Phú Trung until 2024-10-31,
then Phú Sơn until 2025-06-30), so a unit is identified by its code *and* its validity period,
never by its name. Mergers and dissolutions are recorded as successions, which let a 2024 figure
be shown on the 2026 territory and the other way round.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class UnitQuerySet(models.QuerySet):
    def valid_on(self, day: dt.date):
        """The units in force on ``day`` (what a page or a select offers by default)."""
        return self.filter(Q(valid_from=None) | Q(valid_from__lte=day),
                           Q(valid_until=None) | Q(valid_until__gte=day))


class AdministrativeUnit(models.Model):
    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        DISTRICT = "district", _("District")
        COMMUNE = "commune", _("Commune")
        HAMLET = "hamlet", _("Hamlet")

    class Kind(models.TextChoices):
        TINH = "tinh", _("Province (tỉnh)")
        THANH_PHO = "thanh_pho", _("City (thành phố)")
        HUYEN = "huyen", _("District (huyện)")
        THI_XA = "thi_xa", _("Town (thị xã)")
        XA = "xa", _("Commune (xã)")
        PHUONG = "phuong", _("Ward (phường)")
        THI_TRAN = "thi_tran", _("Township (thị trấn)")
        AP = "ap", _("Hamlet (ấp, thôn)")
        KHU_PHO = "khu_pho", _("Quarter (khu phố, tổ dân phố)")

    URBAN_KINDS = (Kind.PHUONG, Kind.THI_TRAN)

    code = models.CharField(_("GSO code"), max_length=12)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    parent = models.ForeignKey("self", models.PROTECT, null=True, blank=True,
                               related_name="children", verbose_name=_("parent unit"))
    valid_from = models.DateField(_("valid from"), null=True, blank=True,
                                  help_text=_("Empty: since before the records begin."))
    valid_until = models.DateField(_("valid until"), null=True, blank=True,
                                   help_text=_("Empty: still in force."))
    area_km2 = models.DecimalField(_("area (km²)"), max_digits=9, decimal_places=2, null=True,
                                   blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(_("population year"), null=True,
                                                       blank=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["level", "code", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["level", "code", "valid_from"],
                                    name="unit_code_period_unique",
                                    nulls_distinct=False),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_from__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
                name="unit_period_ordered"),
        ]
        indexes = [models.Index(fields=["code", "valid_from", "valid_until"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.code}, {self.period_label})"

    def communes(self) -> list[AdministrativeUnit]:
        """The communes of this unit (itself for a commune), by code."""
        if self.level == self.Level.COMMUNE:
            return [self]
        found, frontier = [], [self]
        while frontier:
            children = list(AdministrativeUnit.objects.filter(parent__in=frontier))
            found += [c for c in children if c.level == self.Level.COMMUNE]
            frontier = [c for c in children if c.level != self.Level.COMMUNE]
        return sorted(found, key=lambda c: c.code)

    def below(self) -> list[int]:
        """The ids of this unit and of every unit below it, at every level."""
        found, frontier = [self.pk], [self.pk]
        while frontier:
            frontier = list(AdministrativeUnit.objects.filter(parent__in=frontier)
                            .values_list("pk", flat=True))
            found += frontier
        return found

    @property
    def place_name(self) -> str:
        """The name without its kind ("Tân Phú" for "Huyện Tân Phú"): the place a document
        is dated at."""
        for prefix in ("Thành phố ", "Thị trấn ", "Thị xã ", "Phường ", "Huyện ", "Tỉnh ",
                       "Xã "):
            if self.name.startswith(prefix):
                return self.name.removeprefix(prefix)
        return self.name

    @property
    def dated_name(self) -> str:
        """The name, with the day it ended for a unit no longer in force, so that the old Xã
        Tà Lài reads apart from today's: "Xã Tà Lài (until 30/06/2025)"."""
        if self.valid_until is None:
            return self.name
        return _("%(name)s (until %(day)s)") % {"name": self.name,
                                                "day": f"{self.valid_until:%d/%m/%Y}"}

    @property
    def in_sentence(self) -> str:
        """The name as a sentence writes it: "huyện Tân Phú", "tỉnh Đồng Nai"."""
        place = self.place_name
        return self.name if place == self.name else \
            self.name[:len(self.name) - len(place)].lower() + place

    @property
    def period_label(self) -> str:
        start = self.valid_from.strftime("%d/%m/%Y") if self.valid_from else "…"
        end = self.valid_until.strftime("%d/%m/%Y") if self.valid_until else "…"
        return f"{start}–{end}"

    @property
    def area_type(self) -> str:
        """rural for a xã, urban for a phường or thị trấn (the income line to use). A unit is
        its code *and* its period, so this holds for the unit's validity: the Thị trấn Tân
        Phú of 2024 is urban, the Xã Tân Phú of 1 July 2025 that took it in is rural."""
        return "urban" if self.kind in self.URBAN_KINDS else "rural"

    @property
    def province_code(self) -> str:
        unit = self
        while unit.parent_id is not None:
            unit = unit.parent
        return unit.code

    def is_valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and \
            (self.valid_until is None or day <= self.valid_until)

    def require_in_force(self, start: dt.date, end: dt.date | None = None,
                         field: str = "unit") -> None:
        """Refuse work opened for this unit on a date (or a period from ``start`` to ``end``)
        it is not in force on: a commune that ended on 30/06/2025 has no review in 2026."""
        end = end or start
        if (self.valid_from is None or self.valid_from <= end) and \
                (self.valid_until is None or start <= self.valid_until):
            return
        successor = self.successor_on(start) if self.valid_until and \
            self.valid_until < start else None
        message = _("%(unit)s is not in force on %(day)s (valid %(period)s).") % {
            "unit": self.name, "day": f"{start:%d/%m/%Y}", "period": self.period_label}
        if successor is not None:
            message += " " + _("Its territory now belongs to %(successor)s.") % {
                "successor": successor.name}
        raise ValidationError({field: message})

    def successor_on(self, day: dt.date) -> AdministrativeUnit | None:
        """The unit that covers this unit's territory on ``day`` (itself when still valid).

        Where a unit was split, the first successor is followed; the succession records say
        which part went where.
        """
        unit: AdministrativeUnit | None = self
        seen = set()
        while unit is not None and not unit.is_valid_on(day):
            if unit.pk in seen:
                return None
            seen.add(unit.pk)
            step = unit.successions.order_by("effective").first()
            if step is None or (unit.valid_until and day < unit.valid_until):
                return None
            unit = step.successor
        return unit

    def territory(self) -> list[AdministrativeUnit]:
        """This unit and every unit whose territory became (part of) it, in any period and
        through any chain of reorganisations: what a figure of an earlier year is added up
        from when it is shown on today's unit (2024's Tà Lài, Phú Lập and Phú Thịnh for the
        Xã Tà Lài of 1 July 2025)."""
        found, frontier = {self.pk: self}, [self]
        while frontier:
            earlier = [s.predecessor for s in Succession.objects.filter(
                successor__in=frontier).select_related("predecessor")]
            frontier = [u for u in earlier if u.pk not in found]
            found.update((u.pk, u) for u in frontier)
        return sorted(found.values(), key=lambda u: (u.valid_from or dt.date.min, u.code))

    def predecessors_on(self, day: dt.date) -> list[AdministrativeUnit]:
        """The units valid on ``day`` whose territory became (part of) this unit, through any
        chain of mergers (Núi Tượng → Nam Cát Tiên 2024 → Nam Cát Tiên 2025)."""
        found, frontier, seen = [], [self], set()
        while frontier:
            unit = frontier.pop()
            if unit.pk in seen:
                continue
            seen.add(unit.pk)
            if unit.is_valid_on(day):
                found.append(unit)
            frontier.extend(p.predecessor for p in unit.predecessions.select_related(
                "predecessor"))
        return sorted(found, key=lambda u: u.code)


class Succession(models.Model):
    """One unit's territory passing (wholly or partly) to another on a date."""

    class Kind(models.TextChoices):
        MERGED = "merged", _("merged into")
        DISSOLVED = "dissolved", _("dissolved into")
        RENAMED = "renamed", _("renamed")
        SPLIT = "split", _("split into")

    predecessor = models.ForeignKey(AdministrativeUnit, models.PROTECT,
                                    related_name="successions", verbose_name=_("from"))
    successor = models.ForeignKey(AdministrativeUnit, models.PROTECT,
                                  related_name="predecessions", verbose_name=_("to"))
    effective = models.DateField(_("effective"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    instrument = models.CharField(_("legal instrument"), max_length=120, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("succession")
        verbose_name_plural = _("successions")
        constraints = [models.UniqueConstraint(fields=["predecessor", "successor"],
                                               name="succession_unique")]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.effective:%d/%m/%Y})"
