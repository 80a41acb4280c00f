from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_editor_group(sender, **kwargs) -> None:
    from editorial.permissions import ensure_editor_group

    ensure_editor_group()


def _name_permissions_in_chinese(sender, **kwargs) -> None:
    from editorial.permission_names import name_permissions_in_chinese

    name_permissions_in_chinese(sender, **kwargs)


class EditorialConfig(AppConfig):
    name = "editorial"
    verbose_name = "编辑部"

    def ready(self) -> None:
        # Permissions exist only after migrate, so the group is kept up to date then.
        post_migrate.connect(_ensure_editor_group, sender=self)
        # Every app's default permissions, after django.contrib.auth has created them.
        post_migrate.connect(_name_permissions_in_chinese)
