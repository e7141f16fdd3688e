from django import forms
from django.utils.translation import gettext_lazy as _

from ...rules.parameters import default_registry
from .models import Decision, Posting, Review, VillageMeeting

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReviewForm(forms.ModelForm):
    standard_id = forms.ChoiceField(label=_("poverty standard"), choices=())

    class Meta:
        model = Review
        fields = ["commune", "kind", "period_year", "reference_date", "standard_id"]
        widgets = {"reference_date": DATE}

    def __init__(self, *args, communes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["standard_id"].choices = [
            (s.id, s.name["vi"]) for s in default_registry() if s.kind == "national"]
        if communes is not None:
            self.fields["commune"].queryset = communes


class MeetingForm(forms.ModelForm):
    class Meta:
        model = VillageMeeting
        fields = ["hamlet", "held_on", "chaired_by", "attendees", "agreed", "minutes"]
        widgets = {"held_on": DATE, "minutes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, review=None, **kwargs):
        super().__init__(*args, **kwargs)
        if review is not None:
            self.fields["hamlet"].queryset = review.commune.children.filter(level="hamlet")


class PostingForm(forms.ModelForm):
    class Meta:
        model = Posting
        fields = ["start", "end", "places", "complaints"]
        widgets = {"start": DATE, "end": DATE, "complaints": forms.Textarea(attrs={"rows": 3})}


class DecisionForm(forms.ModelForm):
    class Meta:
        model = Decision
        fields = ["number", "signed_on", "signed_by"]
        widgets = {"signed_on": DATE}
