"""The admin site of the editorial office: its index page is the workbench."""

from django.contrib import admin

from editorial.workbench import workbench_for


class EditorialAdminSite(admin.AdminSite):
    site_header = "简报编辑印发系统"
    site_title = "简报编辑印发系统"
    index_title = "编辑工作台"
    index_template = "admin/workbench.html"

    def index(self, request, extra_context=None):
        return super().index(request, {"workbench": workbench_for(request.user), **(extra_context or {})})
