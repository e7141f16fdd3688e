from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from ...archive import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into a folder, with a manifest."

    def add_arguments(self, parser):
        parser.add_argument("target", type=Path, help="the folder to write the backup in")

    def handle(self, *args, target: Path, **options):
        translation.activate(settings.LANGUAGE_CODE)  # Vietnamese first, here too
        try:
            folder = backup(target)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(str(folder))
