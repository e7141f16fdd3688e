"""giamngheo manage export_households -o FILE [--commune CODE]: households with members, in the
import template's shape, written in constant memory."""

from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext as _
from tqdm import tqdm

from giamngheo.web.exchange.export import write_households
from giamngheo.web.households.models import Household


class Command(BaseCommand):
    help = "Export households with their members to a workbook (the import template's shape)."

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", type=Path, required=True)
        parser.add_argument("--commune", help="GSO code of one commune (default: all)")

    def handle(self, *args, output: Path, commune: str | None, **options):
        translation.activate("vi")
        households = Household.objects.all()
        if commune:
            households = households.filter(commune__code=commune)
        with tqdm(total=households.count(), unit=_("households"), disable=None) as bar:
            count = write_households(households, output, shows_id_numbers=lambda *_unit: True,
                                     progress=lambda done: bar.update(done - bar.n))
        self.stdout.write(self.style.SUCCESS(_("%(n)s households → %(file)s") % {
            "n": count, "file": output}))
