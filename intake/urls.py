"""The intake pages; config/urls.py mounts them under admin/intake/, behind the admin's login."""

from django.contrib import admin
from django.urls import path

from intake import views

app_name = "intake"

urlpatterns = [
    path("", admin.site.admin_view(views.workbench), name="workbench"),
    path("items/<int:pk>/<str:action>/", admin.site.admin_view(views.submission_step), name="step"),
    path("adopt/", admin.site.admin_view(views.adopt_view), name="adopt"),
    path("calls/<int:pk>/remind/", admin.site.admin_view(views.call_remind_view), name="call_remind"),
    path("report/", admin.site.admin_view(views.report_view), name="report"),
    path("report.xlsx", admin.site.admin_view(views.report_xlsx_view), name="report_xlsx"),
]
