"""The editors' workspace: the Django admin, in Chinese, on top of the bulletin domain."""

from django.contrib import admin

from editorial.admin import directory, issue, jobs, publication  # noqa: F401 - registers the admins

admin.site.site_header = "简报编辑印发系统"
admin.site.site_title = "简报编辑印发系统"
admin.site.index_title = "编辑工作台"
