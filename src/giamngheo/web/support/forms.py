from django import forms
from django.utils.translation import gettext_lazy as _

from ..households.forms import DayField
from ..program.forms import DongField
from .models import Support


class SupportForm(forms.ModelForm):
    code = forms.CharField(label=_("household code"), max_length=40)
    member_position = forms.IntegerField(
        label=_("member (number in the household)"), min_value=1, required=False,
        help_text=_("Empty when the support went to the whole household."))
    amount = DongField(label=_("amount (đồng)"), min_value=0, required=False)

    class Meta:
        model = Support
        fields = ["code", "member_position", "kind", "given_on", "amount", "source", "project",
                  "addresses", "livelihood_model", "note"]
        field_classes = {"given_on": DayField}
