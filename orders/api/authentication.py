"""Token authentication that stops guessing: an address that sent too many
wrong tokens is refused (429) for a while, before its next token is looked at.

Password logins are throttled by django-axes (per account and per address);
a token names no account, so its failures count per address only. The
counts live in the shared cache (settings.CACHES: Redis, else files under var/).
"""

from __future__ import annotations

import time

from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication, get_authorization_header
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle


class FailedTokenThrottle(SimpleRateThrottle):
    """Failed token attempts per client address (REST_FRAMEWORK
    DEFAULT_THROTTLE_RATES["failed_token"], e.g. "10/hour")."""

    scope = "failed_token"

    def get_rate(self) -> str | None:
        # Read now, not when DRF's module was imported (settings may change).
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def recent(self, request) -> list[float]:
        now = time.time()
        history = self.cache.get(self.get_cache_key(request, None), [])
        return [moment for moment in history if moment > now - self.duration]

    def exceeded(self, request) -> float | None:
        """Seconds to wait when the address is over the limit, else None."""
        history = self.recent(request)
        if len(history) < self.num_requests:
            return None
        return max(self.duration - (time.time() - history[0]), 1.0)

    def record(self, request) -> None:
        history = [*self.recent(request), time.time()][-self.num_requests:]
        self.cache.set(self.get_cache_key(request, None), history, self.duration)


class ThrottledTokenAuthentication(TokenAuthentication):
    def authenticate(self, request):
        words = get_authorization_header(request).split()
        if not words or words[0].lower() != self.keyword.lower().encode():
            return None  # no token offered: another authentication's turn
        throttle = FailedTokenThrottle()
        if throttle.rate is None:
            return super().authenticate(request)
        wait = throttle.exceeded(request)
        if wait is not None:
            # Refused before the token is looked at: a right guess now proves nothing.
            raise exceptions.Throttled(wait=wait, detail="Too many failed token attempts from "
                                                         "this address.")
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed:
            throttle.record(request)
            raise
