"""The cache where uploads wait for an editor's confirmation, and the reports of archive jobs.

Without Redis it is a directory of files of its own. Django's file cache, once it holds
MAX_ENTRIES files, deletes a random third of them, so a rendered PDF stored in the shared
cache could drop an upload still waiting for the editor's confirmation. This cache, when full,
removes only entries whose time is up: a waiting upload stays until it expires. With REDIS_URL
the alias is the same Redis as the default cache.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.cache import caches
from django.core.cache.backends.filebased import FileBasedCache

UPLOAD_CACHE = "uploads"

if TYPE_CHECKING:
    from bulletins.batch_models import BatchJob


def upload_cache():
    return caches[UPLOAD_CACHE]


class PendingFileCache(FileBasedCache):
    """A file cache that, once it holds MAX_ENTRIES files, removes the expired ones only."""

    def _cull(self) -> None:
        files = self._list_cache_files()
        if len(files) < self._max_entries:
            return
        for name in files:
            try:
                with open(name, "rb") as file:
                    self._is_expired(file)  # deletes the file if its time is up
            except FileNotFoundError:  # removed meanwhile by another process
                continue


# Archive files uploaded for a background import wait in the cache (never under MEDIA_ROOT,
# which is served as is) until the worker has read them; the reports wait there for the editor.
ARCHIVE_UPLOAD_TIMEOUT = 24 * 60 * 60


def archive_uploads_key(token: str) -> str:
    return f"archive-import:{token}"


def archive_results_key(job: BatchJob) -> str:
    return f"archive-job:{job.pk}:results"
