"""The household form's widgets written by our select.html (options in place) are the very
text Django's own Jinja2 widget templates write."""

from __future__ import annotations

import pytest
from django import forms
from django.forms.renderers import Jinja2

from giamngheo.web.households.forms import HouseholdForm, MemberFormSet
from giamngheo.web.households.models import Household
from giamngheo.web.renderers import FastFormRenderer, WrittenSelect
from giamngheo.web.units.models import AdministrativeUnit as Unit

from .factories import make_household


class Choices(forms.Form):
    plain = forms.ChoiceField(choices=[("", "—"), ("a", "A & B"), ("b", "<b>")])
    grouped = forms.ChoiceField(choices=[("x", "X"), ("Nhóm", [("y", "Ý"), ("z", "Z\"")])],
                                widget=forms.Select(attrs={"disabled": True, "data-x": False}))
    several = forms.MultipleChoiceField(choices=[("1", "một"), ("2", "hai"), ("3", "ba")])
    ticks = forms.MultipleChoiceField(choices=[("1", "một"), ("2", "hai")],
                                      widget=forms.CheckboxSelectMultiple)


def rendered(forms_, renderer) -> list[str]:
    """Every field of ``forms_`` with its label, help and errors, as the page shows it."""
    for form in forms_:
        form.renderer = renderer  # the widgets' and labels' renderer
    # the field group's: a bound field keeps the renderer its form had when it was first made
    return [field.render(renderer=renderer) for form in forms_ for field in form]


def test_selects_render_as_django_writes_them():
    form = Choices({"plain": "a", "grouped": "y", "several": ["1", "3"], "ticks": ["2"]})
    ours = rendered([form], FastFormRenderer())
    assert ours == rendered([form], Jinja2())
    assert '<option value="a" selected>A &amp; B</option>' in ours[0]
    assert '<optgroup label="Nhóm">' in ours[1]


@pytest.mark.django_db
def test_household_form_renders_as_django_writes_it(place):
    commune, hamlet = place
    household = make_household(commune, hamlet, "TL-1", 1_000_000, deprived=True)
    household = Household.objects.get(pk=household.pk)
    communes = Unit.objects.filter(level="commune")
    form = HouseholdForm(instance=household, communes=communes)
    members = MemberFormSet(instance=household)
    every = [form, *members.forms, members.empty_form]
    ours = rendered(every, FastFormRenderer())
    assert len(ours) > 50 and sum(text.count("<option") for text in ours) > 200
    assert ours == rendered(every, Jinja2())


class Others(forms.Form):
    required_css_class = "needed"
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), initial="a < b & \"c\"")
    empty = forms.CharField(widget=forms.Textarea, required=False)
    one = forms.ChoiceField(choices=[("1", "một"), ("2", "<hai>")], widget=forms.RadioSelect)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date", "data-x": "'q'"}))
    tick = forms.BooleanField(required=False, initial=True)
    count = forms.IntegerField(min_value=0, label="Số <người>")


def test_inputs_labels_and_boxes_render_as_django_writes_them():
    unbound, bound = Others(), Others({"note": "x\r\ny", "one": "3", "count": "-1"})
    for form in (unbound, bound):
        ours = rendered([form], FastFormRenderer())
        assert ours == rendered([form], Jinja2())
        # the label and the widget of each field, the problems of the bound form
        assert all("<label" in text for text in ours if 'type="hidden"' not in text)
    assert 'class="needed"' in rendered([bound], FastFormRenderer())[0]
    assert "a &lt; b &amp; &#34;c&#34;" in rendered([unbound], FastFormRenderer())[0]


@pytest.mark.django_db
def test_household_form_with_problems_renders_as_django_writes_it(place):
    commune, hamlet = place
    household = make_household(commune, hamlet, "TL-1", 1_000_000, deprived=True)
    communes = Unit.objects.filter(level="commune")
    form = HouseholdForm({"commune": str(commune.pk), "walls": "<script>", "version": "x"},
                         instance=household, communes=communes)
    members = MemberFormSet({"members-TOTAL_FORMS": "1", "members-INITIAL_FORMS": "0",
                             "members-0-full_name": "Lê <Thị> Hoa",
                             "members-0-birth_date": "31/02/1990"}, instance=household)
    assert not form.is_valid() and not members.is_valid()
    every = [form, *members.forms]
    ours = rendered(every, FastFormRenderer())
    assert sum('class="error"' in text for text in ours) >= 2
    assert ours == rendered(every, Jinja2())


@pytest.mark.parametrize("choices, value, attrs", [
    ([("", "—"), ("a", "A & B"), ("b", "<b>")], "a", {"id": "x", "required": True}),
    ([("", "—"), ("a", "A"), ("a", "A again")], "a", {}),  # only the first is selected
    ([(None, "none"), (1, "một"), (2, "hai")], 2, {"disabled": True, "data-x": False}),
    ([(1, "một"), (2, "hai")], None, {"aria-describedby": 'q"'}),
    ([("x", "X"), ("Nhóm", [("y", "Ý"), ("z", 'Z"')])], "y", {}),  # grouped: Django's way
])
def test_written_selects_are_djangos_selects(choices, value, attrs):
    ours = WrittenSelect(attrs={"class": "c"}, choices=choices)
    django_s = forms.Select(attrs={"class": "c"}, choices=choices)
    assert ours.render("f", value, dict(attrs), FastFormRenderer()) == \
        django_s.render("f", value, dict(attrs), Jinja2()) == \
        ours.render("f", value, dict(attrs), Jinja2())


class Plain(forms.Form):
    name = forms.CharField(label=" Tên <đệm> ", help_text="Họ & tên")
    tick = forms.BooleanField(required=False, label="Đồng ý?")
    day = forms.DateField(widget=forms.DateInput(attrs={"id": "own-id"}))


@pytest.mark.parametrize("kwargs", [{"auto_id": False, "label_suffix": ""},
                                    {"label_suffix": ""}, {"label_suffix": ":"}, {}])
def test_labels_written_straight_are_djangos(kwargs):
    """Labels of a form without ids, with a widget's own id, with and without a suffix."""
    for form in (Plain(**kwargs), Plain({"name": "", "day": "x"}, **kwargs)):
        for field in form:
            field.field.template_name = "households/field.html"
        assert rendered([form], FastFormRenderer()) == rendered([form], Jinja2())
