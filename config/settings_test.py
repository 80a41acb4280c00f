"""Settings for the test suite: the environment-driven settings with fast, isolated defaults."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
os.environ.setdefault("BACKUP_KEY", "test-only-backup-key")

from config.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
if REDIS_URL:  # noqa: F405
    # The suite against a real Redis (CI runs it once that way): keys of this run only.
    for alias in ("default", "uploads"):
        CACHES[alias]["KEY_PREFIX"] = f"bulletins-test-{os.getpid()}"  # noqa: F405
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
              "uploads": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                          "LOCATION": "uploads"}}
# Tasks run at once, in the test's process; tests of the queues and of the isolated child
# process configure them explicitly.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
BULLETIN_RENDER_ISOLATED = False
BULLETIN_PARSE_ISOLATED = False
# Production settings redirect to HTTPS; the test client and the live server speak HTTP.
SECURE_SSL_REDIRECT = False
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# The live server's thread must not keep a connection open past the test (PostgreSQL teardown).
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
