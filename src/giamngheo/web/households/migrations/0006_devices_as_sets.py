"""A household's devices and causes of poverty are sets, kept in the order of their lists
(the record's devices: tv, radio, ..., feature phone) without repeats: what the form, the
import and the API now write. Lists stored before are put in that shape, so that a household
loaded into the edit form and saved untouched stays as it was."""

from django.db import migrations

from giamngheo.household import DEVICES  # the contract's fixed list

CAUSES = ("no_land", "no_capital", "no_labour", "no_tools", "no_know_how", "no_skills",
          "illness", "other")


def _in_order(values, known):
    return [v for v in known if v in values] + \
        [v for v in dict.fromkeys(values) if v not in known]


def as_sets(apps, schema_editor):
    Household = apps.get_model("households", "Household")
    changed = []
    for household in Household.objects.only("pk", "devices", "poverty_causes") \
            .iterator(chunk_size=5000):
        before = (household.devices, household.poverty_causes)
        for name, known in (("devices", DEVICES), ("poverty_causes", CAUSES)):
            values = getattr(household, name)
            if isinstance(values, list):
                setattr(household, name, _in_order(values, known))
        if (household.devices, household.poverty_causes) != before:
            changed.append(household)
        if len(changed) >= 5000:
            Household.objects.bulk_update(changed, ["devices", "poverty_causes"])
            changed = []
    Household.objects.bulk_update(changed, ["devices", "poverty_causes"])


class Migration(migrations.Migration):

    dependencies = [
        ("households", "0005_commune_code_index"),
    ]

    operations = [migrations.RunPython(as_sets, migrations.RunPython.noop)]
