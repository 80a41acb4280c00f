"""The 读者 (reader) group: may read printed issues in the reading room, not the admin."""

from django.contrib.auth.models import Group, Permission

READER_GROUP = "读者"
READER_PERMISSIONS = ["view_publication", "view_column", "view_issue", "view_article"]
# What the reading room asks of a user who is not staff.
READING_PERMISSION = "bulletins.view_issue"


def ensure_reader_group() -> Group:
    """Create or update the reader group so it holds exactly the reading permissions."""
    group, _ = Group.objects.get_or_create(name=READER_GROUP)
    group.permissions.set(Permission.objects.filter(content_type__app_label="bulletins",
                                                    codename__in=READER_PERMISSIONS))
    return group


def may_read(user) -> bool:
    """Readers and every staff user; never anonymous users."""
    return user.is_authenticated and user.is_active and (user.is_staff or user.has_perm(READING_PERMISSION))
