from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from ...archive import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup folder into an empty database (and the uploaded files)."

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path, help="a folder written by backup")

    def handle(self, *args, source: Path, **options):
        translation.activate(settings.LANGUAGE_CODE)  # Vietnamese first, here too
        try:
            counts = restore(source)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(_("%(tables)s tables, %(rows)s rows restored.") % {
            "tables": len(counts), "rows": sum(counts.values())})
