"""The only way WeasyPrint reads anything: our static files, uploads (through the storage API),
our fonts, small images.

WeasyPrint by default opens any ``file://`` path and any web address. Article HTML is
sanitised, but a relative URL survives sanitising and is resolved against the base URL,
so the fetcher itself must refuse everything that is not ours.
"""

from __future__ import annotations

import base64
import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import storages
from weasyprint import URLFetcher
from weasyprint.urls import URLFetcherResponse

logger = logging.getLogger(__name__)

# Relative URLs in the document resolve against this address, which no network serves.
BASE_URL = "https://bulletin.invalid/"
_BASE = urlsplit(BASE_URL)

IMAGE_TYPES = {"image/png", "image/jpeg", "image/gif"}
MAX_DATA_URL_BYTES = 64 * 1024


class RefusedURL(ValueError):
    """WeasyPrint catches this, logs it and renders without the resource."""


def _inside(path: Path, root: Path) -> bool:
    try:
        return path.resolve().is_relative_to(root.resolve())
    except OSError:
        return False


def _within_storage(storage, name: str) -> bool:
    """A storage on local disk must not lead out of its folder (a symlink to /etc/passwd)."""
    try:
        path = storage.path(name)
    except NotImplementedError:  # object storage: names are keys, not paths
        return True
    return _inside(Path(path), Path(storage.location))


class BulletinURLFetcher(URLFetcher):
    """Serve our static and media files and the configured fonts; refuse everything else."""

    def __init__(self, *, font_files: frozenset[str] = frozenset(), **kwargs) -> None:
        super().__init__(allowed_protocols={"https", "file", "data"}, allow_redirects=False,
                         **kwargs)
        self.font_files = font_files
        self.refused: list[str] = []

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data":
            return self._data(url)
        if scheme == "file":
            path = Path(unquote(parts.path))
            if not parts.netloc and str(path.resolve()) in self.font_files:
                return self._file(url, path)
        elif ".." not in unquote(parts.path):
            name = self._media_name(url)
            if name is not None:
                return self._media(url, name)
            if (scheme, parts.netloc) == (_BASE.scheme, _BASE.netloc):
                static = self._static_path(unquote(parts.path))
                if static is not None:
                    return self._file(url, static)
        return self._refuse(url)

    def _media_name(self, url: str) -> str | None:
        """The storage name of an uploaded file's address (MEDIA_URL may be a path or an address)."""
        media_url = settings.MEDIA_URL
        if "://" not in media_url:
            media_url = urljoin(BASE_URL, media_url)
        if not url.startswith(media_url):
            return None
        return unquote(urlsplit(url[len(media_url):]).path) or None

    def _media(self, url: str, name: str) -> URLFetcherResponse:
        """Uploads are read through the `default` storage, wherever it keeps them."""
        storage = storages["default"]
        try:
            if not _within_storage(storage, name):
                return self._refuse(url)
            if storage.exists(name):
                with storage.open(name, "rb") as stored:
                    body = stored.read()
                mime_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, body=body, headers={"Content-Type": mime_type})
        except (SuspiciousFileOperation, OSError):
            pass
        return self._refuse(url)

    def _static_path(self, url_path: str) -> Path | None:
        prefix, root = settings.STATIC_URL, settings.STATIC_ROOT
        if prefix and url_path.startswith(prefix):
            relative = url_path[len(prefix):]
            candidate = Path(root) / relative
            if candidate.is_file() and _inside(candidate, Path(root)):
                return candidate
            found = finders.find(relative)
            if found and Path(found).is_file():
                return Path(found)
        return None

    def _file(self, url: str, path: Path) -> URLFetcherResponse:
        mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(),
                                  headers={"Content-Type": mime_type})

    def _data(self, url: str) -> URLFetcherResponse:
        header, _, payload = url.partition(",")
        mime_type = header[5:].split(";")[0].strip().lower()
        if mime_type in IMAGE_TYPES and header.endswith(";base64"):
            try:
                body = base64.b64decode(payload, validate=True)
            except ValueError:
                body = None
            if body is not None and len(body) <= MAX_DATA_URL_BYTES:
                return URLFetcherResponse(url, body=body, headers={"Content-Type": mime_type})
        return self._refuse(url[:80])

    def _refuse(self, url: str) -> URLFetcherResponse:
        self.refused.append(url)
        logger.warning("Refused to fetch %s while rendering a PDF", url)
        raise RefusedURL(f"不允许读取：{url}")
