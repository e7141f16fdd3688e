"""giamngheo manage generate_households N: a SYNTHETIC registry for the speed benchmarks."""

from django.core.management.base import BaseCommand
from tqdm import tqdm

from giamngheo.messages import format_int, text
from giamngheo.web.households.models import Household
from giamngheo.web.scale import generate_registry


class Command(BaseCommand):
    help = ("Add N synthetic households in a made-up province, communes of --per-commune "
            "households, each with a closed annual review (for the speed benchmarks).")

    def add_arguments(self, parser):
        parser.add_argument("households", type=int)
        parser.add_argument("--per-commune", type=int, default=10_000)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, households: int, per_commune: int, seed: int, **options):
        with tqdm(total=households, unit=text("cli.households_unit"),
                  desc=text("scale.generating"), disable=None) as bar:
            communes = generate_registry(households, per_commune, seed,
                                         progress=lambda done: bar.update(done - bar.n))
        self.stdout.write(self.style.SUCCESS(text(
            "scale.done", communes=communes,
            households=format_int(Household.objects.count()))))
