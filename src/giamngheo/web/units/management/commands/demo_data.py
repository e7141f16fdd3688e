from django.core.management.base import BaseCommand

from giamngheo.web.demo import DEMO_HOUSEHOLDS, build_demo


class Command(BaseCommand):
    help = "Load the Tân Phú demo: synthetic households, closed reviews 2022-2024, demo users."

    def add_arguments(self, parser):
        parser.add_argument("--households", type=int, default=DEMO_HOUSEHOLDS)

    def handle(self, *args, households: int, **options):
        counts = build_demo(households, say=self.stdout.write)
        self.stdout.write(self.style.SUCCESS(
            "{households} households, {members} members, {reviews} reviews".format(**counts)))
