"""The household form: one household and its members on one page, typed the way Vietnamese
officers write (1.500.000 đ, 02/03/1985), checked by the core's validation of the record
(``household.household_problems``) with every problem shown next to its field.

Loading a household into the form and posting it back untouched gives the same values: a
yes/no/not-recorded answer, an amount, a date, the devices (a set: "none" is an answer, no
box ticked is "not recorded") all render as they parse.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from decimal import Decimal

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist
from django.db.models import F
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.forms.widgets import ChoiceWidget
from django.utils.functional import lazy
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ... import household as contract
from ... import record
from ...cells import CellError, parse_date, parse_decimal, parse_int
from ...messages import format_int, text
from ..renderers import WrittenSelect
from .models import (
    DECLARED,
    Household,
    Member,
    PovertyCause,
    choices,
    current_lang,
    field_label,
    present_members,
)

OPTIONAL_FIELDS = tuple(f for f in record.HOUSEHOLD_FIELDS if f.only_when_used)
FIELD_TEMPLATE = "households/field.html"  # Jinja2, as the widgets (hundreds on a page)
UNKNOWN_YES_NO = [("", _("not recorded")), ("true", _("yes")), ("false", _("no"))]
DATE_HINT = _("dd/mm/yyyy")
lazy_field_label = lazy(field_label, str)  # in the language of the page that shows it


class TriStateField(forms.TypedChoiceField):
    """yes / no / not recorded: an absent answer makes an indicator unknown, not "no"."""

    def __init__(self, **kwargs):
        super().__init__(choices=UNKNOWN_YES_NO, coerce=lambda v: v is True or v == "true",
                         empty_value=None, required=False, **kwargs)

    def prepare_value(self, value):
        """The stored True/False as the option values "true"/"false" (not "True")."""
        return {True: "true", False: "false", None: ""}.get(value, value)


def _numeric_input(**attrs) -> forms.TextInput:
    """A text field with the phone's number pad: type=number refuses 1.500.000."""
    return forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", **attrs})


class ParsedField:
    """A field typed as text and read by a parser of ``giamngheo.cells`` (the one reading of
    Vietnamese numbers and dates, the Excel import's): ``parse`` gives the value of type
    ``parsed``, or raises ``CellError``, which is this field's "invalid" message."""

    parsed: type

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, self.parsed):
            return value
        try:
            return self.parse(str(value))
        except CellError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") \
                from None

    def widget_attrs(self, widget):
        return {}  # no min/max/step attributes: the browser would judge a text it cannot read


class MoneyField(ParsedField, forms.IntegerField):
    """Whole đồng, written 1.500.000, 1,500,000, 1500000 or 1.500.000 đ."""

    parsed = int
    widget = _numeric_input()
    default_error_messages = {"invalid": _("Enter an amount in đồng, e.g. 1.500.000.")}

    def __init__(self, **kwargs):
        super().__init__(min_value=0, max_value=contract.MAX_AMOUNT, **kwargs)

    def parse(self, text: str) -> int:
        return parse_int(text)

    def prepare_value(self, value):
        return format_int(value, current_lang()) if isinstance(value, int) else value


class DecimalTextField(ParsedField, forms.DecimalField):
    """A decimal written with a comma (36,5) or a point (36.5), shown with a comma in
    Vietnamese."""

    parsed = Decimal
    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def parse(self, text: str) -> Decimal:
        return Decimal(str(parse_decimal(text)))

    def prepare_value(self, value):
        if not isinstance(value, Decimal):
            return value
        shown = format(value.normalize(), "f")
        return shown.replace(".", ",") if current_lang() == "vi" else shown


class DayField(ParsedField, forms.DateField):
    """A date typed as dd/mm/yyyy (also d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy, ddmmyyyy or ISO),
    in a text field showing that format: never the browser's date picker, whose order
    follows the browser's language."""

    parsed = dt.date
    widget = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": DATE_HINT,
                                                      "autocomplete": "off", "size": 10})
    default_error_messages = {"invalid": _("Enter the date as dd/mm/yyyy, e.g. 02/03/1985.")}

    def parse(self, text: str) -> dt.date:
        typed = re.sub(r"\s+", "/", text.strip())
        if re.fullmatch(r"\d{8}", typed):
            typed = f"{typed[:2]}/{typed[2:4]}/{typed[4:]}"
        if not re.fullmatch(r"\d{1,2}[/.\-]\d{1,2}[/.\-]\d{4}|\d{4}-\d{2}-\d{2}", typed):
            raise CellError("cell.not_date")  # not a 2-digit year, not a spreadsheet serial
        return parse_date(typed)


class IdNumberField(forms.CharField):
    """A CCCD number: 12 digits, spaces allowed while typing; never cut short (no
    ``maxlength``): a 13-digit number is refused with a message, not truncated."""

    widget = _numeric_input(autocomplete="off")

    def to_python(self, value):
        return re.sub(r"[\s.\-]", "", super().to_python(value) or "")

    def validate(self, value):
        super().validate(value)
        if value and not value.isdigit():
            raise forms.ValidationError(_("An ID number has digits only."), code="digits")
        if value and len(value) != 12:
            raise forms.ValidationError(
                _("An ID number has exactly 12 digits; %(count)s were typed."),
                code="length", params={"count": len(value)})


NONE_OF_THEM = "none"


class _Ticked(list):
    """Boxes as posted: an empty list is no box ticked, not the answer "no device"."""


class DevicesField(forms.MultipleChoiceField):
    """The household's devices: a set in the record's order. "No device" is an answer
    ([]); no box ticked is "not recorded" (None), which makes the indicator unknown."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(choices=[(NONE_OF_THEM, _("no device at all")),
                                  *choices(contract.DEVICES)], required=False, **kwargs)

    def clean(self, value):
        ticked = super().clean(value)
        if not ticked:
            return None
        if NONE_OF_THEM in ticked:
            if len(ticked) > 1:
                raise forms.ValidationError(_("Tick either “no device at all” or the devices, "
                                              "not both."), code="none_and_devices")
            return []
        return [d for d in contract.DEVICES if d in ticked]

    def bound_data(self, data, initial):
        return _Ticked(data or [])

    def prepare_value(self, value):
        if isinstance(value, _Ticked) or value is None:
            return list(value or [])
        return list(value) or [NONE_OF_THEM]


class FieldsCopiedLightly(dict):
    """A form class's fields, copied for each form built from it as Django's
    ``Field.__deepcopy__`` does (the field, its widget and the widget's attributes, messages
    and validators), except that choices (pairs of a value and a lazily translated label,
    never changed in place: a form assigns new choices) are copied as a list, not pair by pair
    and normalised again: a page with five members builds some 170 choice fields."""

    def __deepcopy__(self, memo):
        copies = {}
        for name, field in self.items():
            if isinstance(field, forms.ModelChoiceField):  # its queryset is copied too
                copies[name] = copy.deepcopy(field, memo)
                continue
            copied = copies[name] = copy.copy(field)
            widget = copied.widget = copy.copy(field.widget)
            widget.attrs = field.widget.attrs.copy()
            if isinstance(widget, ChoiceWidget) and not isinstance(widget, WrittenSelect):
                widget._choices = copy.copy(field.widget._choices)  # a written select's are
                # shared: its options are written once per language (``WrittenSelect``)
            if isinstance(field, forms.ChoiceField):
                copied._choices = copy.copy(field._choices)
            copied.error_messages = field.error_messages.copy()
            copied.validators = field.validators[:]
        return copies


class RegistryForm(forms.ModelForm):
    """Labels above their fields (capitalised, no colon): a record field's as declared
    (record.py, ``models.field_label``), the same as in the workbook, the questionnaire and
    the history; an unanswered list says so. The labels, templates and blank choices are set
    once per form class (the labels translated when shown), not for every form built."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        if "_labelled" not in type(self).__dict__:
            type(self)._label_fields()
        super().__init__(*args, **kwargs)

    @classmethod
    def _label_fields(cls) -> None:
        model = cls._meta.model
        declared = DECLARED[model._meta.model_name]
        for name, field in cls.base_fields.items():
            field.template_name = FIELD_TEMPLATE
            field.label = lazy_field_label(model, name) if name in declared \
                else capfirst(field.label)
            blank = _("— choose —") if field.required else _("not recorded")
            if isinstance(field, forms.ModelChoiceField):
                field.empty_label = blank
            elif isinstance(field, forms.ChoiceField) and not isinstance(
                    field, forms.MultipleChoiceField | TriStateField) and field.choices \
                    and field.choices[0][0] == "":
                field.choices = [("", blank), *field.choices[1:]]
            if type(field.widget) is forms.Select:  # the same select, written by Python
                plain = field.widget
                field.widget = WrittenSelect(attrs=plain.attrs, choices=plain.choices)
                field.widget.is_required = plain.is_required
        cls.base_fields = FieldsCopiedLightly(cls.base_fields)
        cls._labelled = True


class HouseholdForm(RegistryForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # a record field's label is its declaration's (RegistryForm)
    has_dwelling = TriStateField()
    uses_internet = TriStateField()
    devices = DevicesField()
    poverty_causes = forms.MultipleChoiceField(label=_("causes of poverty"), required=False,
                                               choices=PovertyCause.choices,
                                               widget=forms.CheckboxSelectMultiple)
    income_monthly_per_capita = MoneyField(required=False)
    income_annual_total = MoneyField(required=False)
    income_b1_score = DecimalTextField(required=False, max_digits=7, decimal_places=2,
                                       min_value=0)
    floor_area_m2 = DecimalTextField(required=False, max_digits=8, decimal_places=1,
                                     min_value=0)
    left_on = DayField(label=_("left on"), required=False)

    class Meta:
        model = Household
        fields = ["code", "commune", "hamlet", "area", "address", "phone", "farm_household",
                  "poverty_causes", "income_monthly_per_capita", "income_annual_total",
                  "income_b1_score", "has_dwelling", "walls", "frame", "roof",
                  "floor_area_m2", "water_source", "latrine", "waste_disposal",
                  "uses_internet", "devices", "notes", "status", "left_on"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2}),
                   "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"})}

    GROUPS = [
        ("household", _("Household"), ["code", "commune", "hamlet", "area", "address", "phone",
                                       "farm_household", "poverty_causes", "notes"]),
        ("income", _("Income (one evidence)"), ["income_monthly_per_capita",
                                                "income_annual_total", "income_b1_score"]),
        ("dwelling", _("Dwelling, water, sanitation"), [
            "has_dwelling", "walls", "frame", "roof", "floor_area_m2", "water_source",
            "latrine", "waste_disposal"]),
        ("information", _("Information"), ["uses_internet", "devices"]),
    ]
    LEAVING = ["status", "left_on"]

    def groups(self):
        return [(key, legend, [self[name] for name in names if name in self.fields])
                for key, legend, names in self.GROUPS]

    def leaving(self):
        return [self[name] for name in self.LEAVING]

    def __init__(self, *args, communes=None, asked: set[str] | None = None, **kwargs):
        """``asked``: the optional fields (``record.Field.only_when_used``) to ask, by path;
        one already answered is shown too. A field not shown (or not in a posted page, which
        was shown without it) keeps its stored value."""
        super().__init__(*args, **kwargs)
        for f in OPTIONAL_FIELDS:
            shown = asked is None or f.path in asked or getattr(self.instance, f.name, "")
            if not shown or (self.is_bound and f.name not in self.data):
                del self.fields[f.name]
        if communes is not None:
            self.fields["commune"].queryset = communes
            self.fields["hamlet"].queryset = self.fields["hamlet"].queryset.filter(
                parent__in=communes).order_by("name")
        self.fields["hamlet"].label_from_instance = lambda unit: unit.name
        self.fields["commune"].label_from_instance = lambda unit: unit.name
        self.fields["status"].required = False  # a new household lives in the commune
        self.fields["code"].help_text = _("Proposed: the commune's next number. It may be "
                                          "changed.")
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["code"].disabled = True
            self.fields["code"].help_text = ""

    def clean_commune(self):
        """The household's own commune as the view read it (with its province, which the
        record names) when it stays in it; another is the one this field found."""
        commune = self.cleaned_data["commune"]
        if commune is not None and commune.pk == self.instance.commune_id:
            return self.instance.commune
        return commune

    def _get_validation_exclusions(self):
        """What the model's validation would only ask the database again: whether the commune
        and hamlet chosen exist and are a commune and a hamlet (this form's fields found
        them among such units: ``limit_choices_to`` is in their querysets), and whether the
        code of a household on record, which the form does not let change, is unique."""
        exclude = super()._get_validation_exclusions() | {"commune", "hamlet"}
        if self.fields["code"].disabled:
            exclude.add("code")
        return exclude

    def clean_status(self):
        return self.cleaned_data.get("status") or Household.Status.ACTIVE

    def clean_notes(self):
        return self.cleaned_data["notes"].replace("\r\n", "\n")  # browsers send CR LF


class MemberForm(RegistryForm):
    id_number = IdNumberField(label=_("ID number (CCCD)"), required=False)
    # a record field's label is its declaration's (RegistryForm)
    birth_date = DayField()
    health_insurance = TriStateField()
    in_education = TriStateField()
    unable_to_work = TriStateField()
    stunted = TriStateField()
    underweight = TriStateField()
    left_on = DayField(label=_("left the household on"), required=False)

    class Meta:
        model = Member
        fields = ["full_name", "relation", "sex", "birth_date", "id_number", "ethnicity",
                  "employment", "health_insurance", "disability", "unable_to_work",
                  "social_allowance", "education", "in_education", "school_level",
                  "workplace_trained", "stunted", "underweight", "left_on"]

    GROUPS = [
        ("person", None, ["full_name", "relation", "sex", "birth_date", "id_number",
                          "ethnicity"]),
        ("work", _("Work and health"), ["employment", "health_insurance", "disability",
                                        "unable_to_work", "social_allowance"]),
        ("school", _("Education"), ["education", "in_education", "school_level",
                                    "workplace_trained"]),
        ("children", _("Children under 16: nutrition"), ["stunted", "underweight"]),
    ]

    def groups(self):
        return [(key, legend, [self[name] for name in names])
                for key, legend, names in self.GROUPS]


class SavedMemberField(forms.ModelChoiceField):
    """The hidden number of a saved member, read among the household's members the formset
    has already fetched (Django's field asks the database once for each member), so a
    member of another household is not one of its choices."""

    def __init__(self, queryset, *, saved: dict[str, Member], **kwargs):
        super().__init__(queryset, **kwargs)
        self.saved = saved

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if str(value) not in self.saved:
            raise forms.ValidationError(self.error_messages["invalid_choice"],
                                        code="invalid_choice", params={"value": value})
        return self.saved[str(value)]


class BaseMemberFormSet(BaseInlineFormSet):
    """The members in their order (those who left last); a new member's form may be dropped
    before it is saved, a saved member is never deleted: they leave on a date."""

    def get_queryset(self):
        if not hasattr(self, "_in_order"):  # one query: the forms index into its results
            self._in_order = super().get_queryset().order_by(
                F("left_on").asc(nulls_first=True), "position", "pk")
        return self._in_order

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if not hasattr(self, "_saved"):
            self._saved = {str(member.pk): member for member in self.get_queryset()}
        form.fields["id"] = SavedMemberField(self.get_queryset(), saved=self._saved, **{
            name: getattr(form.fields["id"], name) for name in ("initial", "required",
                                                                  "widget")})
        if index is not None and index < self.initial_form_count():
            del form.fields["DELETE"]
        elif "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Do not add this member")
            form.fields["DELETE"].template_name = FIELD_TEMPLATE

    def _should_delete_form(self, form):
        return form.instance.pk is None and super()._should_delete_form(form)

    def entered(self) -> list[MemberForm]:
        """The forms holding a member: saved ones, and new ones filled in and kept."""
        return [f for f in self.forms if f.instance.pk is not None
                or (f.has_changed() and not self._should_delete_form(f))]

    def number_new_members(self) -> None:
        """New members come after every saved one (those who left too), in the page's
        order; the saved keep their place."""
        last = max([f.instance.position for f in self.initial_forms] + [0])
        for form in self.entered():
            if form.instance.pk is None:
                last += 1
                form.instance.position = last


MAX_MEMBERS = 50  # a posted form count is never believed beyond this
MemberFormSet = inlineformset_factory(Household, Member, form=MemberForm,
                                      formset=BaseMemberFormSet, extra=0, can_delete=True,
                                      max_num=MAX_MEMBERS, absolute_max=MAX_MEMBERS,
                                      validate_max=True)


# Where a problem of the record (its path, docs/record-format.md) is shown on the form.
RECORD_FIELDS = {
    "id": "code", "area": "area", "province_code": "commune", "commune_code": "commune",
    "income": "income_monthly_per_capita",
    "income.monthly_per_capita": "income_monthly_per_capita",
    "income.annual_total": "income_annual_total", "income.b1_score": "income_b1_score",
    "dwelling": "has_dwelling", "dwelling.floor_area_m2": "floor_area_m2",
    **{f"dwelling.{name}": name for name in ("walls", "frame", "roof", "water_source",
                                             "latrine", "waste_disposal")},
    "information": "uses_internet", "information.uses_internet": "uses_internet",
    "information.devices": "devices",
}
MEMBER_FIELD = re.compile(r"members\[(\d+)\]\.(\w+)")


def problem_message(key: str, fields: dict) -> str:
    """A problem of the record in the words of the form (the field is beside it): no code
    names, the reference date being today."""
    wording = {
        "age_over_max": _("Aged %(age)s: over %(max)s years. Check the year of birth."),
        "only_if_true": _("Give the school level only for a member in school or training "
                          "now."),
        "nutrition_adult": _("Only for children under %(limit)s (this member is %(age)s)."),
        "no_members": _("Enter at least one member."),
        "negative": _("Must not be negative."),
        "too_large": _("Too large (at most %(max)s)."),
        "birth_after_reference": _("The date of birth is after today."),
        "income_one_of": _("Give one income evidence: the monthly income per person, the "
                           "12-month total or the B1 score."),
    }
    if key == "head_count":
        return gettext("Mark one member as the head of the household.") if not \
            fields["count"] else gettext("A household has one head: %(count)s members are "
                                         "marked as head.") % fields
    if key in wording:
        return str(wording[key]) % fields
    if key == "scorecard":
        return fields["message"]
    return text(key, current_lang(), **fields)


def check_record(form: HouseholdForm, members: BaseMemberFormSet, on: dt.date) -> None:
    """Run the core's validation of the household record built from the form as it would be
    saved, and put each problem on its field: ``members[2].birth_date`` beside the third
    member's date of birth. Fields the form could not read are already marked; a member
    missing a required answer is left out (and the household-level count of heads with it)."""
    if any(name in form.errors for name in ("commune", "area")):
        return
    household = form.instance
    members.number_new_members()
    entered = members.entered()
    complete = [f for f in entered if f.instance.relation and f.instance.sex
                and f.instance.birth_date and "left_on" not in f.errors]
    instances = [f.instance for f in complete]
    form_of = {id(f.instance): f for f in complete}
    present = present_members(instances, None)
    record = household.to_record(on, members=instances, as_typed=True)
    for path, key, fields in contract.household_problems(record):
        if path.startswith("income") and not record["income"]:
            continue  # registered before its income is known: incomplete, not wrong
        message = problem_message(key, fields)
        if match := MEMBER_FIELD.match(path):
            member_form = form_of[id(present[int(match.group(1))])]
            name = match.group(2) if match.group(2) in member_form.fields else None
            if message not in member_form.errors.get(name or NON_FIELD_ERRORS, []):
                member_form.add_error(name, message)  # once, if the model said it too
        elif path == "members":
            if len(complete) < len(entered):
                continue  # a member still lacks an answer: counted once it is given
            if key != "head_count":
                form.add_error(None, message)
                continue
            heads = [f for f in complete if f.instance.relation == "head"]
            for member_form in heads or complete[:1]:
                member_form.add_error("relation", message)
        else:
            name = RECORD_FIELDS.get(re.sub(r"\[\d+\]$", "", path))
            form.add_error(name if name in form.fields else None, message)


def problems_in_words(household: Household, on: dt.date) -> list[str]:
    """The problems of the household's record on ``on`` as the household page lists them:
    "Thành viên 3 (K' Sang) — Ngày sinh: ...", never a path of the record."""
    present = present_members(household.members.all(), on)
    record = household.to_record(on, members=present)
    words = []
    for path, key, fields in contract.household_problems(record):
        message = problem_message(key, fields)
        if match := MEMBER_FIELD.match(path):
            number = int(match.group(1))
            name = _named(Member, match.group(2))
            who = gettext("Member %(number)s") % {"number": number + 1} + \
                f" ({present[number].full_name})"
            words.append(f"{who} — {name}: {message}" if name else f"{who}: {message}")
        else:
            name = _named(Household, RECORD_FIELDS.get(re.sub(r"\[\d+\]$", "", path), ""))
            words.append(f"{name}: {message}" if name else message)
    return words


def _named(model, name: str) -> str | None:
    """The label of a registry field as the form shows it; None for a name it has not."""
    try:
        return field_label(model, name)
    except FieldDoesNotExist:
        return None
