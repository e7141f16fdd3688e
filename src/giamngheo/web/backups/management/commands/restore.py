from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ...archive import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup folder into an empty database (and the uploaded files)."

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path, help="a folder written by backup")

    def handle(self, *args, source: Path, **options):
        try:
            counts = restore(source)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{len(counts)} tables, {sum(counts.values()):,} rows restored")
