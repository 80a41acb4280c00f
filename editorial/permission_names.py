"""Default permissions named in Chinese: 可以增加文章 instead of Django's "Can add 文章".

Django writes "Can add <verbose name>" when it creates a model's permissions and never
translates the stored name; after every migrate the default ones are renamed here.
"""

from django.contrib.auth import get_permission_codename
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.utils import translation

ACTIONS = {"add": "增加", "change": "修改", "delete": "删除", "view": "查看"}


def permission_name(action: str, verbose_name: str) -> str:
    return f"可以{ACTIONS[action]}{verbose_name}"


def name_permissions_in_chinese(sender, using="default", **kwargs) -> None:
    """Rename the default permissions of the models of app `sender` (a post_migrate receiver)."""
    models = list(sender.get_models())
    if not models:
        return
    content_types = ContentType.objects.db_manager(using).get_for_models(*models)
    with translation.override("zh-hans"):
        for model, content_type in content_types.items():
            opts = model._meta
            for action in opts.default_permissions:
                if action not in ACTIONS:
                    continue
                name = permission_name(action, str(opts.verbose_name))
                (Permission.objects.using(using)
                 .filter(content_type=content_type, codename=get_permission_codename(action, opts))
                 .exclude(name=name)
                 .update(name=name))
