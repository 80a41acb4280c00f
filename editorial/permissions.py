"""The roles of an editorial office as groups, each with exactly the permissions it needs.

The groups are created and brought in step after every `migrate` (see apps.py). One person may
hold several roles; a superuser holds all.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from editorial.readers import READER_GROUP, RECEIVER_GROUP

WRITER_GROUP = "撰稿"
EDITOR_GROUP = "编辑"
REVIEWER_GROUP = "审核"
SIGNER_GROUP = "签发"

_READ_ISSUES = {
    "publication": ["view"],
    "column": ["view"],
    "issue": ["view"],
    "article": ["view"],
    "issuerecipient": ["view"],
    "organisation": ["view"],
    "distributionlist": ["view"],
    "distributionlistmember": ["view"],
}

# Per group, per model of the bulletins app, the actions it may take.
ROLE_PERMISSIONS: dict[str, dict[str, list[str]]] = {
    WRITER_GROUP: {
        **_READ_ISSUES,
        "article": ["view", "add", "change"],
    },
    EDITOR_GROUP: {
        "publication": ["view", "change"],
        "column": ["view", "add", "change", "delete"],
        "issue": ["view", "add", "change", "delete", "submit", "publish"],
        "article": ["view", "add", "change", "delete"],
        "issuerecipient": ["view", "add", "change", "delete"],
        "organisation": ["view", "add", "change"],
        "distributionlist": ["view", "add", "change"],
        "distributionlistmember": ["view", "add", "change", "delete"],
        "wordingrule": ["view", "add", "change", "delete"],
        "proofreadingdismissal": ["view", "add", "delete"],
        "batchjob": ["view"],
        "delivery": ["view", "remind"],
        "unitreader": ["view", "add", "delete"],
    },
    REVIEWER_GROUP: {
        **_READ_ISSUES,
        "issue": ["view", "review"],
    },
    SIGNER_GROUP: {
        **_READ_ISSUES,
        "issue": ["view", "sign_off", "reopen"],
    },
    # The reading room only (see readers.py): printed issues, not the admin.
    READER_GROUP: {model: ["view"] for model in ("publication", "column", "issue", "article")},
    RECEIVER_GROUP: {
        **{model: ["view"] for model in ("publication", "column", "issue", "article")},
        "delivery": ["sign_for"],
    },
}


def _codename(action: str, model: str) -> str:
    # Workflow permissions are named like Django's own: submit_issue, sign_off_issue, ...
    return f"{action}_{model}"


def ensure_role_groups() -> dict[str, Group]:
    """Create or update each role's group so it holds exactly its permissions."""
    groups = {}
    for name, models in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        codenames = [_codename(action, model) for model, actions in models.items() for action in actions]
        permissions = Permission.objects.filter(Q(content_type__app_label="bulletins"),
                                                codename__in=codenames)
        group.permissions.set(permissions)
        groups[name] = group
    return groups
