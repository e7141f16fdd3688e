"""Django's password rules with their messages in the application's catalogue (Django has no
Vietnamese for them)."""

from django.contrib.auth import password_validation as rules
from django.utils.translation import gettext as _


class MinimumLength(rules.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return _("This password is too short: it needs at least %(n)s characters.") % {
            "n": self.min_length}

    def get_help_text(self) -> str:
        return _("At least %(n)s characters.") % {"n": self.min_length}


class NotLikeTheUser(rules.UserAttributeSimilarityValidator):
    def get_error_message(self) -> str:
        return _("This password is too much like the user name or the user's name.")

    def get_help_text(self) -> str:
        return _("Not like the user name or the user's name.")


class NotCommon(rules.CommonPasswordValidator):
    def get_error_message(self) -> str:
        return _("This password is too common.")

    def get_help_text(self) -> str:
        return _("Not a commonly used password.")


class NotOnlyDigits(rules.NumericPasswordValidator):
    def get_error_message(self) -> str:
        return _("This password is only digits.")

    def get_help_text(self) -> str:
        return _("Not only digits.")
