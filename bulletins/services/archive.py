"""Archive import: publications found by name, and printed issues stored as printed."""

from __future__ import annotations

import datetime
import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max

from bulletins.models import (
    ADDITION_LABEL,
    Article,
    Column,
    Issue,
    IssueRecipient,
    Organisation,
    Publication,
    Role,
)
from bulletins.search import search_index_issue
from bulletins.services.guards import issue_lock
from bulletins.services.lifecycle import (
    NEW,
    TRANSITIONS,
    Step,
    transition_check,
    transition_record,
)
from bulletins.services.printing import StoredPDF
from bulletins.services.revisions import issue_ensure_revision, recorded

WHITESPACE = re.compile(r"\s+")


def _compact(text: str) -> str:
    return WHITESPACE.sub("", text)


def publication_find(*, name_prefix: str, name: str) -> Publication | None:
    """Return the publication with this name, however the masthead spaced or split it."""
    wanted = _compact(name_prefix + name)
    for publication in Publication.objects.all():
        if _compact(publication.name_prefix + publication.name) == wanted:
            return publication
    return None


def publication_slug(*, name_prefix: str, name: str) -> str:
    """A stable ASCII slug for a Chinese name: `pub-` and a short hash of the name."""
    digest = hashlib.sha1(_compact(name_prefix + name).encode(), usedforsecurity=False).hexdigest()
    return f"pub-{digest[:10]}"


@transaction.atomic
def publication_create(
    *,
    name: str,
    name_prefix: str = "",
    issuing_office: Sequence[str] = (),
    slug: str = "",
    **fields: Any,
) -> Publication:
    """Create a publication; without a slug, derive a stable ASCII one from the name."""
    publication = Publication(
        name=name, name_prefix=name_prefix, issuing_office="\n".join(issuing_office),
        slug=slug or publication_slug(name_prefix=name_prefix, name=name), **fields,
    )
    publication.full_clean()
    publication.save()
    return publication


def column_get_or_create(*, publication: Publication, name: str) -> Column:
    """Return the publication's column of this name, adding it after the others if new."""
    column = publication.columns.filter(name=name).first()
    if column is None:
        last = publication.columns.aggregate(m=Max("position"))["m"]
        column = Column(publication=publication, name=name, position=0 if last is None else last + 1)
        column.full_clean()
        column.save()
    return column


OPENING, CLOSING = "（(", "）)"


def _split_outside_brackets(text: str, separator: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        if char in OPENING:
            depth += 1
        elif char in CLOSING and depth:
            depth -= 1
        if char == separator and depth == 0:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    parts.append("".join(current).strip())
    return [part for part in parts if part]


def _join_single_characters(names: list[str]) -> list[str]:
    """Keep enumerations such as 省直各厅、局、委、办主要领导 whole: no unit is named by one character."""
    joined: list[str] = []
    glue_next = False
    for name in names:
        if joined and (glue_next or len(name) == 1):
            joined[-1] = f"{joined[-1]}、{name}"
        else:
            joined.append(name)
        glue_next = len(name) == 1
    return joined


def distribution_split(text: str) -> list[str]:
    """Split a printed 版记 line into unit names at ； and 、, never inside brackets.

    Each name is a piece of the printed text exactly as it stands.
    """
    return [name for group in _split_outside_brackets(text, "；")
            for name in _join_single_characters(_split_outside_brackets(group, "、"))]


def organisations_get_or_create(*, names: Iterable[str], default_role: str = "") -> dict[str, Organisation]:
    """Return the organisations with these names, creating the missing ones in one query."""
    wanted = list(dict.fromkeys(names))
    found = {org.name: org for org in Organisation.objects.filter(name__in=wanted)}
    missing = [Organisation(name=name, default_role=default_role) for name in wanted if name not in found]
    for organisation in missing:
        organisation.full_clean(validate_unique=False)
    Organisation.objects.bulk_create(missing)
    found.update({org.name: org for org in Organisation.objects.filter(name__in=[o.name for o in missing])})
    return found


ROLE_BY_PRINTED = {Role.REPORT.value: (Role.REPORT, False), Role.SEND.value: (Role.SEND, False),
                   Role.ISSUE.value: (Role.ISSUE, False), Role.COPY.value: (Role.COPY, False),
                   ADDITION_LABEL: (Role.SEND, True)}

# A piece of a 版记 line that names no unit of its own: a post or a department with nothing
# saying whose (副书记, 组织部, 办公室), or 各 with a bare level (各市).
FRAGMENT_NAME_RE = re.compile(
    r"^(?:各[省市县区乡镇村]{1,2}|副?(?:书记|部长|主任|局长|厅长|秘书长?)|(?:组织|宣传|统战|政法)部长?"
    r"|办公室|机关党委|党委|党组|主要领导|领导)$")


def unit_name_is_fragment(name: str) -> bool:
    """Whether a name split from a 版记 line is not a plausible organisation of its own."""
    return bool(FRAGMENT_NAME_RE.match(name))


class UnitAction(models.TextChoices):
    """What an import does with a unit named in a 版记 line that the directory does not have."""

    KEEP_LINE = "keep-line", "只保留版记原文，不在名录中新建"
    CREATE = "create", "在名录中新建单位"
    MERGE = "merge", "并入已有单位"


@dataclass(frozen=True)
class UnitChoice:
    action: UnitAction
    organisation: Organisation | None = None  # the existing unit, for MERGE


def unit_choices_from_values(values: dict[str, str]) -> dict[str, UnitChoice]:
    """Choices as a form or a queued task carries them, {name: "keep-line" | "create" | an
    existing unit's id}; a unit deleted since is kept as a choice the import then refuses."""
    organisations = Organisation.objects.in_bulk([int(v) for v in values.values() if v.isdigit()])
    choices = {}
    for name, value in values.items():
        if value.isdigit():
            choices[name] = UnitChoice(action=UnitAction.MERGE, organisation=organisations.get(int(value)))
        elif value in (UnitAction.KEEP_LINE, UnitAction.CREATE):
            choices[name] = UnitChoice(action=UnitAction(value))
    return choices


@dataclass(frozen=True)
class UnitDecision:
    """What happened to one name of a 版记 line that the directory did not have."""

    name: str
    action: UnitAction
    fragment: bool
    organisation: str = ""  # the unit it was merged into


@dataclass(frozen=True)
class PrintedRecipients:
    unplaced_roles: tuple[str, ...] = ()
    decisions: tuple[UnitDecision, ...] = ()

    @property
    def created(self) -> list[str]:
        return [d.name for d in self.decisions if d.action == UnitAction.CREATE]

    @property
    def not_created(self) -> list[UnitDecision]:
        return [d for d in self.decisions if d.action != UnitAction.CREATE]


MERGE_TARGET_MISSING_MESSAGE = "版记中的“{name}”要并入的单位已不在名录中，请重新选择。"
FRAGMENT_POLICY_MESSAGE = "不像单位名称的片段只能保留版记原文或新建，并入须逐个指定单位。"


@dataclass(frozen=True)
class ImportedArticle:
    column: str
    title: str
    toc_title: str = ""
    subtitle: str = ""
    byline: str = ""
    source: str = ""
    editor_note: str = ""
    body: str = ""


@dataclass(frozen=True)
class IssueImportOutcome:
    issue: Issue
    created: bool
    recipients: PrintedRecipients = PrintedRecipients()

    @property
    def unplaced_roles(self) -> tuple[str, ...]:
        return self.recipients.unplaced_roles


@transaction.atomic
def issue_import(
    *,
    publication: Publication,
    year: int,
    number: int,
    date: datetime.date,
    is_special: bool = False,
    total_number: int | None = None,
    print_run: int | None = None,
    editor_note: str = "",
    articles: Sequence[ImportedArticle],
    distribution: Sequence[tuple[str, str]],
    by: User | None = None,
    replace: bool = False,
    source_name: str = "",
    fragments: UnitAction = UnitAction.KEEP_LINE,
    unit_choices: Mapping[str, UnitChoice] | None = None,
    pdf_of_record: StoredPDF | None = None,
) -> IssueImportOutcome:
    """Create or replace a printed issue identified by publication, year, number and 增刊.

    The `import` verb of lifecycle.TRANSITIONS: a user needs the 签发 permission (`by` None is
    the server's operator, a command); an issue in the sign-off workflow, or signed off here, is
    refused, and a draft or a printed issue is replaced only with `replace`. The issue is stored
    as published, with its 版记 frozen exactly as printed; the units named in it become
    recipients as `issue_set_printed_recipients` decides; what it held stays as a revision.
    `pdf_of_record` is the imported PDF, stored: it becomes the issue's PDF of record. Without
    it, a PDF of record the issue had (an earlier imported file) no longer matches and is cleared.
    """
    transition = TRANSITIONS["import"]
    issue = Issue.objects.filter(publication=publication, year=year, number=number,
                                 is_special=is_special).first()
    created = issue is None
    if issue is None:
        # The archive says which numbers the issue carried: nothing is proposed.
        issue = Issue(publication=publication, year=year, number=number, is_special=is_special,
                      created_by=by)
    else:
        issue = issue_lock(issue=issue)
    step = Step(issue=issue, by=by, params={"replace": replace},
                from_status=NEW if created else issue.status,
                note=f"来自文件 {source_name}" if source_name else "")
    transition_check(transition=transition, step=step)
    if not created:
        issue_ensure_revision(issue=issue, by=by)
    source = f"（{source_name}）" if source_name else ""
    # The render is queued by the verb's effect (queue_render), once the import commits.
    with recorded(issue=issue, by=by, comment=f"导入往期{source}" if created else f"导入替换{source}",
                  changes_content=False):
        if not created:
            issue.articles.all().delete()
            issue.recipients.all().delete()
            issue.version += 1
        issue.date, issue.total_number, issue.print_run = date, total_number, print_run
        issue.editor_note = editor_note
        issue.printed_distribution = [[role, text] for role, text in distribution]
        issue.status = Issue.Status.PUBLISHED
        issue.updated_by = by
        issue.full_clean()
        issue.save()
        columns: dict[str, Column] = {}
        for position, data in enumerate(articles):
            if data.column not in columns:
                columns[data.column] = column_get_or_create(publication=publication, name=data.column)
            article = Article(issue=issue, column=columns[data.column], title=data.title,
                              position=position, toc_title=data.toc_title, subtitle=data.subtitle,
                              byline=data.byline, source=data.source, editor_note=data.editor_note,
                              body=data.body, updated_by=by)
            article.full_clean()
            article.save()
        recipients = issue_set_printed_recipients(issue=issue, distribution=distribution,
                                                  fragments=fragments, unit_choices=unit_choices)
        search_index_issue(issue=issue)
    event = transition.event if created else transition.replacing_event
    transition_record(transition=transition, step=step, event=event,
                      fields=_pdf_of_record_fields(step, pdf_of_record))
    return IssueImportOutcome(issue=issue, created=created, recipients=recipients)


PDF_CLEARED_NOTE = "原签发稿PDF（SHA-256 {sha256}…）与导入的新内容不符，已不再作为本期的签发稿"


def _pdf_of_record_fields(step: Step, pdf: StoredPDF | None) -> dict[str, object]:
    """The imported PDF is what was printed: it becomes the record. Any other file leaves the
    issue without one, and its event says which PDF stopped being the record."""
    if pdf is not None:
        step.pdf = pdf
        return {"printed_pdf": pdf.name, "printed_pdf_sha256": pdf.sha256, "printed_pdf_revision": None}
    previous = step.issue.printed_pdf_sha256
    if not previous:
        return {}
    step.note = "；".join(part for part in (step.note, PDF_CLEARED_NOTE.format(sha256=previous[:16])) if part)
    return {"printed_pdf": "", "printed_pdf_sha256": "", "printed_pdf_revision": None}


def issue_set_printed_recipients(
    *,
    issue: Issue,
    distribution: Sequence[tuple[str, str]],
    fragments: UnitAction = UnitAction.KEEP_LINE,
    unit_choices: Mapping[str, UnitChoice] | None = None,
) -> PrintedRecipients:
    """Record the units of printed 版记 lines as the issue's recipients.

    A unit the directory has is reused by name. A new one is created, unless `unit_choices`
    says otherwise for its name: keep it only in the printed line, or count the issue as sent
    to an existing unit instead. A new name that is no unit of its own (副书记, 各市) follows
    `fragments`, never created unless asked. The printed lines stay exactly as they are.
    """
    if fragments == UnitAction.MERGE:
        raise ValueError(FRAGMENT_POLICY_MESSAGE)
    unit_choices = unit_choices or {}
    unplaced: list[str] = []
    rows: list[tuple[str, bool, str]] = []
    for printed_role, text in distribution:
        if printed_role not in ROLE_BY_PRINTED:
            unplaced.append(printed_role)
            continue
        role, is_addition = ROLE_BY_PRINTED[printed_role]
        rows.extend((role, is_addition, name) for name in distribution_split(text))
    names = list(dict.fromkeys(name for _, _, name in rows))
    organisations = {org.name: org for org in Organisation.objects.filter(name__in=names)}
    decisions = [_decide_unit(name, fragments=fragments, choice=unit_choices.get(name))
                 for name in names if name not in organisations]
    for decision in decisions:
        target = unit_choices[decision.name].organisation if decision.action == UnitAction.MERGE else None
        if target is not None:  # _decide_unit has refused a merge into no unit
            organisations[decision.name] = target
    missing = {d.name for d in decisions if d.action == UnitAction.CREATE}
    for line_role in dict.fromkeys(row[0] for row in rows):
        # A new unit's usual role is the one of the first line that names it.
        names = [name for r, _, name in rows if r == line_role and name in missing]
        missing.difference_update(names)
        organisations.update(organisations_get_or_create(names=names, default_role=line_role))
    recipients: dict[tuple[str, bool, int], IssueRecipient] = {}
    for line_role, is_addition, name in rows:
        organisation = organisations.get(name)
        if organisation is not None:
            # Two pieces merged into one unit make one recipient.
            recipients.setdefault((line_role, is_addition, organisation.pk), IssueRecipient(
                issue=issue, role=line_role, organisation=organisation, is_addition=is_addition,
                position=len(recipients)))
    IssueRecipient.objects.bulk_create(recipients.values())
    return PrintedRecipients(unplaced_roles=tuple(unplaced), decisions=tuple(decisions))


def _decide_unit(name: str, *, fragments: UnitAction, choice: UnitChoice | None) -> UnitDecision:
    fragment = unit_name_is_fragment(name)
    if choice is None:
        return UnitDecision(name=name, action=fragments if fragment else UnitAction.CREATE,
                            fragment=fragment)
    if choice.action != UnitAction.MERGE:
        return UnitDecision(name=name, action=choice.action, fragment=fragment)
    target = choice.organisation
    if target is None or target.pk is None or not Organisation.objects.filter(pk=target.pk).exists():
        raise ValidationError(MERGE_TARGET_MISSING_MESSAGE.format(name=name))
    return UnitDecision(name=name, action=UnitAction.MERGE, fragment=fragment, organisation=target.name)
