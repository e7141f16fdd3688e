"""Support given to households: the area's list with a form to record one, and the
eligibility lists (who should get a benefit and has not)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..accounts.models import (
    HOUSEHOLD_EDITORS,
    AccessLog,
    May,
    has_role_for,
    visible_units,
)
from ..accounts.privacy import disclosure
from ..households.forms import DayField
from ..households.models import Household, Member
from ..households.templatetags.giamngheo import CLASSIFICATIONS
from ..program.models import LivelihoodModel, area_unit_ids
from ..scope import area_choices, chosen_area
from ..sheets import Heading, Table, workbook
from .eligibility import benefits, eligible, windows_closing
from .forms import SupportForm
from .models import Support, kind_choices


@login_required
def support_list(request):
    unit, year = chosen_area(request, timezone.localdate().year)
    user = request.user
    can_record = bool(visible_units(user, HOUSEHOLD_EDITORS))
    form = SupportForm(request.POST or None, initial={"given_on": timezone.localdate(),
                                                      "code": request.GET.get("code", "")})
    form.fields["livelihood_model"].queryset = LivelihoodModel.objects.filter(
        commune__in=visible_units(user))
    if request.method == "POST" and form.is_valid():
        household = Household.objects.filter(code=form.cleaned_data["code"].strip(),
                                             commune__in=visible_units(user)).first()
        if household is None:
            form.add_error("code", _("No household of your area has this code."))
        elif not has_role_for(user, household.commune, HOUSEHOLD_EDITORS):
            raise PermissionDenied
        else:
            position = form.cleaned_data.get("member_position")
            member = household.members.filter(position=position).first() if position else None
            if position and member is None:
                form.add_error("member_position", _("The household has no member with this "
                                                    "number."))
            else:
                form.instance.household, form.instance.member = household, member
                form.instance.recorded_by = user
                form.save()
                messages.success(request, _("Support recorded for %(code)s.") % {
                    "code": household.code})
                return redirect(f"{request.path}?unit={unit.pk}&year={year}")
    found = _support_of(request, unit, year)
    page = Paginator(found, 100).get_page(request.GET.get("page"))
    kind = request.GET.get("kind", "")
    planned = Support.objects.planned().filter(
        household__commune__in=area_unit_ids(unit), planned_year=year).select_related(
        "household", "member").order_by("household__code", "kind", "pk")
    if kind:
        planned = planned.filter(kind=kind)
    return render(request, "support/list.html", {
        "unit": unit, "year": year, "units": area_choices(user, request), "page": page,
        "kinds": kind_choices(), "kind": kind, "form": form if can_record else None,
        "can_export": disclosure(user).on_unit(May.EXPORT, unit),
        "planned": Paginator(planned, 100).get_page(request.GET.get("planned_page")),
        "today": timezone.localdate()})


@login_required
@require_POST
def mark_given(request, pk):
    """A planned support given: its date; by an editor of the household's commune."""
    support = Support.objects.planned().filter(
        pk=pk, household__commune__in=visible_units(request.user)).select_related(
        "household__commune").first()
    if support is None:
        raise Http404
    if not has_role_for(request.user, support.household.commune, HOUSEHOLD_EDITORS):
        raise PermissionDenied
    try:
        on = DayField().clean(request.POST.get("given_on", ""))
        support.mark_given(on, request.user)
        messages.success(request, _("Marked as given."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(f"{reverse('support:list')}?unit={request.POST.get('unit', '')}"
                    f"&year={request.POST.get('year', '')}")


def _support_of(request, unit, year: int):
    """The support given in the area and year, to households whose personal data the
    user's role may read there (not the finance officer's: the budget pages are theirs)."""
    found = disclosure(request.user).households(Support.objects.given().filter(
        household__commune__in=area_unit_ids(unit), given_on__year=year), May.READ,
        prefix="household__").select_related("household__commune", "member",
                                             "livelihood_model")
    kind = request.GET.get("kind", "")
    return found.filter(kind=kind) if kind else found


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(request, unit, table: Table, period: str, name: str) -> HttpResponse:
    """A list of named households as XLSX, for the roles that may take them away, logged."""
    if not disclosure(request.user).on_unit(May.EXPORT, unit):
        raise PermissionDenied
    AccessLog.objects.create(user=request.user, what=f"{name} {unit.code}",
                             rows=len(table.rows))
    heading = Heading(_("People's Committee of %(unit)s") % {"unit": unit.name}, period)
    response = HttpResponse(workbook([table], heading), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}-{unit.code}.xlsx"'
    return response


@login_required
def support_xlsx(request):
    unit, year = chosen_area(request, timezone.localdate().year)
    table = Table("support", _("Support given"), [
        _("given on"), _("household code"), _("commune"), _("member"), _("kind of support"),
        _("amount (đồng)"), _("funding source"), _("program project"),
        _("deprivation addressed"), _("livelihood model")], sheet="Hỗ trợ đã cấp", money=True)
    for s in _support_of(request, unit, year):
        table.rows.append([f"{s.given_on:%d/%m/%Y}", s.household.code,
                           s.household.commune.name, s.member.full_name if s.member else "",
                           s.get_kind_display(), s.amount or 0, s.get_source_display(),
                           s.get_project_display(), s.get_addresses_display(),
                           s.livelihood_model.name if s.livelihood_model else ""])
    return _download(request, unit, table, _("Year %(year)s") % {"year": year},
                     f"ho-tro-{year}")


def _eligible(request):
    unit, _year = chosen_area(request, timezone.localdate().year)
    rules = benefits()
    benefit = request.GET.get("benefit", next(iter(rules)))
    if benefit not in rules and benefit != "closing":
        raise Http404
    today = timezone.localdate()
    seen = disclosure(request.user)
    communes = [c for c in unit.communes() if seen.on_unit(May.READ, c)]
    rows = windows_closing(communes, today) if benefit == "closing" else \
        eligible(benefit, communes, today)
    kinds = dict(kind_choices())
    rule = rules.get(benefit, {})
    title = _("Newly escaped households whose continued benefits end within 3 months") \
        if benefit == "closing" else kinds.get(rule["kind"], benefit)
    return unit, rules, benefit, rows, rule, kinds, title, today


@login_required
def eligible_list(request):
    unit, rules, benefit, rows, rule, kinds, title, _today = _eligible(request)
    return render(request, "support/eligible.html", {
        "unit": unit, "units": area_choices(request.user, request), "benefit": benefit,
        "rows": rows[:2000], "count": len(rows), "rule": rule,
        "benefits": [(key, kinds.get(r["kind"], key)) for key, r in rules.items()],
        "title": title, "can_export": disclosure(request.user).on_unit(May.EXPORT, unit)})


@login_required
def eligible_xlsx(request):
    unit, _rules, benefit, rows, _rule, _kinds, title, today = _eligible(request)
    table = Table("eligible", title, [
        _("household code"), _("commune"), _("hamlet"), _("Head of household"), _("member"),
        _("status"), _("months of continued benefits left")], sheet="Danh sách đối tượng")
    heads = dict(Member.objects.filter(household__in={r.household.pk for r in rows},
                                       relation="head", left_on=None)
                 .values_list("household_id", "full_name"))
    for row in rows:
        table.rows.append([row.household.code, row.household.commune.name,
                           row.household.hamlet.name if row.household.hamlet else "",
                           heads.get(row.household.pk, ""),
                           row.member.full_name if row.member else "",
                           str(CLASSIFICATIONS.get(row.status, row.status)),
                           row.months_left if row.months_left is not None else ""])
    return _download(request, unit, table, _("On %(day)s") % {"day": f"{today:%d/%m/%Y}"},
                     f"doi-tuong-{benefit}")
