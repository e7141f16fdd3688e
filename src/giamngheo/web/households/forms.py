from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from ... import household as contract
from .models import Household, Member, PovertyCause, choices

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
UNKNOWN_YES_NO = [("", _("not recorded")), ("true", _("yes")), ("false", _("no"))]


class TriStateField(forms.TypedChoiceField):
    """yes / no / not recorded: an absent answer makes an indicator unknown, not "no"."""

    def __init__(self, **kwargs):
        super().__init__(choices=UNKNOWN_YES_NO, coerce=lambda v: v == "true",
                         empty_value=None, required=False, **kwargs)


class HouseholdForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    has_dwelling = TriStateField(label=_("has a dwelling"))
    uses_internet = TriStateField(label=_("a member uses internet"))
    devices = forms.MultipleChoiceField(label=_("information devices"), required=False,
                                        choices=choices(contract.DEVICES),
                                        widget=forms.CheckboxSelectMultiple)
    poverty_causes = forms.MultipleChoiceField(label=_("causes of poverty"), required=False,
                                               choices=PovertyCause.choices,
                                               widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Household
        fields = ["code", "commune", "hamlet", "area", "address", "phone", "farm_household",
                  "poverty_causes", "income_monthly_per_capita", "income_annual_total",
                  "income_b1_score", "has_dwelling", "walls", "frame", "roof",
                  "floor_area_m2", "water_source", "latrine", "uses_internet", "devices",
                  "notes", "status", "left_on"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2}), "left_on": DATE}

    GROUPS = [
        (_("Household"), ["code", "commune", "hamlet", "area", "address", "phone",
                          "farm_household", "poverty_causes", "notes", "status", "left_on"]),
        (_("Income (one evidence)"), ["income_monthly_per_capita", "income_annual_total",
                                      "income_b1_score"]),
        (_("Dwelling, water, sanitation, information"), [
            "has_dwelling", "walls", "frame", "roof", "floor_area_m2", "water_source",
            "latrine", "uses_internet", "devices"]),
    ]

    def groups(self):
        return [(legend, [self[name] for name in names]) for legend, names in self.GROUPS]

    def __init__(self, *args, communes=None, **kwargs):
        super().__init__(*args, **kwargs)
        if communes is not None:
            self.fields["commune"].queryset = communes
            self.fields["hamlet"].queryset = self.fields["hamlet"].queryset.filter(
                parent__in=communes)
        self.fields["status"].required = False  # a new household lives in the commune
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["code"].disabled = True


    def clean_status(self):
        return self.cleaned_data.get("status") or Household.Status.ACTIVE


class MemberForm(forms.ModelForm):
    health_insurance = TriStateField(label=_("has health insurance"))
    in_education = TriStateField(label=_("in school or training now"))
    unable_to_work = TriStateField(label=_("unable to work (long illness...)"))
    stunted = TriStateField(label=_("stunted"))
    underweight = TriStateField(label=_("underweight"))

    class Meta:
        model = Member
        fields = ["position", "full_name", "id_number", "relation", "birth_date", "sex",
                  "ethnicity", "employment", "health_insurance", "education", "in_education",
                  "school_level", "disability", "unable_to_work", "social_allowance",
                  "workplace_trained", "stunted", "underweight", "left_on"]
        widgets = {"birth_date": DATE, "left_on": DATE}


MemberFormSet = inlineformset_factory(Household, Member, form=MemberForm, extra=1,
                                      can_delete=False)
