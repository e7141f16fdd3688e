from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from giamngheo.web.units.loading import (
    BUNDLED,
    UnitDataError,
    load_units_file,
    load_units_table,
)


class Command(BaseCommand):
    help = ("Load administrative units: a GSO-style JSON with reorganisations (default: Tân "
            "Phú, Đồng Nai) or a CSV/XLSX list (code, name, kind, parent_code, valid_from, "
            "valid_until).")

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(BUNDLED))

    def handle(self, *args, file: str, **options):
        try:
            loader = load_units_file if Path(file).suffix == ".json" else load_units_table
            created = loader(file)
        except (OSError, ValueError, KeyError, UnitDataError) as exc:
            raise CommandError(f"{file}: {exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"{created} units created from {file}"))
