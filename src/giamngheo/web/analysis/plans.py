"""What a computed support plan becomes: the rows of its page, and, once accepted, planned
support records (one per support and funding source) and a target per commune."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from ...allocation.supports import KINDS
from ...figures import headcount
from ...plans import label
from ..households.models import current_lang
from ..program.models import taxonomy
from ..reviews.figures import area_figures as lists_figures
from ..reviews.models import Review, Step
from ..support.models import Support
from ..units.models import AdministrativeUnit
from .models import CommuneTarget, SupportPlan

PAGE = 100


def area_figures(unit: AdministrativeUnit) -> dict[str, Any]:
    """The area's latest lists as every page counts them (``figures.headcount``: the poor
    among the households registered and living there on the lists' date)."""
    years = closed_list_years(unit)
    count = headcount(lists_figures(unit, years[-1])) if years else headcount(None)
    return {"year": years[-1] if years else None, "households": count.households,
            "poor": count.poor, "poor_rate": count.poor_rate or 0.0}


def closed_list_years(unit: AdministrativeUnit) -> list[int]:
    return sorted(set(Review.objects.filter(
        commune__in=unit.communes(), kind=Review.Kind.PERIODIC, step=Step.CLOSED)
        .values_list("period_year", flat=True)))


def source_label(code: str) -> str:
    labels = taxonomy().funding_sources.get(code)
    return label(labels, current_lang()) if labels else code


def plan_rows(plan: SupportPlan, commune: str, page: str | None) -> dict[str, Any]:
    report = plan.report
    names = dict(AdministrativeUnit.objects.filter(
        pk__in=[int(r["commune_code"]) for r in report["by_commune"]]).values_list("pk", "name"))
    by_commune = [{**r, "name": names.get(int(r["commune_code"]), r["commune_code"])}
                  for r in report["by_commune"]]
    households = report["households"]
    if commune:
        households = [h for h in households if h["commune_code"] == commune]
    figures = area_figures(plan.unit)
    lifted = report["households_lifted"]
    after = figures["poor"] - lifted
    figures["poor_after"] = after
    figures["poor_rate_after"] = 100 * after / figures["households"] \
        if figures["households"] else 0.0
    for key in ("result", "current_practice"):
        row = report.get(key) or {}
        if figures["households"] and row.get("score_fall") is not None:
            row["m0_fall"] = row["score_fall"] / figures["households"]
    for row in (report.get("tradeoff") or {}).values():
        if figures["households"] and row.get("score_fall") is not None:
            row["m0_fall"] = row["score_fall"] / figures["households"]
    return {
        "report": report, "figures": figures, "by_commune": by_commune, "commune": commune,
        "households": Paginator(households, PAGE).get_page(page),
        "sources": [{**s, "label": source_label(s["source"])} for s in report["sources"]],
        "marginal": [{**m, "label": source_label(m["source"])}
                     for m in report.get("marginal", [])],
    }


def accept(plan: SupportPlan, user) -> int:
    """Planned support records for every support of the plan (a support two sources share
    is two records), the per-commune targets, and who accepted it, when. Returns the number
    of records."""
    kinds = taxonomy().support_kinds
    sources = taxonomy().funding_sources
    rows = []
    note = f"Kế hoạch hỗ trợ {str(plan.pk)[:8]}"
    for support, paid in zip(plan.plan["supports"], plan.report["funding_of_supports"],
                             strict=True):
        link = plan.links[support["household"]]
        member = link["members"].get(support["member"]) if support["member"] else None
        kind = KINDS[support["support"]]
        usual = kinds.get(kind.program_kind, {})
        for part in paid["funding"] or [{"source": "", "amount": support["cost"]}]:
            rows.append(Support(
                household_id=link["household"], member_id=member, kind=kind.program_kind,
                status=Support.Status.PLANNED, planned_year=plan.year,
                amount=part["amount"],
                source=part["source"] if part["source"] in sources else "",
                project=str(usual.get("project") or ""), addresses=kind.addresses,
                note=note, recorded_by=user))
    bulk_create_with_history(rows, Support, batch_size=500, default_user=user)
    CommuneTarget.objects.bulk_create([
        CommuneTarget(plan=plan, commune_id=int(r["commune_code"]), year=plan.year,
                      households_to_lift=r["lifted"], households_supported=r["households"],
                      budget=r["cost"])
        for r in plan.report["by_commune"] if r["households"]])
    plan.accepted_by, plan.accepted_at = user, timezone.now()
    plan.save(update_fields=["accepted_by", "accepted_at"])
    return len(rows)
