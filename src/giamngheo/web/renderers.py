"""Form widgets rendered by Jinja2 (Django's own widget templates, 3-4 times faster: the edit
page of a household renders hundreds of options); a template only Django's engine has (the
admin's widgets) is rendered by it. Our ``jinja2/`` folder comes before Django's: its
select.html writes the options in place."""

from pathlib import Path

import django.forms
from django.forms.renderers import DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist
from django.utils.functional import cached_property

OVERRIDES = Path(__file__).resolve().parent / "jinja2"


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
