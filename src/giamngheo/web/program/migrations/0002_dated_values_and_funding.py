"""Entered values become counts on a date (so that an area adds up what it and every unit below
recorded, and a report as of 30 June takes what was known then); each funding line gets the
date its money was recorded for. Existing rows: a value of V % becomes V of 100, counted on 31
December of its year; a funding line takes its activity's date or its model's start."""

import datetime

from django.db import migrations, models


def fill(apps, schema_editor):
    EnteredValue = apps.get_model("program", "EnteredValue")
    for value in EnteredValue.objects.all():
        value.achieved, value.of = round(value.value), 100
        value.as_of = datetime.date(value.year, 12, 31)
        value.save(update_fields=["achieved", "of", "as_of"])
    Funding = apps.get_model("program", "Funding")
    for line in Funding.objects.select_related("activity", "livelihood_model"):
        line.on = line.activity.held_on if line.activity_id else \
            line.livelihood_model.started_on
        line.save(update_fields=["on"])


class Migration(migrations.Migration):

    dependencies = [
        ("program", "0001_initial"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="enteredvalue", name="value_entered_once"),
        *[migrations.AddField(model_name=model, name=name, field=field)
          for model in ("enteredvalue", "historicalenteredvalue")
          for name, field in (
              ("achieved", models.PositiveIntegerField(null=True)),
              ("of", models.PositiveIntegerField(null=True)),
              ("as_of", models.DateField(null=True)))],
        *[migrations.AddField(model_name=model, name="on", field=models.DateField(null=True))
          for model in ("funding", "historicalfunding")],
        migrations.RunPython(fill, migrations.RunPython.noop),
        *[migrations.AlterField(model_name=model, name=name, field=field)
          for model in ("enteredvalue", "historicalenteredvalue")
          for name, field in (
              ("achieved", models.PositiveIntegerField(
                  help_text="How many were reached (officers trained, workers counselled...).",
                  verbose_name="achieved")),
              ("of", models.PositiveIntegerField(
                  help_text="How many the target is about (officers, workers who need it...).",
                  verbose_name="out of")),
              ("as_of", models.DateField(help_text="The day the figures were counted.",
                                         verbose_name="as of")))],
        *[migrations.AlterField(model_name=model, name="on", field=models.DateField(
            help_text="The day the money was allocated, disbursed or settled: a report as of "
                      "30 June counts the lines up to that day.", verbose_name="recorded for"))
          for model in ("funding", "historicalfunding")],
        migrations.AddConstraint(
            model_name="enteredvalue",
            constraint=models.UniqueConstraint(fields=("plan_id", "target", "unit", "as_of"),
                                               name="value_entered_once_a_day")),
    ]
