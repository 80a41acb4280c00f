"""Reference data: publications and their columns, organisations and distribution lists.

Every change is validated, saved and kept as a revision (django-reversion) that names who made
it, like an issue's; the admin, the spreadsheet import and the commands all come through here.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import reversion
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError

from bulletins.models import Column, DistributionList, DistributionListMember, Organisation, Publication

ReferenceRecord = Publication | Column | Organisation | DistributionList | DistributionListMember

IN_USE_MESSAGE = "“{name}”仍被{users}使用，不能删除。"


@contextmanager
def _revision(*, by: User | None, comment: str) -> Iterator[None]:
    with transaction.atomic(), reversion.create_revision():
        if by is not None and by.is_authenticated:
            reversion.set_user(by)
        reversion.set_comment(comment)
        yield


def _describe(record: ReferenceRecord) -> str:
    return f"{record._meta.verbose_name}“{record}”"


def reference_save(*, record: ReferenceRecord, by: User | None) -> ReferenceRecord:
    """Validate and save a new or changed record of the reference data, on record."""
    record.full_clean()
    created = record.pk is None
    with _revision(by=by, comment=f"{'新建' if created else '修改'}{_describe(record)}"):
        record.save()
    return record


def reference_delete(*, record: ReferenceRecord, by: User | None) -> None:
    """Delete a record that nothing printed or planned still uses; its last state stays on record."""
    try:
        with transaction.atomic():
            # django-reversion keeps only objects that still exist when a revision closes, so
            # the last state goes on record first, and the deletion follows in the same transaction.
            with _revision(by=by, comment=f"删除{_describe(record)}"):
                reversion.add_to_revision(record)
            record.delete()
    except ProtectedError as error:
        users = "、".join(sorted({str(obj._meta.verbose_name) for obj in error.protected_objects}))
        raise ValidationError(IN_USE_MESSAGE.format(name=record, users=users),
                              code="protected") from error


def distribution_list_set_members(*, distribution_list: DistributionList,
                                  organisations: Sequence[Organisation],
                                  by: User | None) -> DistributionList:
    """Make the list exactly these organisations, in this order."""
    with _revision(by=by, comment=f"设置{_describe(distribution_list)}的单位"):
        distribution_list.members.all().delete()
        members = DistributionListMember.objects.bulk_create(
            DistributionListMember(distribution_list=distribution_list, organisation=organisation,
                                   position=position)
            for position, organisation in enumerate(organisations))
        reversion.add_to_revision(distribution_list)
        for member in members:
            reversion.add_to_revision(member)
    return distribution_list
