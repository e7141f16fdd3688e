import getpass
import os

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = ("Create the first administrator. The password comes from GIAMNGHEO_ADMIN_PASSWORD, "
            "else it is asked twice; it must pass the password rules.")

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")

    def handle(self, *args, username: str, email: str, **options):
        translation.activate(settings.LANGUAGE_CODE)  # Vietnamese first, here too
        if User.objects.filter(username=username).exists():
            raise CommandError(_("The user %(name)s exists already.") % {"name": username})
        password = os.environ.get("GIAMNGHEO_ADMIN_PASSWORD") or self._ask()
        user = User(username=username, email=email, is_staff=True, is_superuser=True)
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        user.set_password(password)
        user.save()
        self.stdout.write(_("Administrator %(name)s created.") % {"name": username})

    def _ask(self) -> str:
        first = getpass.getpass(_("Password: "))
        if first != getpass.getpass(_("The password again: ")):
            raise CommandError(_("The two passwords differ."))
        return first
