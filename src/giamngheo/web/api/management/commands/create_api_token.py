"""giamngheo manage create_api_token USER NAME: prints a new API key once."""

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from giamngheo.web.api.models import ApiToken


class Command(BaseCommand):
    help = "Issue an API token for a user (their roles and area apply); the key is shown once."

    def add_arguments(self, parser):
        parser.add_argument("user")
        parser.add_argument("name", help="which system will use it")

    def handle(self, *args, user: str, name: str, **options):
        account = User.objects.filter(username=user).first()
        if account is None:
            raise CommandError(_("No user %(name)s.") % {"name": user})
        _token, key = ApiToken.issue(account, name)
        self.stdout.write(key)
