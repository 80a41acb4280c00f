from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate


def _ensure_role_groups(sender, **kwargs) -> None:
    from editorial.permissions import ensure_role_groups

    ensure_role_groups()


def _name_permissions_in_chinese(sender, **kwargs) -> None:
    from editorial.permission_names import name_permissions_in_chinese

    name_permissions_in_chinese(sender, **kwargs)


class EditorialConfig(AppConfig):
    default = True
    name = "editorial"
    verbose_name = "编辑部"

    def ready(self) -> None:
        # Permissions exist only after migrate, so the group is kept up to date then.
        post_migrate.connect(_ensure_role_groups, sender=self)
        # Every app's default permissions, after django.contrib.auth has created them.
        post_migrate.connect(_name_permissions_in_chinese)
        from editorial import security  # noqa: F401 - a login marks its session as just saved


class EditorialAdminConfig(admin_apps.AdminConfig):
    """The Django admin, with the editors' workbench as its index page."""

    default = False
    default_site = "editorial.sites.EditorialAdminSite"
