"""Filters for a target's progress and a household's movement, as the reports word them."""

from django import template

from ....plans import label
from ...households.models import current_lang
from ...reviews.statuses import MOVEMENT_LABELS
from ..progress import Progress, actual_text, state_text, target_text

register = template.Library()


@register.filter
def target_goal(line: Progress) -> str:
    return target_text(line.target)


@register.filter
def target_result(line: Progress) -> str:
    return actual_text(line)


@register.filter
def target_light(line: Progress) -> str:
    return state_text(line)


@register.filter
def movement_label(movement: str | None) -> str:
    if movement is None:
        return "—"
    return str(MOVEMENT_LABELS.get(movement, movement))


@register.filter
def target_label(line: Progress) -> str:
    return label(line.target.label, current_lang())
