"""The reading room; config/urls.py mounts it at archive/."""

from django.urls import path

from editorial.views import reading, received

app_name = "reading"

urlpatterns = [
    path("", reading.index, name="index"),
    path("login/", reading.LoginView.as_view(), name="login"),
    path("logout/", reading.LogoutView.as_view(), name="logout"),
    path("search/", reading.search, name="search"),
    path("received/", received.received, name="received"),
    path("received/<int:pk>/", received.received_issue, name="received_issue"),
    path("received/<int:pk>/sign/", received.sign, name="sign"),
    path("<slug:slug>/", reading.publication_years, name="publication"),
    path("<slug:slug>/<int:year>/", reading.year_issues, name="year"),
    path("<slug:slug>/<int:year>/<str:number>/", reading.issue_detail, name="issue"),
    path("<slug:slug>/<int:year>/<str:number>/pdf/", reading.issue_pdf, name="issue_pdf"),
]
