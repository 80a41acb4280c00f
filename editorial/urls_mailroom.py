"""Mailroom sheet downloads; included under admin/mailroom/ before the admin site."""

from django.urls import path

from editorial import views_mailroom

app_name = "mailroom"

urlpatterns = [
    path("issue/<int:pk>/pdf/", views_mailroom.issue_mailroom_pdf, name="issue_pdf"),
    path("issue/<int:pk>/xlsx/", views_mailroom.issue_mailroom_xlsx, name="issue_xlsx"),
]
