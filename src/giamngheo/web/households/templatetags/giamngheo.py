"""Template helpers: labels from the core catalogue, money and dates the Vietnamese way."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ....messages import format_int, label
from ....rules.parameters import default_registry
from .. import form_fragments
from ..models import current_lang

register = template.Library()
CLASSIFICATIONS = {
    "poor": _("Poor"), "near_poor": _("Near-poor"), "average": _("Average living standard"),
    "not_poor": _("Not poor"), "incomplete": _("Incomplete data"), "rejected": _("Rejected"),
    "newly_escaped": _("Newly escaped poverty"), "undecided": _("Without a decision"),
    "": _("Without a decision"),
}


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def classification_label(value: str) -> str:
    return CLASSIFICATIONS.get(value, value)


@register.filter
def value_label(value: str, field: str = "") -> str:
    return label(value, current_lang(), field or None)


@register.filter
def money(value) -> str:
    """1.500.000 đ"""
    if value is None:
        return "—"
    return f"{format_int(int(value), 'vi' if current_lang() == 'vi' else 'en')} đ"


@register.filter
def number(value) -> str:
    """1.234 (a whole number with the separators of the language)."""
    if value in (None, ""):
        return "—"
    return format_int(int(value), "vi" if current_lang() == "vi" else "en")


@register.filter
def is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


@register.filter
def cell(value) -> str:
    """A table cell: whole numbers with separators (1.500.000), decimals with a comma."""
    if not is_number(value):
        return value
    lang = "vi" if current_lang() == "vi" else "en"
    if isinstance(value, int) or float(value).is_integer():
        return format_int(int(value), lang)
    text = f"{value:,.2f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".") if lang == "vi" else text


@register.filter
def indicator_label(code: str, standard_id: str) -> str:
    try:
        standard = default_registry().get(standard_id)
    except (KeyError, ValueError):
        return code
    indicator = next((i for i in standard.indicators if i.code == code), None)
    return indicator.label[current_lang()] if indicator else code


@register.filter
def reason_text(reason: str, standard_id: str) -> str:
    """A reason of the engine ("housing_quality: 2 of the 3 ...") with the indicator's label
    in place of its code: "Chất lượng nhà ở: 2 trong 3 ..."."""
    code, sep, rest = reason.partition(": ")
    if not sep:
        return reason
    if code == "income":
        income = gettext("Income")
        return f"{income}: {rest}"
    label = indicator_label(code, standard_id)
    return f"{label}: {rest}" if label != code else reason


@register.filter
def standard_name(standard_id: str) -> str:
    """vn-2022-2025 → Chuẩn nghèo đa chiều 2022-2025 (NĐ 07/2021/NĐ-CP), from its parameter
    file."""
    try:
        return default_registry().get(standard_id).display_name(current_lang())
    except (KeyError, ValueError):
        return standard_id


@register.filter
def late_on(request, day) -> bool:
    """Whether a request (form No. 04) was past its deadline without an answer on ``day``."""
    return request.late(day)


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters changed (for pagination links)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params[key] = value
    return params.urlencode()


# the dashboard's bars: an SVG of 100 units per bar, stretched to the line's width; numbers
# as text with a dot, never localised (SVG needs "12.5", not "12,5")
@register.filter
def bar_width(percent: float) -> str:
    return f"{max(0.0, min(100.0, float(percent or 0))):.1f}"


@register.simple_tag(takes_context=True)
def id_number(context, member, household=None) -> str:
    """The member's ID number whole or masked, as the user may see it on the household's unit
    (``accounts.privacy``)."""
    from ...accounts.privacy import disclosure

    return disclosure(context["request"].user).id_number(member, household)


@register.simple_tag(takes_context=True)
def household_link(context, household) -> str:
    """The household's code, a link to its page where the user may open it (the one rule of
    ``accounts.privacy``: a role reading households on its own unit), else the code as text: a
    district monitor reads the old reviews of a commune whose households are now in a commune
    of today, which they may not open."""
    from django.urls import reverse
    from django.utils.html import format_html

    from ...accounts.models import May
    from ...accounts.privacy import disclosure

    if disclosure(context["request"].user).allows(May.READ, household):
        return format_html('<a href="{}">{}</a>', reverse("households:detail",
                                                          args=[household.code]),
                           household.code)
    return household.code


# the edit form's groups and members, written by Python (``households.form_fragments``)
register.simple_tag(form_fragments.household_groups)
register.simple_tag(form_fragments.member_blocks)
register.simple_tag(form_fragments.member_block)
