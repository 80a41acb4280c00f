"""Login throttling helpers for django-axes."""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The address a login came from: behind PROXY_COUNT proxies, the one the nearest proxy saw.

    Each proxy appends the address it received the request from to X-Forwarded-For, so with
    N trusted proxies the N-th entry from the right is the client; anything further left may
    have been written by the client itself and is ignored.
    """
    count = getattr(settings, "PROXY_COUNT", 0)
    if count:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
                     if part.strip()]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")
