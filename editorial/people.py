"""People of the office and their roles: the one write path for users and their role groups.

Ticking a role is all a person needs to log in: the editorial roles open the admin (staff),
读者 and 收文员 the reading room. Each change is written to the admin's log with who made it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.crypto import get_random_string

from editorial.permissions import EDITOR_GROUP, REVIEWER_GROUP, SIGNER_GROUP, WRITER_GROUP
from editorial.readers import READER_GROUP, RECEIVER_GROUP

# The roles offered on the people page, in the order of the work.
ROLES = [WRITER_GROUP, EDITOR_GROUP, REVIEWER_GROUP, SIGNER_GROUP, READER_GROUP, RECEIVER_GROUP]
# Roles whose work is in the admin; the others read in the reading room only.
OFFICE_ROLES = {WRITER_GROUP, EDITOR_GROUP, REVIEWER_GROUP, SIGNER_GROUP}
MANAGE_PERMISSION = "auth.change_user"
# Without 0/O, 1/l/I: a password read out over the phone.
PASSWORD_CHARACTERS = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # noqa: S105 - an alphabet, not a password

USERNAME_TAKEN = "登录名“{username}”已被使用，请换一个。"
NO_ROLE = "请至少勾选一个角色。"
UNKNOWN_ROLE = "没有名为“{role}”的角色。"
CANNOT_DEACTIVATE_SELF = "不能停用自己的账号。"


@dataclass(frozen=True)
class NewPassword:
    user: AbstractUser
    password: str  # shown once to whoever created or reset it


def _log(*, user: AbstractUser, by, flag: int, message: str) -> None:
    LogEntry.objects.log_actions(user_id=by.pk, queryset=[user], action_flag=flag,
                                 change_message=message, single_object=True)


def _groups(roles: list[str]) -> list[Group]:
    if not roles:
        raise ValidationError(NO_ROLE)
    for role in roles:
        if role not in ROLES:
            raise ValidationError(UNKNOWN_ROLE.format(role=role))
    return list(Group.objects.filter(name__in=roles))


def _new_password() -> str:
    return get_random_string(10, PASSWORD_CHARACTERS)


@transaction.atomic
def person_create(*, name: str, username: str, roles: list[str], by, email: str = "") -> NewPassword:
    """Add a person who can log in at once with the password returned (shown once)."""
    User = get_user_model()
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(USERNAME_TAKEN.format(username=username))
    groups = _groups(roles)
    password = _new_password()
    user = User(username=username, last_name=name.strip(), email=email.strip(),
                is_staff=bool(OFFICE_ROLES & set(roles)), is_active=True)
    user.set_password(password)
    user.full_clean()
    user.save()
    user.groups.set(groups)
    _log(user=user, by=by, flag=ADDITION, message=f"添加人员，角色：{'、'.join(roles)}")
    return NewPassword(user=user, password=password)


@transaction.atomic
def person_set_roles(*, user: AbstractUser, roles: list[str], by) -> AbstractUser:
    """Give the person exactly these roles; an editorial role is what opens the admin."""
    groups = _groups(roles)
    user.groups.remove(*user.groups.filter(name__in=ROLES))
    user.groups.add(*groups)
    if not user.is_superuser:
        user.is_staff = bool(OFFICE_ROLES & set(roles))
        user.save(update_fields=["is_staff"])
    _log(user=user, by=by, flag=CHANGE, message=f"角色改为：{'、'.join(roles)}")
    return user


@transaction.atomic
def person_reset_password(*, user: AbstractUser, by) -> NewPassword:
    password = _new_password()
    user.set_password(password)
    user.save(update_fields=["password"])
    _log(user=user, by=by, flag=CHANGE, message="重置密码")
    return NewPassword(user=user, password=password)


@transaction.atomic
def person_set_active(*, user: AbstractUser, active: bool, by) -> AbstractUser:
    """Deactivate (never delete: their work keeps their name) or reactivate a person."""
    if not active and user.pk == by.pk:
        raise ValidationError(CANNOT_DEACTIVATE_SELF)
    user.is_active = active
    user.save(update_fields=["is_active"])
    _log(user=user, by=by, flag=CHANGE, message="启用账号" if active else "停用账号")
    return user


def display_name(user: AbstractUser) -> str:
    return user.get_full_name() or user.username


def role_holders() -> list[tuple[str, list[AbstractUser]]]:
    """Each role with the active people who hold it, in two queries."""
    User = get_user_model()
    people = User.objects.filter(is_active=True, groups__name__in=ROLES).order_by("username") \
        .prefetch_related("groups").distinct()
    holders: dict[str, list[AbstractUser]] = {role: [] for role in ROLES}
    for user in people:
        for group in user.groups.all():
            if group.name in holders:
                holders[group.name].append(user)
    return list(holders.items())
