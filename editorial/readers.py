"""The 读者 (reader) group: may read printed issues in the reading room, not the admin."""

READER_GROUP = "读者"  # its permissions are kept with the other roles' in permissions.py
# What the reading room asks of a user who is not staff.
READING_PERMISSION = "bulletins.view_issue"


def may_read(user) -> bool:
    """Readers and every staff user; never anonymous users."""
    return user.is_authenticated and user.is_active and (user.is_staff or user.has_perm(READING_PERMISSION))
