from django.core.management.commands import makemessages


class Command(makemessages.Command):
    # a fuzzy guess ("Commune officer" → "Xã") is worse than an empty translation, which the
    # catalogue test reports
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
