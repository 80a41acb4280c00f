"""The roles of 信息报送 as groups, each with exactly the permissions it needs.

Kept in step after every `migrate` (see apps.py), as editorial/permissions.py does for the
editorial roles. An office editor who handles items holds 信息采编 beside 编辑.
"""

from django.contrib.auth.models import Group, Permission

REPORTER_GROUP = "信息员"
HANDLER_GROUP = "信息采编"

# Per group, per model of the intake app, the actions it may take.
ROLE_PERMISSIONS: dict[str, dict[str, list[str]]] = {
    REPORTER_GROUP: {
        "submission": ["view", "add", "change", "report"],
        "call": ["view"],
    },
    HANDLER_GROUP: {
        "submission": ["view", "handle", "view_report"],
        "call": ["view", "add", "change"],
        "adoption": ["view"],
        "recognition": ["view", "add"],
        "reporter": ["view", "add", "change", "delete"],
        "scoringrules": ["view", "add", "change"],
        "intakeevent": ["view"],
    },
}


def _codename(action: str, model: str) -> str:
    # view_report is a permission of its own, not an action on a model.
    return action if action == "view_report" else f"{action}_{model}"


def ensure_intake_groups() -> dict[str, Group]:
    """Create or update each role's group so it holds exactly its permissions."""
    groups = {}
    for name, models in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        codenames = [_codename(action, model) for model, actions in models.items() for action in actions]
        group.permissions.set(Permission.objects.filter(content_type__app_label="intake",
                                                        codename__in=codenames))
        groups[name] = group
    return groups
