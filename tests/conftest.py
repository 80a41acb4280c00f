import pytest


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="session", autouse=True)
def _reduced_fonts():
    """The reduced font faces in var/, as ./dev builds them: built here only when missing or
    stale (a fresh clone tested without ./dev), once, whichever test worker comes first."""
    from bulletins.rendering.fonts import build_reduced_faces

    build_reduced_faces()


@pytest.fixture(autouse=True, scope="session")
def _forget_redis_keys_of_this_run():
    """With REDIS_URL the cache is a shared Redis: remove this run's keys (never flush it)."""
    yield
    from django.conf import settings

    if settings.REDIS_URL and "KEY_PREFIX" in settings.CACHES["default"]:
        import redis

        client = redis.Redis.from_url(settings.REDIS_URL)
        keys = list(client.scan_iter(match=f"{settings.CACHES['default']['KEY_PREFIX']}:*"))
        if keys:
            client.delete(*keys)
