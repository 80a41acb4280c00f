"""The printed issue beside its admin page, mounted under admin/issues/ in config/urls.py."""

from django.urls import path

from editorial import views

app_name = "editorial"

urlpatterns = [
    path("<int:pk>/preview/", views.issue_preview, name="issue_preview"),
    path("<int:pk>/pdf/", views.issue_pdf, name="issue_pdf"),
]
