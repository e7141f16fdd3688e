"""The login throttle. django-axes counts failed logins per (user name, client address): five
wrong passwords for a user from one address pause that pair, so a stranger's failures never
refuse the right password to the user from their own address. This backend adds a limit per
address over every user name, for whoever tries many names from one place.

The client address is the one the proxy in front (nginx) appended to X-Forwarded-For
(django-ipware through axes: ``GIAMNGHEO_PROXIES`` in the settings), not the proxy's own.
"""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone


def failures_from(address: str | None) -> int:
    """Failed logins from ``address`` within the cool-off time, whatever the user names."""
    if not address:
        return 0
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=since) \
        .aggregate(n=Sum("failures_since_start"))["n"] or 0


class ThrottleBackend(AxesStandaloneBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is not None and failures_from(get_client_ip_address(request)) >= \
                settings.GIAMNGHEO_ADDRESS_FAILURE_LIMIT:
            request.axes_locked_out = True
            raise AxesBackendPermissionDenied("too many failed logins from this address")
        return super().authenticate(request, username, password, **kwargs)
