from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalysisConfig(AppConfig):
    name = "giamngheo.web.analysis"
    label = "analysis"
    verbose_name = _("Analysis: another standard, the support plan")
