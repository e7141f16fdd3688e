import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from giamngheo.web.households.reorganisation import apply_change_set
from giamngheo.web.units.loading import BUNDLED, UnitDataError

MAX_BYTES = 2 * 1024 * 1024  # a province's change set is a few kilobytes


class Command(BaseCommand):
    help = ("Apply a reorganisation of the administrative units to the registry (default: "
            "the bundled Tân Phú changes of 2024-11 and 2025-07): households move to the "
            "successor commune and hamlet; --dry-run shows what would move and keeps nothing.")

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(BUNDLED))
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, file: str, dry_run: bool, **options):
        path = Path(file)
        try:
            if path.stat().st_size > MAX_BYTES:
                raise CommandError(f"{file}: larger than {MAX_BYTES // 1024} KB")
            plan = apply_change_set(json.loads(path.read_text(encoding="utf-8")),
                                    dry_run=dry_run)
        except (OSError, ValueError, KeyError, UnitDataError) as exc:
            raise CommandError(f"{file}: {exc}") from exc
        for flow in plan.flows:
            self.stdout.write(
                f"{flow.effective:%d/%m/%Y} {flow.source.name} ({flow.source.code}) → "
                f"{flow.target.name} ({flow.target.code}): {flow.households} households, "
                f"{flow.members} members, {flow.open_requests} open requests, "
                f"{flow.support} support records"
                + (f", {flow.hamlets_created} hamlets created" if flow.hamlets_created else "")
                + (f", {flow.without_hamlet} without a hamlet" if flow.without_hamlet else ""))
        for new in plan.hamlets_created:
            self.stdout.write(
                f"new hamlet {new.hamlet.name} ({new.hamlet.code}) in {new.hamlet.parent} "
                f"continues {new.continues.name} of {new.old_commune.name}")
        if plan.hamlets_ended:
            self.stdout.write(f"{plan.hamlets_ended} hamlets of ended communes ended with them")
        for unit, count in plan.staying:
            self.stdout.write(f"stay in {unit}: {count} households that left before")
        for review in plan.open_reviews:
            self.stdout.write(self.style.WARNING(f"open review of an ended unit: {review}"))
        for assignment, successor in plan.assignments:
            self.stdout.write(self.style.WARNING(
                f"assignment on an ended unit: {assignment}"
                + (f" (successor: {successor.name})" if successor else "")))
        verb = "would move" if dry_run else "moved"
        self.stdout.write(self.style.SUCCESS(
            f"{plan.units_created} units created; {verb} {plan.households} households"))
