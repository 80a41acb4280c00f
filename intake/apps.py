from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_intake_groups(sender, **kwargs) -> None:
    from intake.permissions import ensure_intake_groups

    ensure_intake_groups()


class IntakeConfig(AppConfig):
    default = True
    name = "intake"
    verbose_name = "信息报送"

    def ready(self) -> None:
        # Permissions exist only after migrate, so the groups are kept in step then.
        post_migrate.connect(_ensure_intake_groups, sender=self)
