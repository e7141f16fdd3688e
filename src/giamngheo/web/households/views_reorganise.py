"""The administrator's page applying a reorganisation of the units to the registry: the
bundled change sets or a province's file, a dry run first, then applying it."""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..accounts.models import Role, roles_of
from ..units.loading import BUNDLED, UnitDataError
from .reorganisation import apply_change_set, flagged_assignments

MAX_BYTES = 1024 * 1024  # a province's change set is a few kilobytes


class ChangeSetForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("change set (JSON, same format as the bundled "
                                              "file)"), required=False,
                           help_text=gettext_lazy("Empty: the bundled changes of Tân Phú "
                                                  "(1/11/2024 and 1/7/2025)."))

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is None:
            return json.loads(BUNDLED.read_text(encoding="utf-8"))
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 1 MB."))
        try:
            data = json.loads(upload.read().decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise forms.ValidationError(_("Not a JSON change set: %(error)s") % {
                "error": exc}) from None
        if not isinstance(data, dict) or "province" not in data:
            raise forms.ValidationError(_("Not a change set: no province."))
        return data


@login_required
def reorganise(request):
    if Role.ADMINISTRATOR not in roles_of(request.user):
        raise PermissionDenied
    form = ChangeSetForm(request.POST or None, request.FILES or None)
    plan = None
    if request.method == "POST" and form.is_valid():
        apply = "apply" in request.POST
        try:
            plan = apply_change_set(form.cleaned_data["file"], user=request.user,
                                    dry_run=not apply)
        except (UnitDataError, KeyError, TypeError, ValueError) as exc:
            form.add_error("file", _("The change set cannot be applied: %(error)s") % {
                "error": exc})
        else:
            if apply:
                messages.success(request, _("Applied: %(n)s households moved.") % {
                    "n": plan.households})
                return redirect("households:reorganise")
    return render(request, "households/reorganise.html", {
        "form": form, "plan": plan,
        "assignments": plan.assignments if plan else flagged_assignments()})
