"""Editorial pages beside the model admin; config/urls.py mounts them under admin/."""

from django.urls import path

from editorial.views import (
    archive,
    assembly,
    delivery,
    history,
    mailroom,
    manuscripts,
    printing,
    proofreading,
    uploads,
    workflow,
)

app_name = "editorial"

urlpatterns = [
    path("editor/image-upload/", uploads.image_upload, name="image_upload"),
    path("archive/import/", archive.upload_view, name="archive_upload"),
    path("archive/import/confirm/", archive.confirm_view, name="archive_confirm"),
    path("archive/import/jobs/<int:pk>/", archive.job_view, name="archive_job"),
    path("issues/<int:pk>/manuscripts/", manuscripts.upload_view, name="manuscript_upload"),
    path("issues/<int:pk>/manuscripts/confirm/", manuscripts.confirm_view, name="manuscript_confirm"),
    path("issues/<int:pk>/preview/", printing.issue_preview, name="issue_preview"),
    path("issues/<int:pk>/pdf/", printing.issue_pdf, name="issue_pdf"),
    path("issues/<int:pk>/events/<int:event_pk>/pdf/", printing.event_pdf, name="event_pdf"),
    path("issues/<int:pk>/docx/", printing.issue_docx, name="issue_docx"),
    path("issues/<int:pk>/ofd/", printing.issue_ofd, name="issue_ofd"),
    path("issues/<int:pk>/render-status/", printing.issue_render_status, name="issue_render_status"),
    path("issues/<int:pk>/render-again/", printing.issue_render_again, name="issue_render_again"),
    path("issues/<int:pk>/mailroom.pdf", mailroom.issue_mailroom_pdf, name="mailroom_pdf"),
    path("issues/<int:pk>/mailroom.xlsx", mailroom.issue_mailroom_xlsx, name="mailroom_xlsx"),
    path("issues/<int:pk>/delivery/", delivery.issue_delivery_view, name="issue_delivery"),
    path("issues/<int:pk>/delivery.xlsx", delivery.issue_delivery_xlsx_view, name="issue_delivery_xlsx"),
    path("issues/<int:pk>/delivery/remind/", delivery.issue_remind_view, name="issue_remind"),
    path("issues/<int:pk>/delivery/deliver/", delivery.issue_deliver_view, name="issue_deliver"),
    path("delivery/statistics/", delivery.statistics_view, name="delivery_statistics"),
    path("issues/<int:pk>/workflow/<str:action>/", workflow.transition_view, name="issue_transition"),
    path("issues/<int:pk>/articles/arrange/", assembly.arrange_view, name="issue_arrange"),
    path("issues/<int:pk>/articles/<int:article_pk>/move/<str:direction>/", assembly.move_view,
         name="article_move"),
    path("issues/<int:pk>/history/", history.history_view, name="issue_history"),
    path("issues/<int:pk>/history/compare/", history.compare_view, name="issue_compare"),
    path("issues/<int:pk>/history/<int:revision_pk>/restore/", history.restore_view,
         name="issue_restore"),
    path("issues/<int:pk>/proofreading/", proofreading.issue_proofreading, name="proofreading_issue"),
    path("issues/<int:pk>/proofreading/fix-all/", proofreading.issue_fix_all,
         name="proofreading_issue_fix_all"),
    path("issues/<int:pk>/proofreading/dismiss/", proofreading.dismiss, name="proofreading_dismiss"),
    path("articles/<int:pk>/proofreading/fix/", proofreading.article_fix, name="proofreading_article_fix"),
    path("articles/<int:pk>/proofreading/fix-all/", proofreading.article_fix_all,
         name="proofreading_article_fix_all"),
    path("proofreading/dismissals/<int:pk>/restore/", proofreading.dismissal_remove,
         name="proofreading_dismissal_remove"),
]
