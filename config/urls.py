import re
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from editorial.views.media import serve_media

urlpatterns = [
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
    path("admin/", include("editorial.urls")),
    path("admin/intake/", include("intake.urls")),
    path("admin/", admin.site.urls),
    path("archive/", include("editorial.reading_urls")),
]
# Uploads in local storage are served by the site itself, to staff and readers only, under
# the development server and gunicorn alike (editorial.views.media); object storage serves
# its own (MEDIA_URL is then an address elsewhere).
if not urlsplit(settings.MEDIA_URL).netloc:
    urlpatterns += [re_path(rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<name>.+)$", serve_media,
                            name="media")]
handler500 = "editorial.views.errors.server_error"
