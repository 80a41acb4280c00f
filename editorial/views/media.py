"""Article images at MEDIA_URL, for the preview, the admin and the reading room, in production too.

With local storage nothing else serves /media/ under gunicorn, and a web server in front would
serve the files to anyone: this view lets staff and readers (the users who see the articles) see
the images of articles, nothing else of the storage, and nobody else. Behind nginx, set
MEDIA_ACCEL_REDIRECT to an `internal` location and nginx sends the file (X-Accel-Redirect)
while the check stays here.
"""

from __future__ import annotations

import posixpath
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from bulletins.storage import ARTICLE_IMAGE_DIR
from editorial.readers import may_read

IMAGE_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}
# Article images are stored under unique names and never change.
CACHE_CONTROL = "private, max-age=86400"


def _image_name(name: str) -> str:
    """The storage name of an article image, or 404 for anything else of the storage."""
    parts = name.split("/")
    if (parts[0] != ARTICLE_IMAGE_DIR or len(parts) < 2 or "\\" in name or "\0" in name
            or any(part in {"", ".", ".."} for part in parts)
            or posixpath.splitext(name)[1].lower() not in IMAGE_TYPES):
        raise Http404
    return name


@require_safe
def serve_media(request: HttpRequest, name: str) -> HttpResponse:
    name = _image_name(name)
    if not may_read(request.user):
        raise Http404  # the same answer whether the file exists or not
    content_type = IMAGE_TYPES[posixpath.splitext(name)[1].lower()]
    if settings.MEDIA_ACCEL_REDIRECT:
        response = HttpResponse(content_type=content_type)
        # nginx decodes the address it is given: quote the (often Chinese) name.
        response["X-Accel-Redirect"] = settings.MEDIA_ACCEL_REDIRECT.rstrip("/") + "/" + quote(name)
    else:
        try:
            handle = default_storage.open(name, "rb")
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = CACHE_CONTROL
    return response
