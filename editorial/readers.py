"""The 读者 (reader) group: may read printed issues in the reading room, not the admin."""

READER_GROUP = "读者"  # its permissions are kept with the other roles' in permissions.py
# A unit's 收文员: reads like a 读者 and signs for the issues delivered to the units they are
# linked to (bulletins.models.UnitReader); the link, not the group, says which units.
RECEIVER_GROUP = "收文员"
# What the reading room asks of a user who is not staff.
READING_PERMISSION = "bulletins.view_issue"


def may_read(user) -> bool:
    """Readers and every staff user; never anonymous users."""
    return user.is_authenticated and user.is_active and (user.is_staff or user.has_perm(READING_PERMISSION))
