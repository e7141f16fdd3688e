"""The child process of the worker: runs one import job (exchange/jobs.py)."""

from django.core.management.base import BaseCommand

from giamngheo.web.exchange import jobs


class Command(BaseCommand):
    help = "Run one import job (started by the worker, with its limits)."

    def add_arguments(self, parser):
        parser.add_argument("job")

    def handle(self, *args, job, **options):
        jobs.run(job)
