"""The support plan's form: budgets per funding source and the kinds each pays for, unit
costs, objective, priority groups and, for an area above a commune, each commune's cap and
floor. Money is whole đồng written the officers' way (1.500.000)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ...allocation.options import PRIORITY_GROUPS
from ...allocation.solve import OBJECTIVES
from ...allocation.supports import KIND_CODES, KINDS, default_funding, load_costs
from ...messages import format_int
from ...plans import label
from ..households.models import current_lang
from ..program.forms import DongField
from ..program.models import taxonomy

OBJECTIVE_LABELS = {
    "lifted": _("Most households out of poverty"),
    "m0": _("Largest fall of the multidimensional poverty index M0 (favours households just "
            "above the cut-off)"),
    "most_deprived": _("Priority to the most deprived (deprivations removed where they are "
                       "most numerous)"),
}
OBJECTIVE_SHORT = {"lifted": _("Most households lifted"), "m0": _("Largest fall of M0"),
                   "most_deprived": _("The most deprived first")}
GROUP_LABELS = {"group_b": _("Poor households of group B (nobody can work)"),
                "ethnic_minority": _("Ethnic minority households"),
                "children": _("Households with children")}


def kind_label(kind: str) -> str:
    usual = taxonomy().support_kinds.get(KINDS[kind].program_kind, {})
    return label(usual, current_lang()) if usual else kind


class PlanForm(forms.Form):
    year = forms.IntegerField(label=_("support planned for the year"), min_value=2000,
                              max_value=2100)
    objective = forms.ChoiceField(label=_("objective"), widget=forms.RadioSelect,
                                  choices=[(k, OBJECTIVE_LABELS[k]) for k in OBJECTIVES],
                                  initial="lifted")

    def __init__(self, *args, communes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.communes = list(communes)
        kinds = [(k, kind_label(k)) for k in KIND_CODES]
        funding = default_funding()
        for code, labels in taxonomy().funding_sources.items():
            self.fields[f"budget_{code}"] = DongField(
                label=label(labels, current_lang()), min_value=0, required=False)
            self.fields[f"kinds_{code}"] = forms.MultipleChoiceField(
                label=_("pays for"), choices=kinds, required=False,
                widget=forms.CheckboxSelectMultiple, initial=funding.get(code, []))
        costs = load_costs()
        for kind in KIND_CODES:
            self.fields[f"cost_{kind}"] = DongField(label=kind_label(kind), min_value=1,
                                                    initial=format_int(costs[kind]))
        for group in PRIORITY_GROUPS:
            self.fields[f"weight_{group}"] = forms.DecimalField(
                label=_("counts as"), min_value=1, max_value=10, decimal_places=1,
                initial=1, widget=forms.NumberInput(attrs={"step": "0.5"}))
            self.fields[f"min_{group}"] = forms.IntegerField(
                label=_("at least lifted"), min_value=0, initial=0)
        for commune in self.communes:
            self.fields[f"cap_{commune.pk}"] = DongField(label=_("at most (đồng)"),
                                                          min_value=0, required=False)
            self.fields[f"floor_{commune.pk}"] = forms.IntegerField(
                label=_("at least lifted"), min_value=0, required=False)

    def sources(self):
        """(code, label, budget field, kinds field) for the template."""
        return [(code, label(labels, current_lang()), self[f"budget_{code}"],
                 self[f"kinds_{code}"]) for code, labels in taxonomy().funding_sources.items()]

    def cost_rows(self):
        costs = load_costs()
        lang = current_lang()
        return [(self[f"cost_{k}"], costs.shown[k][lang], costs.verified[k], costs.sources[k])
                for k in KIND_CODES]

    def group_rows(self):
        return [(GROUP_LABELS[g], self[f"weight_{g}"], self[f"min_{g}"])
                for g in PRIORITY_GROUPS]

    def commune_rows(self):
        return [(c, self[f"cap_{c.pk}"], self[f"floor_{c.pk}"]) for c in self.communes]

    def clean(self):
        data = super().clean()
        sources = {}
        for code in taxonomy().funding_sources:
            budget = data.get(f"budget_{code}") or 0
            kinds = data.get(f"kinds_{code}") or []
            if budget and not kinds:
                self.add_error(f"kinds_{code}", _("Say which kinds of support this money pays "
                                                  "for."))
            if budget:
                sources[code] = {"budget": budget, "kinds": kinds}
        if not sources:
            raise forms.ValidationError(_("Give the money of at least one funding source."))
        data["request"] = {
            "objective": data.get("objective"),
            "sources": sources,
            "costs": {k: data[f"cost_{k}"] for k in KIND_CODES if data.get(f"cost_{k}")},
            "priorities": [{"group": g, "weight": float(data.get(f"weight_{g}") or 1),
                            "min_lifted": data.get(f"min_{g}") or 0}
                           for g in PRIORITY_GROUPS
                           if (data.get(f"weight_{g}") or 1) != 1 or data.get(f"min_{g}")],
            "communes": {str(c.pk): {"max_cost": data.get(f"cap_{c.pk}"),
                                     "min_lifted": data.get(f"floor_{c.pk}")}
                         for c in self.communes if data.get(f"cap_{c.pk}") is not None
                         or data.get(f"floor_{c.pk}")},
        }
        return data
