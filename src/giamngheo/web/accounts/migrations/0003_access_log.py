from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """The export log becomes the access log (views and exports); its rows are kept."""

    dependencies = [
        ("accounts", "0002_exportlog"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameModel("ExportLog", "AccessLog"),
        migrations.AddField(
            model_name="accesslog",
            name="action",
            field=models.CharField(choices=[("view", "viewed"), ("export", "exported")],
                                   default="export", max_length=6, verbose_name="action"),
        ),
        migrations.AlterModelOptions(
            name="accesslog",
            options={"ordering": ["-at"], "verbose_name": "access to personal data",
                     "verbose_name_plural": "accesses to personal data"},
        ),
        migrations.AddIndex(
            model_name="accesslog",
            index=models.Index(fields=["user", "at"], name="accounts_ac_user_id_41127d_idx"),
        ),
    ]
