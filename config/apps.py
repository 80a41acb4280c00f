"""The libraries' apps under Chinese names in the admin (Django's way: subclass their app config)."""

from axes.apps import AppConfig as AxesAppConfig
from django_tasks_db.apps import TasksAppConfig


class AxesConfig(AxesAppConfig):
    verbose_name = "登录保护"


class TasksDatabaseConfig(TasksAppConfig):
    verbose_name = "后台任务队列"
