"""Electronic delivery of a printed issue to the units on its 版记: 送达, 打开, 签收, 催收.

`issue_deliver` runs after the commit of 登记印发: every unit of the issue's frozen distribution
(报/送/发/抄送 and 本期增发) gets one Delivery row and its 收文员 a mail. A reader opening the issue
updates one view record (per reader and issue, with a count) and the first-opened time of the
units they read for; `sign_for` records 签收 once per unit; `remind` (催收) reminds the units that
have not signed, by mail and on their 收到的简报 page. Each step writes its DeliveryEvent.
"""

from __future__ import annotations

import datetime
import typing
from collections.abc import Iterable

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from bulletins.models import (
    ADDITION_LABEL,
    ROLE_ORDER,
    Delivery,
    DeliveryEvent,
    DeliveryView,
    Issue,
    IssueEvent,
    Organisation,
    Role,
    UnitReader,
)
from bulletins.services.delivery_mail import local_time, queue_delivery_mails
from bulletins.services.guards import issue_lock
from bulletins.services.revisions import user_label

SIGN_PERMISSION = "bulletins.sign_for_delivery"
REMIND_PERMISSION = "bulletins.remind_delivery"

NOT_PUBLISHED_MESSAGE = "{issue}尚未印发，不能送达。"
NO_SIGN_ROLE_MESSAGE = "您没有签收的权限：只有“收文员”角色可以签收。"
NOT_DELIVERED_MESSAGE = "本期没有发给您所在的单位，不能签收。"
CHOOSE_UNIT_MESSAGE = "您是多个收文单位的收文员，请选择为哪个单位签收。"
NOT_SIGNABLE_MESSAGE = "{issue}已重新打开修改，不在印发状态，暂不能签收。"
NOT_REMINDABLE_MESSAGE = "{issue}不在印发状态，不能催收。"
ALREADY_SIGNED_MESSAGE = "{unit}已于{time}由{name}签收本期，不必再次签收。"
NO_REMIND_ROLE_MESSAGE = "您没有催收的权限：只有“编辑”角色可以催收。"

Action = DeliveryEvent.Action


def _published_now(issue: Issue) -> bool:
    """Whether the issue is printed as of now (it may have been reopened since it was read)."""
    return Issue.objects.filter(pk=issue.pk).values_list("status", flat=True).get() == Issue.Status.PUBLISHED


def receiving_units(*, issue: Issue) -> list[tuple[str, Organisation]]:
    """Each unit of the issue's distribution once, with its printed role (or 本期增发), in 版记 order."""
    recipients = sorted(issue.loaded_recipients(),
                        key=lambda r: (r.is_addition, ROLE_ORDER.index(Role(r.role)), r.position, r.pk))
    seen: set[int] = set()
    units = []
    for recipient in recipients:
        for unit in recipient.organisations():
            if unit.pk not in seen:
                seen.add(unit.pk)
                units.append((ADDITION_LABEL if recipient.is_addition else recipient.role, unit))
    return units


@transaction.atomic
def issue_deliver(*, issue: Issue) -> list[Delivery]:
    """Deliver a printed issue to each unit of its distribution that does not have it yet.

    Run on the commit of 登记印发, when the recipients are the ones just frozen; once an issue is
    delivered for its latest printing, running it again delivers nothing (a unit added to a
    saved list afterwards never receives an issue printed before). The 收文员 are mailed after
    the commit.
    """
    issue = issue_lock(issue=issue)
    if issue.status != Issue.Status.PUBLISHED:
        raise ValidationError(NOT_PUBLISHED_MESSAGE.format(issue=issue.number_label))
    printing = issue.events.filter(action=IssueEvent.Action.PUBLISHED).order_by("-created_at", "-pk").first()
    if printing is not None and issue.deliveries.filter(delivered_at__gte=printing.created_at).exists():
        return []
    have = set(issue.deliveries.values_list("unit_id", flat=True))
    now = timezone.now()
    new = Delivery.objects.bulk_create(
        Delivery(issue=issue, unit=unit, role=role, delivered_at=now)
        for role, unit in receiving_units(issue=issue) if unit.pk not in have)
    DeliveryEvent.objects.bulk_create(
        DeliveryEvent(delivery=delivery, action=Action.DELIVERED, created_at=now) for delivery in new)
    ids = [delivery.pk for delivery in new]
    queue_delivery_mails(delivery_ids=ids, reminder=False)
    return new


def deliveries(*, issue: Issue) -> list[Delivery]:
    """One row per receiving unit, in 版记 order.

    Each has unit, delivered_at, opened_at, signed_at, signed_by and reminders (a count).
    """
    return list(issue.deliveries.select_related("unit", "signed_by").order_by("pk"))


@transaction.atomic
def unit_reader_add(*, unit: Organisation, user: User,
                    by: User | None = None) -> UnitReader:
    """Make the user a 收文员 of the unit (again: nothing changes)."""
    reader, _ = UnitReader.objects.get_or_create(unit=unit, user=user, defaults={"created_by": by})
    return reader


@transaction.atomic
def unit_reader_remove(*, unit: Organisation, user: User) -> None:
    """The user no longer receives for the unit; what they signed stays signed by them."""
    UnitReader.objects.filter(unit=unit, user=user).delete()


def unit_merge_deliveries(*, source: Organisation, target: Organisation) -> None:
    """Part of merging two units: the source's deliveries and 收文员 become the target's.

    Where both received an issue the target's row stays and the source's goes (with its events).
    """
    Delivery.objects.filter(unit=source, issue__deliveries__unit=target).delete()
    Delivery.objects.filter(unit=source).update(unit=target)
    UnitReader.objects.filter(unit=source, user__reader_units__unit=target).delete()
    UnitReader.objects.filter(unit=source).update(unit=target)


def reader_units(user: User) -> list[Organisation]:
    """The units this user is a 收文员 of."""
    if not user.is_authenticated:
        return []
    return list(Organisation.objects.filter(readers__user=user).order_by("name"))


def delivery_record_open(*, issue: Issue, by: User) -> list[Delivery]:
    """Count one opening of the issue by this reader; mark it opened for the units they read for.

    Returns the reader's deliveries of the issue (with their units), for the 签收 buttons: three
    statements when the reader receives it for no unit.
    """
    now = timezone.now()
    _count_view(issue=issue, by=by, now=now)
    rows = list(Delivery.objects.filter(issue=issue, unit__readers__user=by).select_related("unit")
                .order_by("unit__name"))
    if not rows:
        return rows
    first = [row for row in rows if row.opened_at is None]
    with transaction.atomic():
        if first:
            Delivery.objects.filter(pk__in=[row.pk for row in first]).update(opened_at=now)
            DeliveryEvent.objects.bulk_create(
                DeliveryEvent(delivery=row, action=Action.OPENED, actor=by, actor_name=user_label(by),
                              created_at=now) for row in first)
        Delivery.objects.filter(pk__in=[row.pk for row in rows]).update(
            last_opened_at=now, open_count=F("open_count") + 1)
    for row in rows:
        row.opened_at, row.last_opened_at, row.open_count = row.opened_at or now, now, row.open_count + 1
    return rows


def _count_view(*, issue: Issue, by: User, now: datetime.datetime) -> None:
    # The row is made if missing (a no-op after the first time, and safe when two tabs race),
    # then counted: two statements, no savepoint.
    DeliveryView.objects.bulk_create([DeliveryView(issue=issue, user=by, count=0, first_at=now, last_at=now)],
                                     ignore_conflicts=True)
    DeliveryView.objects.filter(issue=issue, user=by).update(count=F("count") + 1, last_at=now)


@transaction.atomic
def sign_for(*, issue: Issue, by: User, unit: Organisation | None = None) -> Delivery:
    """签收 the issue for the reader's unit (`unit` when they read for several)."""
    if not (by.is_active and by.has_perm(SIGN_PERMISSION)):
        raise PermissionDenied(NO_SIGN_ROLE_MESSAGE)
    found = Delivery.objects.filter(issue=issue, unit__readers__user=by)
    if unit is not None:
        found = found.filter(unit=unit)
    rows = list(found.select_for_update(of=("self",)).select_related("unit", "signed_by"))
    if not rows:
        raise PermissionDenied(NOT_DELIVERED_MESSAGE)
    if not _published_now(issue):
        raise ValidationError(NOT_SIGNABLE_MESSAGE.format(issue=issue.number_label), code="not_published")
    unsigned = [row for row in rows if row.signed_at is None]
    if len(unsigned) > 1:
        raise ValidationError(CHOOSE_UNIT_MESSAGE, code="choose_unit")
    if not unsigned:
        done = rows[0]
        signed_at = typing.cast(datetime.datetime, done.signed_at)  # not unsigned: signed
        raise ValidationError(ALREADY_SIGNED_MESSAGE.format(
            unit=done.unit.name, time=local_time(signed_at), name=done.signed_by_name),
            code="already_signed")
    delivery = unsigned[0]
    now = timezone.now()
    delivery.signed_at, delivery.signed_by, delivery.signed_by_name = now, by, user_label(by)
    delivery.opened_at = delivery.opened_at or now
    delivery.save(update_fields=["signed_at", "signed_by", "signed_by_name", "opened_at"])
    DeliveryEvent.objects.create(delivery=delivery, action=Action.SIGNED, actor=by,
                                 actor_name=user_label(by), created_at=now)
    return delivery


@transaction.atomic
def remind(*, issue: Issue, by: User | None, units: Iterable[Organisation] | None = None,
           automatic: bool = False) -> list[Delivery]:
    """催收: remind the units that have not signed (all, or those of `units`); return them.

    `by` is the editor; None only for the automatic reminders (`automatic=True`).
    """
    if not automatic and not (by is not None and by.is_active and by.has_perm(REMIND_PERMISSION)):
        raise PermissionDenied(NO_REMIND_ROLE_MESSAGE)
    if not _published_now(issue):
        raise ValidationError(NOT_REMINDABLE_MESSAGE.format(issue=issue.number_label), code="not_published")
    unsigned = issue.deliveries.filter(signed_at__isnull=True)
    if units is not None:
        unsigned = unsigned.filter(unit__in=[unit.pk for unit in units])
    rows = list(unsigned.select_for_update(of=("self",)).select_related("unit").order_by("pk"))
    now = timezone.now()
    for row in rows:
        row.reminders += 1
        row.last_reminded_at = now
    Delivery.objects.bulk_update(rows, ["reminders", "last_reminded_at"])
    DeliveryEvent.objects.bulk_create(
        DeliveryEvent(delivery=row, action=Action.REMINDED, actor=by, actor_name=user_label(by),
                      automatic=automatic, created_at=now) for row in rows)
    ids = [row.pk for row in rows]
    queue_delivery_mails(delivery_ids=ids, reminder=True)
    return rows


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """The working days (Monday to Friday) after `start` up to and including `end`."""
    if end <= start:
        return 0
    weeks, rest = divmod((end - start).days, 7)
    tail = sum(1 for day in range(1, rest + 1)
               if (start + datetime.timedelta(days=weeks * 7 + day)).weekday() < 5)
    return weeks * 5 + tail


def remind_overdue(*, today: datetime.date | None = None) -> list[Delivery]:
    """The automatic 催收: remind each unsigned unit whose last delivery or reminder is N working days old.

    N is the publication's 自动催收（工作日）; publications without it are left alone.
    """
    today = today or timezone.localdate()
    due: dict[int, list[Delivery]] = {}
    candidates = (Delivery.objects.unsigned()
                  .filter(issue__status=Issue.Status.PUBLISHED,
                          issue__publication__remind_after_working_days__gte=1)
                  .select_related("issue__publication", "unit"))
    for delivery in candidates:
        since = timezone.localdate(delivery.last_reminded_at or delivery.delivered_at)
        if working_days_between(since, today) >= delivery.issue.publication.remind_after_working_days:
            due.setdefault(delivery.issue_id, []).append(delivery)
    reminded = []
    for rows in due.values():
        reminded += remind(issue=rows[0].issue, by=None, units=[row.unit for row in rows], automatic=True)
    return reminded


def reader_stamp_text(*, issue: Issue, user: User, when: datetime.datetime | None = None) -> str:
    """The watermark of this reader's copy: their unit(s) that received it, their name, the time."""
    units = list(Organisation.objects.filter(readers__user=user, deliveries__issue=issue)
                 .values_list("name", flat=True).order_by("name"))
    if not units:
        units = [unit.name for unit in reader_units(user)]
    return " ".join([*units, user_label(user), local_time(when or timezone.now())])
