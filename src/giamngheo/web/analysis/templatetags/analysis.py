"""Labels of the analysis pages: kinds of support, funding sources, objectives, stages."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

from ...households.models import current_lang
from ..forms import OBJECTIVE_LABELS, OBJECTIVE_SHORT, kind_label
from ..plans import source_label

register = template.Library()
STAGES = {"records": _("Reading the poor households from the registry"),
          "classify": _("Classifying every combination of supports"),
          "solve": _("Choosing the supports"),
          "verify": _("Classifying the supported households again"),
          "compare": _("Comparing with today's rule"),
          "tradeoff": _("Solving for the other objectives"),
          "marginal": _("Value of one more billion per source"),
          "done": _("Done")}


@register.filter
def support_kind(code: str) -> str:
    return kind_label(code)


@register.filter
def funding_source(code: str) -> str:
    return source_label(code)


@register.filter
def objective_label(code: str) -> str:
    return OBJECTIVE_LABELS.get(code, code)


@register.filter
def objective_short(code: str) -> str:
    return OBJECTIVE_SHORT.get(code, code)


@register.filter
def gap_percent(gap) -> str:
    """A relative gap (0.0123) as a percentage with two decimals (1,23%)."""
    text = f"{100 * float(gap or 0):.2f}"
    return f"{text.replace('.', ',') if current_lang() == 'vi' else text}%"


@register.filter
def stage_label(code: str) -> str:
    return STAGES.get(code, code)


@register.filter
def percent(value) -> str:
    """12,5% (Vietnamese decimal comma)."""
    if value is None:
        return "—"
    text = f"{float(value):.1f}"
    return f"{text.replace('.', ',') if current_lang() == 'vi' else text}%"
