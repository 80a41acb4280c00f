"""Login throttling helpers for django-axes, and sessions that expire when idle."""

import time

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

SESSION_REFRESHED = "_refreshed"


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


class SessionRefreshMiddleware:
    """Keep a session in use alive without writing it on every request.

    A session expires SESSION_COOKIE_AGE after it was last saved. Saving it on every request
    (SESSION_SAVE_EVERY_REQUEST) costs a database write and commit for each page, download
    and render-status poll; saving it once it was last saved SESSION_REFRESH_SECONDS ago
    moves the expiry on all the same, so an idle session ends within that margin of
    SESSION_COOKIE_AGE after its last request.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty():
            now = int(time.time())
            if now - session.get(SESSION_REFRESHED, 0) >= settings.SESSION_REFRESH_SECONDS:
                session[SESSION_REFRESHED] = now  # saved by SessionMiddleware on the way out
        return response


@receiver(user_logged_in)
def _session_refreshed_at_login(sender, request, user, **kwargs) -> None:
    # Logging in saves the session anyway.
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_REFRESHED] = int(time.time())
