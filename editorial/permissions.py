"""The "editor" group: everything an editor needs to assemble issues, without superuser."""

from django.contrib.auth.models import Group, Permission

EDITOR_GROUP = "编辑"

# Per model, the actions an editor may take.
EDITOR_PERMISSIONS = {
    "bulletins": {
        "publication": ["view", "change"],
        "column": ["view", "add", "change", "delete"],
        "issue": ["view", "add", "change", "delete"],
        "article": ["view", "add", "change", "delete"],
        "issuerecipient": ["view", "add", "change", "delete"],
        "organisation": ["view", "add", "change"],
        "distributionlist": ["view", "add", "change"],
        "distributionlistmember": ["view", "add", "change", "delete"],
        "batchjob": ["view"],
    },
}


def ensure_editor_group() -> Group:
    """Create or update the editor group so it holds exactly the editor permissions."""
    group, _ = Group.objects.get_or_create(name=EDITOR_GROUP)
    codenames = [
        f"{action}_{model}"
        for models in EDITOR_PERMISSIONS.values()
        for model, actions in models.items()
        for action in actions
    ]
    permissions = Permission.objects.filter(
        content_type__app_label__in=EDITOR_PERMISSIONS.keys(), codename__in=codenames
    )
    group.permissions.set(permissions)
    return group
