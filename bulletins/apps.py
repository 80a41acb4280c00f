from django.apps import AppConfig


class BulletinsConfig(AppConfig):
    name = "bulletins"
    verbose_name = "简报"

    def ready(self) -> None:
        from bulletins import checks  # noqa: F401 - registers the system checks
