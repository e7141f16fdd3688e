from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ...archive import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into a folder, with a manifest."

    def add_arguments(self, parser):
        parser.add_argument("target", type=Path, help="the folder to write the backup in")

    def handle(self, *args, target: Path, **options):
        try:
            folder = backup(target)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(str(folder))
