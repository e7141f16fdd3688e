from django import forms
from django.utils.translation import gettext_lazy as _

from ...cells import CellError, parse_int
from ...messages import text
from ..households.forms import DayField
from ..households.models import current_lang
from .models import Activity, AssignedTarget, EnteredValue, Funding, LivelihoodModel, Task


class DongField(forms.IntegerField):
    """Whole đồng typed the way officers write them: 1.500.000, 1,500,000 or 1500000; a
    decimal amount is refused, never rounded."""

    widget = forms.TextInput(attrs={"inputmode": "numeric"})

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return parse_int(str(value))
        except CellError as error:
            raise forms.ValidationError(text(error.key, current_lang(), **error.fields)) \
                from None


class AreaForm(forms.ModelForm):
    """A form whose unit is one of ``units`` (those the user may act on)."""

    unit_field = "unit"

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields[self.unit_field].queryset = units


class AssignedTargetForm(AreaForm):
    class Meta:
        model = AssignedTarget
        fields = ["target", "unit", "year", "value", "baseline", "baseline_date", "decision"]
        field_classes = {"baseline_date": DayField}


class EnteredValueForm(AreaForm):
    class Meta:
        model = EnteredValue
        fields = ["target", "unit", "as_of", "achieved", "of", "note"]
        field_classes = {"as_of": DayField}


class ActivityForm(AreaForm):
    class Meta:
        model = Activity
        fields = ["content", "unit", "name", "project", "held_on", "events", "participants",
                  "officers_trained", "note"]
        field_classes = {"held_on": DayField}
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


class FundingForm(forms.ModelForm):
    allocated = DongField(label=_("allocated (đồng)"), min_value=0, initial=0)
    disbursed = DongField(label=_("disbursed (đồng)"), min_value=0, initial=0)
    settled = DongField(label=_("settled (đồng)"), min_value=0, initial=0)

    class Meta:
        model = Funding
        fields = ["source", "on", "allocated", "disbursed", "settled"]
        field_classes = {"on": DayField}


class LivelihoodModelForm(AreaForm):
    unit_field = "commune"

    class Meta:
        model = LivelihoodModel
        fields = ["commune", "name", "project", "started_on", "ended_on", "description"]
        field_classes = {"started_on": DayField, "ended_on": DayField}
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class ParticipantForm(forms.Form):
    code = forms.CharField(label=_("household code"), max_length=40)
    joined_on = DayField(label=_("joined on"))


class TaskForm(forms.ModelForm):
    class Meta:
        model = Task
        fields = ["owner", "status", "done_on"]
        field_classes = {"done_on": DayField}

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["owner"].queryset = people
        self.fields["owner"].label_from_instance = lambda u: u.get_full_name() or u.username
