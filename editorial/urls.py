"""Editorial pages outside the model admin, mounted under admin/archive/ in config/urls.py."""

from django.urls import path

from editorial import archive_views

app_name = "editorial_archive"

urlpatterns = [
    path("import/", archive_views.upload_view, name="upload"),
    path("import/confirm/", archive_views.confirm_view, name="confirm"),
]
