from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "giamngheo.web.reviews"
    label = "reviews"
    verbose_name = _("Household reviews")

    def ready(self) -> None:
        from . import figures  # noqa: F401  (connects the refresh to lists_changed)
