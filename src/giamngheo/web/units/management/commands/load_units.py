from django.core.management.base import BaseCommand, CommandError

from giamngheo.web.units.loading import BUNDLED, UnitDataError, load_units_file


class Command(BaseCommand):
    help = "Load administrative units and their reorganisations (default: Tân Phú, Đồng Nai)."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(BUNDLED))

    def handle(self, *args, file: str, **options):
        try:
            created = load_units_file(file)
        except (OSError, ValueError, KeyError, UnitDataError) as exc:
            raise CommandError(f"{file}: {exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"{created} units created from {file}"))
