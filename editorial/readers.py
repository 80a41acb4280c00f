"""The 读者 (reader) group: may read printed issues in the reading room, not the admin; and the
收文员 of the units, who read and sign for what is delivered to their units."""

from django.contrib.auth.models import Group

from bulletins.services.delivery import unit_reader_add, unit_reader_remove

READER_GROUP = "读者"  # its permissions are kept with the other roles' in permissions.py
# A unit's 收文员: reads like a 读者 and signs for the issues delivered to the units they are
# linked to (bulletins.models.UnitReader); the link, not the group, says which units.
RECEIVER_GROUP = "收文员"
# What the reading room asks of a user who is not staff.
READING_PERMISSION = "bulletins.view_issue"


def may_read(user) -> bool:
    """Readers and every staff user; never anonymous users."""
    return user.is_authenticated and user.is_active and (user.is_staff or user.has_perm(READING_PERMISSION))


def unit_reader_assign(*, unit, user, by=None):
    """Make the user a 收文员 of the unit: the link (bulletins) and the 收文员 group (its permissions)."""
    reader = unit_reader_add(unit=unit, user=user, by=by)
    user.groups.add(Group.objects.get(name=RECEIVER_GROUP))
    return reader


def unit_reader_unassign(*, unit, user) -> None:
    """The user no longer receives for the unit; with no unit left, they leave the 收文员 group."""
    unit_reader_remove(unit=unit, user=user)
    if not user.reader_units.exists():
        user.groups.remove(Group.objects.get(name=RECEIVER_GROUP))
