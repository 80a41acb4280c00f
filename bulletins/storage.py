"""Where article images uploaded from the editor are kept: the `default` storage, in a folder.

Everything goes through the storage API (never a path under MEDIA_ROOT), so the images live
wherever STORAGES["default"] says: the local media folder, or S3-compatible object storage.
"""

import posixpath

from django.core.files.storage import Storage, storages
from django.utils.deconstruct import deconstructible

ARTICLE_IMAGE_DIR = "article-images"


@deconstructible
class ArticleImageStorage(Storage):
    """The default storage, with every new file under article-images/."""

    @property
    def _storage(self) -> Storage:
        return storages["default"]

    def save(self, name, content, max_length=None):
        name = posixpath.join(ARTICLE_IMAGE_DIR, posixpath.basename(name or content.name))
        return self._storage.save(name, content, max_length=max_length)

    def open(self, name, mode="rb"):
        return self._storage.open(name, mode)

    def delete(self, name):
        self._storage.delete(name)

    def exists(self, name):
        return self._storage.exists(name)

    def size(self, name):
        return self._storage.size(name)

    def url(self, name):
        return self._storage.url(name)
