"""Form widgets rendered by Jinja2 (Django's own widget templates, 3-4 times faster: the edit
page of a household renders hundreds of options); a template only Django's engine has (the
admin's widgets) is rendered by it. Our ``jinja2/`` folder comes before Django's: its
select.html writes the options in place.

The widgets of the household form (inputs, selects, boxes, text areas and labels: some 350 a
page) and the field groups holding them are written by ``WRITERS`` in Python instead: the very
text those Jinja2 templates write (``tests/web/test_form_renderer.py`` compares them), without a
template's context, lookups and includes for each of them; its selects by ``WrittenSelect``."""

from collections.abc import Callable
from pathlib import Path

import django.forms
from django.forms.renderers import DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from markupsafe import escape

OVERRIDES = Path(__file__).resolve().parent / "jinja2"


def _attrs(attrs: dict) -> str:
    """attrs.html: `` name="value"`` each, a name alone for True, nothing for False."""
    return "".join("" if value is False else f" {escape(name)}" if value is True
                   else f' {escape(name)}="{escape(value)}"' for name, value in attrs.items())


def _input(widget: dict) -> str:
    value = widget["value"]
    return (f'<input type="{escape(widget["type"])}" name="{escape(widget["name"])}"'
            f'{"" if value == None else f" value={chr(34)}{escape(value)}{chr(34)}"}'  # noqa: E711 (as the template compares)
            f'{_attrs(widget["attrs"])}>')


def _input_option(widget: dict) -> str:
    if not widget.get("wrap_label"):
        return _input(widget)
    id_ = widget["attrs"].get("id")
    return (f'<label{f" for={chr(34)}{escape(id_)}{chr(34)}" if id_ else ""}>'
            f'{_input(widget)} {escape(widget["label"])}</label>')


def _option(widget: dict) -> str:
    return (f'<option value="{escape(widget["value"])}"{_attrs(widget["attrs"])}>'
            f'{escape(widget["label"])}</option>')


def _select(context: dict) -> str:
    widget = context["widget"]
    parts = [f'<select name="{escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{escape(group_name)}">')
        for option in group_choices:
            if option["template_name"] != WIDGETS + "select_option.html":
                raise TemplateDoesNotExist(option["template_name"])
            parts.append("\n  " + _option(option))
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _multiple_input(context: dict) -> str:
    widget = context["widget"]
    id_, class_ = widget["attrs"].get("id"), widget["attrs"].get("class")
    parts = [f'<div{f" id={chr(34)}{escape(id_)}{chr(34)}" if id_ else ""}'
             f'{f" class={chr(34)}{escape(class_)}{chr(34)}" if class_ else ""}>']
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f"\n  <div><label>{escape(group)}</label>")
        for option in options:
            if option["template_name"] not in OPTION_WRITERS:
                raise TemplateDoesNotExist(option["template_name"])
            parts.append(f"<div>\n    {OPTION_WRITERS[option['template_name']](option)}</div>")
        if group:
            parts.append("\n  </div>")
    parts.append("\n</div>")
    return "".join(parts)


def _textarea(context: dict) -> str:
    widget = context["widget"]
    return (f'<textarea name="{escape(widget["name"])}"{_attrs(widget["attrs"])}>\n'
            f'{escape(widget["value"]) if widget["value"] else ""}</textarea>')


def _label(context: dict) -> str:
    label = escape(context["label"])
    if not context["use_tag"]:
        return str(label)
    tag, attrs = escape(context["tag"]), context["attrs"]
    return f"<{tag}{_attrs(attrs) if attrs else ''}>{label}</{tag}>"


def _field_group(context: dict) -> str:
    """households/field.html: a field's label, help, widget and problems."""
    field = context["field"]
    errors = field.errors
    invalid = " invalid" if errors else ""
    problems = f'<p class="error">{" ".join(escape(e) for e in errors)}</p>' if errors else ""
    helps = (f'<small class="help" id="{escape(field.auto_id)}_helptext">'
             f'{escape(field.help_text)}</small>') if field.help_text else ""
    if field.use_fieldset:
        return (f'<fieldset class="field wide{invalid}" id="{escape(field.auto_id)}_field">\n'
                f"  <legend>{escape(field.label)}</legend>{helps}\n  {escape(field)}\n"
                f"  {problems}\n</fieldset>")
    widget_class = type(field.field.widget)
    if widget_class not in _WIDGET_TYPES:
        _WIDGET_TYPES[widget_class] = field.widget_type
    widget_type = _WIDGET_TYPES[widget_class]
    if widget_type == "checkbox":
        return (f'<div class="field check{invalid}">\n  {escape(field)} {_label_tag(field)}\n'
                f"  {problems}\n</div>")
    wide = " wide" if widget_type == "textarea" else ""
    return (f'<div class="field{wide}{invalid}">\n  {_label_tag(field)}{helps}\n'
            f"  {escape(field)}\n  {problems}\n</div>")


_WIDGET_TYPES: dict[type, str] = {}  # BoundField.widget_type (a regular expression) by class


def _label_tag(field) -> str:
    """``field.label_tag()``, which ``_label`` writes: for a form of ours (no label suffix, no
    CSS class for required fields, Django's label template), written here without building
    its context and asking the renderer; for any other, Django's."""
    form, widget = field.form, field.field.widget
    suffix = field.field.label_suffix if field.field.label_suffix is not None \
        else form.label_suffix
    if suffix or hasattr(form, "required_css_class") or not isinstance(
            form.renderer, FastFormRenderer) or form.template_name_label != LABEL:
        return field.label_tag()
    label = escape(field.label)
    id_ = widget.attrs.get("id") or field.auto_id
    if not id_:
        return str(label).strip()  # as the renderer strips what it writes
    for_ = widget.id_for_label(id_)
    return f'<label for="{escape(for_)}">{label}</label>' if for_ else f"<label>{label}</label>"


WIDGETS = "django/forms/widgets/"
LABEL = "django/forms/label.html"
OPTION_WRITERS: dict[str, Callable[[dict], str]] = {
    WIDGETS + "checkbox_option.html": _input_option, WIDGETS + "radio_option.html": _input_option,
    WIDGETS + "input_option.html": _input_option}
WRITERS: dict[str, Callable[[dict], str]] = {
    **{f"{WIDGETS}{kind}.html": lambda context: _input(context["widget"]) for kind in (
        "input", "text", "number", "email", "url", "password", "hidden", "date", "time",
        "datetime", "checkbox", "search", "tel", "color")},
    WIDGETS + "select.html": _select, WIDGETS + "checkbox_select.html": _multiple_input,
    WIDGETS + "radio.html": _multiple_input, WIDGETS + "multiple_input.html": _multiple_input,
    WIDGETS + "textarea.html": _textarea, LABEL: _label,
    "households/field.html": _field_group,
}


class WrittenSelect(django.forms.Select):
    """Django's select of one choice among ungrouped choices, written straight from its
    choices when ``FastFormRenderer`` renders it: the text of ``_select`` (Django's template,
    tested), without the dictionary Django builds for each option (a household's page has
    some 60 selects and 400 options). The options of the choices it was made with (a form
    class's, shared by the forms copied from it: ``FieldsCopiedLightly``) are written once
    per language, not escaped and translated again for each page; choices given later are
    written each time. Any other renderer or grouped choices: Django's way."""

    def __init__(self, attrs=None, choices=()):
        super().__init__(attrs, choices)
        self.kept = (self.choices, {})  # its first choices, and their options by language

    def render(self, name, value, attrs=None, renderer=None):
        if not isinstance(renderer, FastFormRenderer):
            return super().render(name, value, attrs, renderer)
        kept, by_language = self.kept
        if self.choices is kept:
            language = get_language()
            if language not in by_language:
                by_language[language] = _written_options(kept)
            options = by_language[language]
        else:
            options = _written_options(self.choices)
        if options is None:  # grouped options
            return super().render(name, value, attrs, renderer)
        chosen, found = self.format_value(value), False
        parts = [f'<select name="{escape(name)}"{_attrs(self.build_attrs(self.attrs, attrs))}>']
        for text, option, selected in options:
            if not found and text in chosen:  # the first one only
                found = True
                parts.append(selected)
            else:
                parts.append(option)
        parts.append("\n</select>")
        return mark_safe("".join(parts))


def _written_options(choices) -> list[tuple[str, str, str]] | None:
    """(value as text, option, option selected) of each of a select's choices; None if some
    are grouped."""
    options = []
    for value, label in choices:
        if isinstance(label, list | tuple):  # a group of options
            return None
        value = "" if value is None else value
        start, end = f'\n  <option value="{escape(value)}"', f">{escape(label)}</option>"
        options.append((str(value), start + end, f"{start} selected{end}"))
    return options


class FastFormRenderer(Jinja2):
    fallback = DjangoTemplates()

    @cached_property
    def engine(self):
        return self.backend({
            "APP_DIRS": True, "NAME": "djangoforms", "OPTIONS": {},
            "DIRS": [OVERRIDES, Path(django.forms.__file__).parent / self.backend.app_dirname]})

    def get_template(self, template_name):
        try:
            return super().get_template(template_name)
        except TemplateDoesNotExist:
            return self.fallback.get_template(template_name)

    def render(self, template_name, context, request=None):
        writer = WRITERS.get(template_name)
        if writer is None:
            return super().render(template_name, context, request)
        try:
            return writer(context).strip()
        except TemplateDoesNotExist:  # an option of a template not written here
            return super().render(template_name, context, request)
