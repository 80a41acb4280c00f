from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
    path("admin/", include("editorial.urls")),
    path("admin/intake/", include("intake.urls")),
    path("admin/", admin.site.urls),
    path("archive/", include("editorial.reading_urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
handler500 = "editorial.views.errors.server_error"
