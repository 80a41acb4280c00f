"""The editors' workspace: the Django admin, in Chinese, on top of the bulletin domain.

The site itself (titles, the workbench index) is `editorial.sites.EditorialAdminSite`.
"""

from editorial.admin import directory, issue, jobs, proofreading, publication  # noqa: F401 - registers the admins
