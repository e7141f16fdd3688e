"""The national-scale SYNTHETIC registry the speed scripts run on: Django set up on
DATABASE_URL, migrated, holding at least the households asked for (``giamngheo manage
generate_households`` adds the missing ones: 10,000-household communes of a made-up province),
each commune's closed reviews with their figures stored."""

from __future__ import annotations

import os
import tempfile


def national_registry(households: int):
    """The synthetic province, once the database holds ``households`` households."""
    os.environ.setdefault("GIAMNGHEO_DATA_DIR", tempfile.mkdtemp())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "giamngheo.web.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from giamngheo.web.households.models import Household
    from giamngheo.web.scale import PROVINCE_CODE
    from giamngheo.web.units.models import AdministrativeUnit

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0)
    from giamngheo.web.reviews.figures import refresh_figures
    from giamngheo.web.reviews.models import ReviewFigures

    missing = households - Household.objects.count()
    if missing > 0:
        call_command("generate_households", missing)
    province = AdministrativeUnit.objects.get(level="province", code=PROVINCE_CODE)
    # the figures of each closed review, stored as closing it does (the reports read them)
    stored = set(ReviewFigures.objects.values_list("commune_id", flat=True))
    for commune in province.communes():
        if commune.pk not in stored:
            refresh_figures(commune)
    return province
