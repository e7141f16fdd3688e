"""The web tests' area (a district with closed annual reviews) for the browser tests too."""

from tests.web.conftest import area  # noqa: F401  (a fixture, used by name)
