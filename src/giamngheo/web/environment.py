"""The settings read from the environment, each understood or refused: ``GIAMNGHEO_DEBUG=true``
is on, ``GIAMNGHEO_DEBUG=yes please`` stops the start with a message, never a silent "off".
One rule (``mode``) says how the application runs: a developer's checkout, the local demo or
production; its production part (``production_problems``) is shared with ``giamngheo serve``.
No Django here: the settings module is still being read when this runs.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..messages import text

TRUE = ("1", "true", "yes", "on")
FALSE = ("0", "false", "no", "off")
DEV_SECRET_KEY = "dev-only-not-secret"


class EnvironmentValueError(ValueError):
    """A variable whose value is not understood."""


def flag(environ: Mapping[str, str], name: str, default: bool) -> bool:
    value = environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in TRUE or value in FALSE:
        return value in TRUE
    raise EnvironmentValueError(text("env.not_understood", name=name, value=environ[name],
                                     allowed=", ".join(TRUE + FALSE)))


def integer(environ: Mapping[str, str], name: str, default: int, minimum: int,
            maximum: int) -> int:
    value = environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or not minimum <= int(value) <= maximum:
        raise EnvironmentValueError(text("env.not_understood", name=name, value=environ[name],
                                         allowed=f"{minimum}..{maximum}"))
    return int(value)


@dataclass(frozen=True)
class Mode:
    """How the application runs."""

    debug: bool  # Django's debug pages (a traceback, every URL pattern) instead of the app's
    https: bool  # behind nginx: HTTPS enforced, secure-only cookies, HSTS, one proxy
    secret_key: str


DEMO_SECRET_KEY_FILE = "secret_key"  # in the demo's data folder, made once


def mode(environ: Mapping[str, str], data_dir: Path) -> Mode:
    """The one rule of how the application runs:

    - a developer's checkout (nothing set): debug on, plain http, the development key;
    - the local demo (``GIAMNGHEO_DEMO=1``, set by ``giamngheo demo``): debug off, so that
      visitors (a penetration tester among them) get the application's own error pages, yet
      plain http on 127.0.0.1 (no HTTPS redirect, no secure-only cookies) with a secret key
      made once into ``data_dir``;
    - production (``GIAMNGHEO_DEBUG=0``): debug off, HTTPS behind nginx, a real secret key,
      else refused (``production_problems``).

    A value not understood, or a refused production, raises ``EnvironmentValueError``."""
    demo = flag(environ, "GIAMNGHEO_DEMO", False)
    debug = flag(environ, "GIAMNGHEO_DEBUG", not demo)
    if demo and debug:
        raise EnvironmentValueError(text("env.demo_debug"))
    if debug:
        return Mode(debug=True, https=False,
                    secret_key=environ.get("GIAMNGHEO_SECRET_KEY") or DEV_SECRET_KEY)
    if demo:
        return Mode(debug=False, https=False, secret_key=demo_secret_key(data_dir))
    problems = production_problems(environ)
    if problems:
        raise EnvironmentValueError("; ".join(problems))
    return Mode(debug=False, https=True, secret_key=environ["GIAMNGHEO_SECRET_KEY"])


def demo_secret_key(data_dir: Path) -> str:
    """The demo's secret key: made at its first start, readable by its owner only, kept."""
    path = data_dir / DEMO_SECRET_KEY_FILE
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        try:
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process of the demo made it meanwhile
            pass
        else:
            with os.fdopen(handle, "w") as written:
                written.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


def production_problems(environ: Mapping[str, str]) -> list[str]:
    """Why the application must not run for real with this environment: debug on (unset is
    off here: ``serve`` runs for real), the local demo's mode, or no real secret key. A value
    not understood raises ``EnvironmentValueError``."""
    problems = []
    if flag(environ, "GIAMNGHEO_DEBUG", False):
        problems.append(text("serve.debug_on"))
    if flag(environ, "GIAMNGHEO_DEMO", False):
        problems.append(text("serve.demo_on"))
    key = environ.get("GIAMNGHEO_SECRET_KEY", "")
    if len(key) < 32 or key == DEV_SECRET_KEY:
        problems.append(text("serve.no_secret_key"))
    return problems
