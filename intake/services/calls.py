"""约稿: the office asks units for items on a subject by a deadline, and reminds those yet to reply."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from bulletins.models import Organisation
from intake.models import Call, IntakeEvent, Reporter, Submission
from intake.services.common import mail_reporters, record_event, require_handler

Action = IntakeEvent.Action


def call_units(*, call: Call) -> QuerySet[Organisation]:
    """The units the call is addressed to: those chosen, or every unit that has a 信息员."""
    if call.all_units:
        return Organisation.objects.filter(pk__in=Reporter.objects.values("unit_id"))
    return call.units.all()


def call_replied_unit_ids(*, call: Call) -> set[int]:
    return set(call.replies.submitted().values_list("unit_id", flat=True))


def _mail_lines(call: Call, opening: str) -> list[str]:
    url = settings.SITE_URL.rstrip("/") + reverse("intake:workbench")
    return [opening, f"主题：{call.subject}", f"要求：{call.request}",
            f"截止日期：{call.deadline:%Y年%m月%d日}", "", f"报送：{url}"]


@transaction.atomic
def call_create(*, by: AbstractBaseUser, subject: str, request: str, deadline: datetime.date,
                units: Iterable[Organisation] | None = None) -> Call:
    """Send a call to the units given, or to all units when none are; their 信息员 are mailed."""
    require_handler(by, "发出约稿")
    units = list(units or [])
    call = Call(subject=subject.strip(), request=request.strip(), deadline=deadline,
                all_units=not units, created_by=by)
    call.full_clean()
    call.save()
    call.units.set(units)
    record_event(action=Action.CALL_SENT, by=by, call=call,
                 note="全部单位" if not units else "、".join(u.name for u in units))
    unit_ids = list(call_units(call=call).values_list("pk", flat=True))
    transaction.on_commit(lambda: mail_reporters(units=unit_ids, subject=f"约稿通知：{call.subject}",
                                                 lines=_mail_lines(call, "编辑部向贵单位约稿。")))
    return call


@transaction.atomic
def call_remind(*, call: Call, by: AbstractBaseUser) -> list[Organisation]:
    """Mail the units that have not replied yet; returns them."""
    require_handler(by, "催报")
    call = Call.objects.select_for_update().get(pk=call.pk)
    replied = call_replied_unit_ids(call=call)
    pending = [u for u in call_units(call=call) if u.pk not in replied]
    call.reminded_at = timezone.now()
    call.save(update_fields=["reminded_at"])
    record_event(action=Action.CALL_REMINDED, by=by, call=call, note="、".join(u.name for u in pending))
    unit_ids = [u.pk for u in pending]
    transaction.on_commit(lambda: mail_reporters(units=unit_ids, subject=f"约稿催报：{call.subject}",
                                                 lines=_mail_lines(call, "贵单位尚未报送约稿回复，请抓紧。")))
    return pending


def submissions_answering(*, call: Call) -> QuerySet[Submission]:
    return call.replies.submitted().select_related("unit")
