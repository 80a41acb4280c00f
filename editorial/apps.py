from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_editor_group(sender, **kwargs) -> None:
    from editorial.permissions import ensure_editor_group

    ensure_editor_group()


def _ensure_reader_group(sender, **kwargs) -> None:
    from editorial.readers import ensure_reader_group

    ensure_reader_group()


class EditorialConfig(AppConfig):
    name = "editorial"
    verbose_name = "编辑部"

    def ready(self) -> None:
        # Permissions exist only after migrate, so the group is kept up to date then.
        post_migrate.connect(_ensure_editor_group, sender=self)
        post_migrate.connect(_ensure_reader_group, sender=self)
