"""Support given to households: the area's list with a form to record one, and the
eligibility lists (who should get a benefit and has not)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ..accounts.models import HOUSEHOLD_EDITORS, May, has_role_for, visible_units
from ..accounts.privacy import disclosure
from ..areas import area_choices, chosen_area
from ..households.models import Household
from ..program.models import LivelihoodModel, area_unit_ids
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
    found = disclosure(user).households(Support.objects.filter(
        household__commune__in=area_unit_ids(unit), given_on__year=year), May.READ,
        prefix="household__").select_related("household", "member", "livelihood_model")
    kind = request.GET.get("kind", "")
    if kind:
        found = found.filter(kind=kind)
    page = Paginator(found, 100).get_page(request.GET.get("page"))
    return render(request, "support/list.html", {
        "unit": unit, "year": year, "units": area_choices(user), "page": page,
        "kinds": kind_choices(), "kind": kind, "form": form if can_record else None})


@login_required
def eligible_list(request):
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
    return render(request, "support/eligible.html", {
        "unit": unit, "units": area_choices(request.user), "benefit": benefit,
        "rows": rows[:2000], "count": len(rows), "rule": rule,
        "benefits": [(key, kinds.get(r["kind"], key)) for key, r in rules.items()],
        "title": _("Newly escaped households whose continued benefits end within 3 months")
        if benefit == "closing" else kinds.get(rule["kind"], benefit)})
