"""giamngheo manage import_households FILE --user NAME [--commit]: the dry run, then (with
--commit) the import in one transaction."""

from pathlib import Path

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from tqdm import tqdm

from giamngheo.web.exchange.importer import apply_import, plan_import
from giamngheo.web.exchange.workbook import WorkbookError


class Command(BaseCommand):
    help = ("Check a household workbook (sheet/row/column of every problem) and, with "
            "--commit, import it for the user's area: all or nothing.")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--user", required=True, help="who imports (their area applies)")
        parser.add_argument("--commit", action="store_true", help="import when no problem")

    def handle(self, *args, file: Path, user: str, commit: bool, **options):
        translation.activate("vi")
        account = User.objects.filter(username=user).first()
        if account is None:
            raise CommandError(_("No user %(name)s.") % {"name": user})
        with tqdm(desc=_("Checking"), unit=_("households"), disable=None) as bar:
            def progress(done, total):
                bar.total = total
                bar.update(done - bar.n)
            try:
                plan = plan_import(file, account, file_name=file.name, progress=progress)
            except (WorkbookError, OSError) as error:
                raise CommandError(str(error)) from None
        for problem in plan.problems:
            self.stdout.write(f"{problem.sheet}!{problem.row} [{problem.column}] "
                              f"{problem.message}")
        counts = plan.counts
        self.stdout.write(_(
            "%(create)s households to create, %(update)s to update, %(unchanged)s unchanged; "
            "%(members)s members; %(problems)s problems") % {
                **counts, "problems": len(plan.problems)})
        if plan.problems:
            raise CommandError(_("Nothing was imported: correct the problems first."))
        if commit:
            record = apply_import(plan, account)
            self.stdout.write(self.style.SUCCESS(_("Imported (import No. %(n)s).") % {
                "n": record.pk}))
