"""The delivery mails (送达, 催收) to the units' 收文员, sent by the background worker.

Queued when the step commits; a unit's mail holds the link to the issue and, for a publication
that says so, the PDF of record stamped with the unit's name. All go through one connection; a
failed mail is logged, never raised.
"""

from __future__ import annotations

import datetime
import logging
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from bulletins.models import Delivery, Issue, UnitReader
from bulletins.rendering.stamp import stamp_pdf
from bulletins.services.printing import issue_pdf_of_record

logger = logging.getLogger(__name__)

DELIVERED_SUBJECT = "《{issue}》已送达，请签收"
REMINDED_SUBJECT = "催收：《{issue}》尚未签收"


def local_time(moment: datetime.datetime) -> str:
    """A moment as the office reads it: 2026-12-04 09:30, local time."""
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


def queue_delivery_mails(*, delivery_ids: list[int], reminder: bool) -> None:
    """Once the current transaction commits, queue the mails of these deliveries."""
    if delivery_ids:
        transaction.on_commit(partial(send_delivery_mails.enqueue, list(delivery_ids), reminder),
                              robust=True)


@task()
def send_delivery_mails(delivery_ids: list[int], reminder: bool) -> int:
    """Mail each delivery's unit (its active 收文员 with an address); return the mails sent."""
    return mail_units(delivery_ids=delivery_ids, reminder=reminder)


def received_url(issue: Issue) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("reading:received_issue", args=[issue.pk])


def mail_units(*, delivery_ids: list[int], reminder: bool) -> int:
    rows = list(Delivery.objects.filter(pk__in=delivery_ids).select_related("issue__publication", "unit")
                .order_by("pk"))
    addresses: dict[int, list[str]] = {}
    for unit_id, email in (UnitReader.objects.filter(unit_id__in={row.unit_id for row in rows},
                                                     user__is_active=True)
                           .exclude(user__email="").values_list("unit_id", "user__email")):
        addresses.setdefault(unit_id, []).append(email)
    sent = 0
    pdfs: dict[int, bytes | None] = {}
    try:
        with get_connection() as connection:
            for row in rows:
                to = sorted(set(addresses.get(row.unit_id, [])))
                if to:
                    message = _message(row, to, reminder, pdfs)
                    message.connection = connection
                    sent += _send(message, row)
    except OSError as error:  # the SMTP server could not be reached at all
        logger.warning("Delivery mails for deliveries %s not sent: %s", delivery_ids, error)
    return sent


def _send(message: EmailMessage, row: Delivery) -> int:
    try:
        return message.send()
    except (OSError, ValueError) as error:  # SMTP errors are OSErrors
        logger.warning("Delivery mail for issue %s to unit %s not sent: %s", row.issue_id, row.unit_id, error)
        return 0


def _message(row: Delivery, to: list[str], reminder: bool, pdfs: dict[int, bytes | None]) -> EmailMessage:
    label = str(row.issue)
    if reminder:
        subject = REMINDED_SUBJECT.format(issue=label)
        first = (f"《{label}》于{local_time(row.delivered_at)}送达{row.unit.name}，"
                 "至今尚未签收，请尽快阅处并签收。")
    else:
        subject = DELIVERED_SUBJECT.format(issue=label)
        first = f"《{label}》已送达{row.unit.name}（{row.role}），请阅处并签收。"
    body = "\n".join([first, "", f"打开本期：{received_url(row.issue)}", "", "——简报编辑印发系统"])
    message = EmailMessage(subject, body, None, to)
    if not reminder and row.issue.publication.delivery_attaches_pdf:
        if row.issue_id not in pdfs:
            pdfs[row.issue_id] = issue_pdf_of_record(row.issue)
        record = pdfs[row.issue_id]
        if record is not None:
            stamped = stamp_pdf(record, f"{row.unit.name} {local_time(timezone.now())}")
            message.attach(f"{label}.pdf", stamped, "application/pdf")
    return message
