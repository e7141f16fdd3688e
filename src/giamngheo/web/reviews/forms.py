import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from ...rules.parameters import default_registry
from ..households.forms import DayField
from ..households.models import Household
from .models import Complaint, Decision, Posting, Request, Review, ReviewEntry, VillageMeeting


class ReviewForm(forms.ModelForm):
    standard_id = forms.ChoiceField(
        label=_("poverty standard"), choices=(), required=False,
        help_text=_("By default, the standard in force for the lists the review decides (an "
                    "annual review: on 1 January of the lists' year)."))

    class Meta:
        model = Review
        fields = ["commune", "kind", "period_year", "reference_date", "standard_id"]
        field_classes = {"reference_date": DayField}

    def __init__(self, *args, communes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["standard_id"].choices = [("", _("the standard in force for the lists"))] \
            + [(s.id, s.name["vi"]) for s in default_registry() if s.kind == "national"]
        if communes is not None:
            self.fields["commune"].queryset = communes


    def clean(self):
        data = super().clean()
        if not data.get("standard_id") and data.get("reference_date"):
            data["standard_id"] = Review.default_standard(
                data["reference_date"], data.get("kind", ""), data.get("period_year"))
            if data["standard_id"] is None:
                self.add_error("standard_id", _("No national standard is in force then."))
        return data


class HamletField(forms.ModelChoiceField):
    """A hamlet chosen by its name (the form names its commune and day)."""

    def label_from_instance(self, obj) -> str:
        return obj.name


class MeetingForm(forms.ModelForm):
    class Meta:
        model = VillageMeeting
        fields = ["hamlet", "held_on", "chaired_by", "attendees", "agreed", "minutes"]
        field_classes = {"held_on": DayField, "hamlet": HamletField}
        widgets = {"minutes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, review=None, **kwargs):
        super().__init__(*args, **kwargs)
        if review is not None:
            day = self._meeting_day(review)
            hamlets = review.commune.children.filter(level="hamlet")
            field = self.fields["hamlet"]
            field.queryset = hamlets.filter(pk__in=hamlets.valid_on(day).values("pk"))
            field.empty_label = None  # a meeting is held in a hamlet: nothing to leave empty

    def _meeting_day(self, review) -> dt.date:
        """The day whose hamlets are offered: the meeting's (typed, or recorded), else today
        while the commune is in force, else its last day."""
        if self.is_bound:
            try:
                typed = self.fields["held_on"].clean(self.data.get(self.add_prefix("held_on")))
            except forms.ValidationError:
                typed = None  # the date's own error says why
            if typed:
                return typed
        elif self.instance.held_on:
            return self.instance.held_on
        today = dt.date.today()
        end = review.commune.valid_until
        return min(today, end) if end else today


class PostingForm(forms.ModelForm):
    class Meta:
        model = Posting
        fields = ["start", "end", "places"]
        field_classes = {"start": DayField, "end": DayField}


class DecisionForm(forms.ModelForm):
    class Meta:
        model = Decision
        fields = ["number", "signed_on", "signed_by"]
        field_classes = {"signed_on": DayField}


class HouseholdCodeField(forms.CharField):
    """A household of the given queryset, entered by its code."""

    def __init__(self, households=None, **kwargs):
        super().__init__(label=_("household code"), max_length=40, **kwargs)
        self.households = households if households is not None else Household.objects.none()

    def clean(self, value):
        code = super().clean(value).strip()
        household = self.households.filter(code=code).first()
        if household is None:
            raise forms.ValidationError(_("No household with this code in your area."))
        return household


class RequestForm(forms.ModelForm):
    class Meta:
        model = Request
        fields = ["form", "asks", "filed_on", "filed_by", "note"]
        field_classes = {"filed_on": DayField}
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, households=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"household": HouseholdCodeField(households), **self.fields}

    def save(self, commit=True):
        self.instance.household = self.cleaned_data["household"]
        return super().save(commit)


class ComplaintForm(forms.ModelForm):
    class Meta:
        model = Complaint
        fields = ["filed_on", "filed_by", "content"]
        field_classes = {"filed_on": DayField}
        widgets = {"content": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, households=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"household": HouseholdCodeField(households), **self.fields}


class RecheckForm(forms.Form):
    complaint = forms.IntegerField(widget=forms.HiddenInput)
    rechecked_on = DayField(label=_("re-checked on"))
    finding = forms.CharField(label=_("finding of the re-check"),
                              widget=forms.Textarea(attrs={"rows": 2}))


class AddHouseholdForm(forms.Form):
    """Step 1: one household the commune adds to the review, by its code."""

    def __init__(self, *args, households=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"] = HouseholdCodeField(households)


class WithdrawForm(forms.Form):
    """Take a listed household off the review, with the reason."""

    reason = forms.ChoiceField(label=_("reason"), choices=ReviewEntry.Withdrawn.choices)
    on = DayField(label=_("since"), help_text=_(
        "The day it left the commune (or the day it was found it cannot be surveyed)."))
    note = forms.CharField(label=_("note"), required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2}))
