"""The static files for production (whitenoise: hashed names, compressed), collected once per
content: ``giamngheo setup`` collects them, and ``giamngheo serve`` only when a source file or
the storage changed since (a SHA-256 of every source file), so that a start takes seconds, not
the minute that compressing every file again takes."""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from django.core.management import call_command

STAMP = ".sources.sha256"


def sources_digest() -> str:
    digest = hashlib.sha256(settings.STORAGES["staticfiles"]["BACKEND"].encode())
    files = {}
    for finder in get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            files.setdefault(path, storage)  # the first finder's file wins, as collectstatic
    for path in sorted(files):
        digest.update(path.encode() + b"\0")
        with files[path].open(path) as handle:
            digest.update(hashlib.sha256(handle.read()).digest())
    return digest.hexdigest()


def collect_static() -> bool:
    """Collect the static files unless those collected are of the same sources; returns
    whether it collected."""
    stamp = Path(settings.STATIC_ROOT) / STAMP
    digest = sources_digest()
    if stamp.exists() and stamp.read_text() == digest:
        return False
    # cleared first: collectstatic alone skips a file whose copy is not older to the second
    call_command("collectstatic", interactive=False, verbosity=0, clear=True)
    stamp.write_text(digest)  # only once every file is collected
    return True
