"""Editorial pages beside the model admin; config/urls.py mounts them under admin/."""

from django.urls import path

from editorial.views import archive, mailroom, manuscripts, printing, uploads

app_name = "editorial"

urlpatterns = [
    path("editor/image-upload/", uploads.image_upload, name="image_upload"),
    path("archive/import/", archive.upload_view, name="archive_upload"),
    path("archive/import/confirm/", archive.confirm_view, name="archive_confirm"),
    path("issues/<int:pk>/manuscripts/", manuscripts.upload_view, name="manuscript_upload"),
    path("issues/<int:pk>/manuscripts/confirm/", manuscripts.confirm_view, name="manuscript_confirm"),
    path("issues/<int:pk>/preview/", printing.issue_preview, name="issue_preview"),
    path("issues/<int:pk>/pdf/", printing.issue_pdf, name="issue_pdf"),
    path("issues/<int:pk>/mailroom.pdf", mailroom.issue_mailroom_pdf, name="mailroom_pdf"),
    path("issues/<int:pk>/mailroom.xlsx", mailroom.issue_mailroom_xlsx, name="mailroom_xlsx"),
]
