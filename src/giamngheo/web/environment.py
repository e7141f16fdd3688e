"""The settings read from the environment, each understood or refused: ``GIAMNGHEO_DEBUG=true``
is on, ``GIAMNGHEO_DEBUG=yes please`` stops the start with a message, never a silent "off".
One production rule (``production_problems``) is shared by the settings and ``giamngheo
serve``. No Django here: the settings module is still being read when this runs.
"""

from __future__ import annotations

from collections.abc import Mapping

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


def debug(environ: Mapping[str, str]) -> bool:
    """Debug mode: on unless the environment says off (a developer's checkout)."""
    return flag(environ, "GIAMNGHEO_DEBUG", True)


def production_problems(environ: Mapping[str, str]) -> list[str]:
    """Why the application must not run for real with this environment: debug on (unset is
    off here: ``serve`` runs for real), or no real secret key. A value not understood raises
    ``EnvironmentValueError``."""
    problems = []
    if flag(environ, "GIAMNGHEO_DEBUG", False):
        problems.append(text("serve.debug_on"))
    key = environ.get("GIAMNGHEO_SECRET_KEY", "")
    if len(key) < 32 or key == DEV_SECRET_KEY:
        problems.append(text("serve.no_secret_key"))
    return problems
