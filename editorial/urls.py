"""Editorial pages beside the model admin; config/urls.py mounts them under admin/."""

from django.urls import path

from editorial.views import archive, mailroom, printing

app_name = "editorial"

urlpatterns = [
    path("archive/import/", archive.upload_view, name="archive_upload"),
    path("archive/import/confirm/", archive.confirm_view, name="archive_confirm"),
    path("issues/<int:pk>/preview/", printing.issue_preview, name="issue_preview"),
    path("issues/<int:pk>/pdf/", printing.issue_pdf, name="issue_pdf"),
    path("issues/<int:pk>/render-status/", printing.issue_render_status, name="issue_render_status"),
    path("issues/<int:pk>/mailroom.pdf", mailroom.issue_mailroom_pdf, name="mailroom_pdf"),
    path("issues/<int:pk>/mailroom.xlsx", mailroom.issue_mailroom_xlsx, name="mailroom_xlsx"),
]
