"""The parts of the household's edit form repeated group by group and member by member (some
105 field groups a page: the household's and each member's, and the empty member the page's
script copies), written by Python instead of the template's loops and includes: the very
text ``households/edit.html`` and ``households/_member.html`` wrote
(``tests/web/test_form_fragments.py`` compares them), without a template's context, lookups
and tags for each field. Values are escaped as the templates escaped them (Django's
``conditional_escape``); a field group is the text of its ``as_field_group``."""

from __future__ import annotations

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext


def field_groups(fields) -> str:
    """The field groups of ``fields`` one after the other: ``field.as_field_group()`` each
    (its renderer's text of its template, as ``BoundField.render`` asks for it)."""
    return "".join(field.renderer.render(field.template_name, field.get_context())
                   for field in fields)


def household_groups(form, household) -> SafeString:
    """The household's groups of fields, each in its card; the one of the household itself
    with, for a household on record, the fields of its leaving the commune."""
    parts = []
    for key, legend, fields in form.groups():
        leaving = ""
        if key == "household" and household:
            opened = " open" if household.left_on or form["status"].errors \
                or form["left_on"].errors else ""
            leaving = (f"\n    <details{opened}>\n      <summary>"
                       f"{conditional_escape(gettext('The household left the commune'))}"
                       f'</summary>\n      <div class="fields">{field_groups(form.leaving())}'
                       f"</div>\n    </details>\n    ")
        parts.append(f'\n  <fieldset class="card" id="group-{conditional_escape(key)}"><legend>'
                     f"{conditional_escape(legend)}</legend>\n"
                     f'    <div class="fields">{field_groups(fields)}</div>\n    {leaving}\n'
                     f"  </fieldset>\n  ")
    return mark_safe("".join(parts))  # every value above is escaped or a field group


def member_block(member, number: int | str) -> SafeString:
    """One member's card: number and name, hidden fields, groups of fields; for a saved
    member the date of leaving, for a new one the box not to add them."""
    instance = member.instance
    name = (f' <span class="who">—\n    {conditional_escape(instance.full_name)}</span>'
            if instance.pk else "")
    groups = "".join(
        f"\n  {f'<h3>{conditional_escape(legend)}</h3>' if legend else ''}\n"
        f'  <div class="fields">{field_groups(fields)}</div>\n  '
        for _key, legend, fields in member.groups())
    if instance.pk:
        left_on = member["left_on"]
        opened = " open" if instance.left_on or left_on.errors or left_on.value() else ""
        end = (f"\n  <details{opened}>\n    <summary>"
               f"{conditional_escape(gettext('This member left the household'))}</summary>\n"
               f'    <div class="fields">{field_groups([left_on])}</div>\n  </details>\n  ')
    else:
        delete = field_groups([member["DELETE"]]) if "DELETE" in member.fields else ""
        end = f'\n  <div class="actions">{delete}</div>\n  '
    return mark_safe(  # every value is escaped or a field group
        f'<fieldset class="card member{" left" if instance.left_on else ""}" '
        f'id="member-{conditional_escape(number)}">\n'
        f"  <legend>{conditional_escape(gettext('Member'))} "
        f'<span class="number">{conditional_escape(number)}</span>{name}</legend>\n'
        f"  {''.join(conditional_escape(hidden) for hidden in member.hidden_fields())}\n"
        f"  {groups}\n  {end}\n</fieldset>\n")


def member_blocks(members) -> SafeString:
    """Every member's card, numbered from 1."""
    return mark_safe("".join(member_block(member, number)
                             for number, member in enumerate(members, start=1)))
