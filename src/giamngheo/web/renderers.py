"""Form widgets rendered by Jinja2 (Django's own widget templates, 3-4 times faster: the edit
page of a household renders hundreds of options); a template only Django's engine has (the
admin's widgets) is rendered by it."""

from django.forms.renderers import DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist


class FastFormRenderer(Jinja2):
    fallback = DjangoTemplates()

    def get_template(self, template_name):
        try:
            return super().get_template(template_name)
        except TemplateDoesNotExist:
            return self.fallback.get_template(template_name)
