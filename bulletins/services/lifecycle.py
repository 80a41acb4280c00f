"""The life of an issue: every change of its state is a verb of one table, TRANSITIONS.

Each Transition names the states it starts from with the permission each needs, the state it
reaches, its guards (checked under the row lock), the fields it sets, the event it writes and
the side effects it leaves for after the commit. editorial.workflow's verbs, the archive import,
the admin's buttons, the workbench and the README's table are all read from it, so they cannot
disagree.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from bulletins.models import Issue, IssueEvent
from bulletins.rendering.queue import queue_issue_render
from bulletins.services.delivery import issue_deliver
from bulletins.services.distribution import issue_freeze_distribution
from bulletins.services.guards import WRONG_STATE_MESSAGE, issue_lock
from bulletins.services.notifications import issue_notify
from bulletins.services.printing import (
    PreparedSheet,
    StoredPDF,
    issue_check_printable,
    issue_prepare_sign_off_sheet,
    issue_render_for_sign_off,
    issue_store_pdf,
    issue_store_sign_off_sheet,
)
from bulletins.services.revisions import (
    issue_ensure_revision,
    issue_latest_revision,
    issue_record_event,
    user_label,
)

Status = Issue.Status
Action = IssueEvent.Action

# The state of an issue the import is about to create.
NEW = ""

# The roles of editorial.permissions that hold each permission, named in refusals.
ROLE_NAMES = {
    "bulletins.submit_issue": "编辑",
    "bulletins.review_issue": "审核",
    "bulletins.sign_off_issue": "签发",
    "bulletins.publish_issue": "编辑",
    "bulletins.reopen_issue": "签发",
}

NO_ROLE_MESSAGE = "您没有{action}的权限：只有“{role}”角色可以{action}。"
IMPORT_NO_ROLE_MESSAGE = ("{issue}未导入：导入的期直接记为已印发，等于签发，须由“{role}”角色导入或替换；"
                          "您没有{role}的权限。")
NOT_SUBMITTER_MESSAGE = "只有送审人{name}可以撤回送审。"
REASON_REQUIRED_MESSAGE = "请填写{action}的理由。"
NO_ARTICLES_MESSAGE = "{issue}还没有文章，不能{action}。"
REVISION_CHANGED_MESSAGE = "{action}未完成：{issue}的内容在此期间有了新的版本，请查看后重新{action}。"
IN_WORKFLOW_MESSAGE = "{issue}当前为“{status}”，正在签发流程中，不能用导入替换。"
SIGNED_HERE_MESSAGE = ("{issue}是在本系统签发的，留有签发稿PDF，不能用导入替换；"
                       "如需更正，请由签发人重新打开修改后再签发。")
REPLACE_DRAFT_MESSAGE = ("{issue}已有草稿（{articles} 篇文章），导入会用往期文件替换草稿的全部内容；"
                         "如确要替换，请确认替换（命令行加 --replace）。")
REPLACE_PUBLISHED_MESSAGE = ("{issue}已印发，导入的文件与系统中的内容不同；如确要用文件替换已印发的内容，"
                             "请确认替换（命令行加 --replace），原内容保留为历史版本。")


@dataclass(frozen=True)
class Prepared:
    """What a verb's `prepare` made before the transaction, from one revision of the issue."""

    revision_id: int | None
    pdf: bytes | None = None  # for 签发: the PDF of record rendered from that revision
    sheet: PreparedSheet | None = None  # for 签发: its 签发单


@dataclass
class Step:
    """One verb being taken: the locked row, who acts, what they gave, what was prepared."""

    issue: Issue
    by: User | None
    note: str = ""
    params: Mapping[str, Any] = field(default_factory=dict)
    prepared: Prepared | None = None
    from_status: str = ""
    pdf: StoredPDF | None = None  # a PDF of record the step stored, named by its event
    sheet: StoredPDF | None = None  # the 签发单 a sign-off stored beside it
    # Work to undo if the step fails after it (a stored file nothing would name).
    undo: list[Callable[[], object]] = field(default_factory=list)


Guard = Callable[[Step, "Transition"], None]
Effect = Callable[[Issue, str, User | None, str], object]


@dataclass(frozen=True)
class Transition:
    verb: str
    label: str  # what the user does, in messages: 您没有{label}的权限
    sources: Mapping[str, str]  # state it starts from -> permission needed there
    target: str
    event: str  # an IssueEvent.Action
    replacing_event: str = ""  # the event when the verb replaces an issue's content (import)
    guards: tuple[Guard, ...] = ()
    changes: Callable[[Step], dict[str, Any]] | None = None  # fields set with the state
    effects: tuple[Effect, ...] = ()  # run after the commit, never on rollback
    # Work done before the transaction, outside the row lock (e.g. rendering); its result is
    # the step's `prepared`, which a guard may check again under the lock.
    prepare: Callable[[Issue, User | None, str], Prepared] | None = None
    wrong_state_message: str = WRONG_STATE_MESSAGE
    no_role_message: str = NO_ROLE_MESSAGE

    @property
    def permissions(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.sources.values()))

    def allows(self, user: User | None, status: str) -> bool:
        """Whether the table lets `user` take this verb from `status` (guards aside)."""
        permission = self.sources.get(status)
        return permission is not None and _has(user, permission)

    def waiting_states(self, user: User) -> list[str]:
        """The states from which `user` may take this verb: what waits for them."""
        return [status for status, permission in self.sources.items()
                if status != NEW and _has(user, permission)]


def _has(user: User | None, permission: str) -> bool:
    return user is not None and user.is_active and user.has_perm(permission)


def _refuse_role(transition: Transition, permission: str, issue: Issue) -> None:
    raise PermissionDenied(transition.no_role_message.format(
        action=transition.label, role=ROLE_NAMES[permission], issue=issue.number_label))


# ---- guards ----------------------------------------------------------------------------------------


def articles_present(step: Step, transition: Transition) -> None:
    if not step.issue.articles.exists():
        raise ValidationError(NO_ARTICLES_MESSAGE.format(issue=step.issue.number_label,
                                                         action=transition.label))


def printable(step: Step, transition: Transition) -> None:
    # Found now, all at once, so that signing off never fails at the PDF.
    issue_check_printable(issue=step.issue)


def reason_required(step: Step, transition: Transition) -> None:
    if not step.note:
        raise ValidationError(REASON_REQUIRED_MESSAGE.format(action=transition.label),
                              code="reason_required")


def submitter_only(step: Step, transition: Transition) -> None:
    by = step.by
    if by is None or (step.issue.submitted_by_id != by.pk and not by.is_superuser):
        raise PermissionDenied(NOT_SUBMITTER_MESSAGE.format(name=user_label(step.issue.submitted_by)))


def revision_unchanged(step: Step, transition: Transition) -> None:
    """The content prepared outside the lock is still the issue's content under it."""
    if step.prepared is None:
        return
    latest = issue_latest_revision(issue=step.issue)
    if (latest.pk if latest is not None else None) != step.prepared.revision_id:
        raise ValidationError(REVISION_CHANGED_MESSAGE.format(issue=step.issue.number_label,
                                                              action=transition.label))


def not_signed_here(step: Step, transition: Transition) -> None:
    """An issue whose PDF of record was made by a sign-off here is corrected by reopening it."""
    if issue_signed_here(step.issue):
        raise ValidationError(SIGNED_HERE_MESSAGE.format(issue=step.issue.number_label),
                              code="signed_here")


def replace_confirmed(step: Step, transition: Transition) -> None:
    if step.from_status == NEW or step.params.get("replace"):
        return
    issue = step.issue
    if issue.status == Status.DRAFT:
        raise ValidationError(REPLACE_DRAFT_MESSAGE.format(issue=issue.number_label,
                                                           articles=issue.articles.count()))
    raise ValidationError(REPLACE_PUBLISHED_MESSAGE.format(issue=issue.number_label))


def issue_signed_here(issue: Issue) -> bool:
    """Whether the issue's PDF of record is the one its sign-off here made (not an imported file)."""
    return bool(issue.printed_pdf_sha256) and issue.events.filter(
        action=Action.SIGNED, pdf_sha256=issue.printed_pdf_sha256).exists()


# ---- what each verb sets ---------------------------------------------------------------------------


def _submitted(step: Step) -> dict[str, Any]:
    return {"submitted_by": step.by}


def _sign_off_prepare(issue: Issue, by: User | None, note: str) -> Prepared:
    """Render the PDF of record before any lock, in a render child with the render limits, and
    lay out the 签发单; the guard `revision_unchanged` checks under the lock that the PDF shows
    the issue's latest revision, and `_signed` stores both."""
    rendered = issue_render_for_sign_off(issue=issue, by=by)
    sheet = issue_prepare_sign_off_sheet(issue=issue, signer=by, opinion=note)
    return Prepared(revision_id=rendered.revision_id, pdf=rendered.pdf, sheet=sheet)


def _signed(step: Step) -> dict[str, Any]:
    if step.prepared is None or step.prepared.pdf is None:
        raise ValueError("sign_off stores the PDF its preparation rendered")
    revision = issue_ensure_revision(issue=step.issue, by=step.by)
    stored = issue_store_pdf(issue=step.issue, pdf=step.prepared.pdf)
    step.undo.append(partial(default_storage.delete, stored.name))
    step.pdf = stored
    step.sheet = issue_store_sign_off_sheet(issue=step.issue, signer=step.by, opinion=step.note,
                                            prepared=step.prepared.sheet)
    step.undo.append(partial(default_storage.delete, step.sheet.name))
    return {"printed_pdf": stored.name, "printed_pdf_sha256": stored.sha256,
            "printed_pdf_revision": revision}


def _printed(step: Step) -> dict[str, Any]:
    print_run: int | None = step.params.get("print_run")
    printed_on: datetime.date | None = step.params.get("printed_on")
    if print_run is not None:
        step.issue.print_run = print_run  # before the freeze, which computes a missing one
    issue_freeze_distribution(issue=step.issue)
    return {"printed_on": printed_on or timezone.localdate()}


def _reopened(step: Step) -> dict[str, Any]:
    # The signed PDF stays on record in the timeline (its event), no longer as the issue's.
    return {"printed_pdf": "", "printed_pdf_sha256": "", "printed_pdf_revision": None, "printed_on": None}


# ---- side effects, after the commit ----------------------------------------------------------------


def notify(issue: Issue, action: str, by: User | None, note: str) -> object:
    """E-mail the people whose step it is now."""
    return issue_notify(issue=issue, action=action, actor=by, note=note)


def deliver(issue: Issue, action: str, by: User | None, note: str) -> object:
    """Deliver the printed issue to every unit of its frozen distribution (送达)."""
    return issue_deliver(issue=issue)


def queue_render(issue: Issue, action: str, by: User | None, note: str) -> object:
    """Queue the PDF of the issue as it now stands for the background worker."""
    queue_issue_render(issue)
    return None


# ---- the table ---------------------------------------------------------------------------------------

SUBMIT, REVIEW, SIGN_OFF, PUBLISH, REOPEN = (
    "bulletins.submit_issue", "bulletins.review_issue", "bulletins.sign_off_issue",
    "bulletins.publish_issue", "bulletins.reopen_issue")

TRANSITIONS: dict[str, Transition] = {t.verb: t for t in (
    Transition("submit", "送审", {Status.DRAFT: SUBMIT}, Status.SUBMITTED, Action.SUBMITTED,
               guards=(articles_present, printable), changes=_submitted, effects=(notify,)),
    # Whoever submitted may take it back: no permission, the guard decides.
    Transition("withdraw", "撤回送审", {Status.SUBMITTED: ""}, Status.DRAFT, Action.WITHDRAWN,
               guards=(submitter_only,)),
    Transition("approve", "审核", {Status.SUBMITTED: REVIEW}, Status.APPROVED, Action.APPROVED,
               effects=(notify,)),
    Transition("sign_off", "签发", {Status.APPROVED: SIGN_OFF}, Status.SIGNED, Action.SIGNED,
               guards=(revision_unchanged,), changes=_signed, effects=(notify,),
               prepare=_sign_off_prepare),
    Transition("return_for_changes", "退回修改", {Status.SUBMITTED: REVIEW, Status.APPROVED: SIGN_OFF},
               Status.DRAFT, Action.RETURNED, guards=(reason_required,), effects=(notify,)),
    Transition("publish", "登记印发", {Status.SIGNED: PUBLISH}, Status.PUBLISHED, Action.PUBLISHED,
               guards=(articles_present,), changes=_printed, effects=(deliver,)),
    Transition("reopen", "重新打开修改", {Status.SIGNED: REOPEN, Status.PUBLISHED: REOPEN},
               Status.DRAFT, Action.REOPENED, guards=(reason_required,), changes=_reopened,
               effects=(notify,)),
    # The content is written by bulletins.services.archive.issue_import between the checks and
    # the event; an imported PDF becomes the PDF of record there.
    Transition("import", "导入往期", {NEW: SIGN_OFF, Status.DRAFT: SIGN_OFF, Status.PUBLISHED: SIGN_OFF},
               Status.PUBLISHED, Action.IMPORTED, Action.REPLACED,
               guards=(not_signed_here, replace_confirmed),
               effects=(queue_render,), wrong_state_message=IN_WORKFLOW_MESSAGE,
               no_role_message=IMPORT_NO_ROLE_MESSAGE),
)}


# ---- taking a verb -------------------------------------------------------------------------------------


def transition_check(*, transition: Transition, step: Step) -> None:
    """Refuse the step unless the issue is in a state the verb starts from, `by` holds the
    permission for that state and every guard passes. `by` None is the server's operator (a
    management command): the permission is not asked, the guards are."""
    issue = step.issue
    if step.from_status not in transition.sources:
        raise ValidationError(transition.wrong_state_message.format(
            issue=issue.number_label, status=issue.get_status_display(),
            action=IssueEvent.Action(transition.event).label))
    permission = transition.sources[step.from_status]
    if permission and step.by is not None and not _has(step.by, permission):
        _refuse_role(transition, permission, issue)
    for guard in transition.guards:
        guard(step, transition)


def transition_record(*, transition: Transition, step: Step, event: str = "",
                      fields: Mapping[str, Any] | None = None) -> IssueEvent:
    """Move the checked, locked issue to the verb's state with `fields`, write its event and
    leave its side effects for after the commit."""
    issue = step.issue
    issue_ensure_revision(issue=issue, by=step.by)
    issue.status = transition.target
    for name, value in (fields or {}).items():
        setattr(issue, name, value)
    issue.save()
    recorded = issue_record_event(issue=issue, action=event or transition.event, by=step.by,
                                  from_status=step.from_status, note=step.note,
                                  pdf=step.pdf.name if step.pdf else "",
                                  pdf_sha256=step.pdf.sha256 if step.pdf else "",
                                  sheet_pdf=step.sheet.name if step.sheet else "",
                                  sheet_sha256=step.sheet.sha256 if step.sheet else "")
    for effect in transition.effects:
        transaction.on_commit(partial(effect, issue, recorded.action, step.by, step.note), robust=True)
    return recorded


def issue_transition(*, verb: str, issue: Issue, by: User, note: str = "",
                     **params: Any) -> Issue:
    """Take the verb of TRANSITIONS named `verb` on the issue; return it as it now is."""
    transition = TRANSITIONS[verb]
    # Refused at once, without locking anything, when no state would let `by` take the verb.
    needed = [p for p in transition.permissions if p]
    if needed and not any(_has(by, p) for p in needed):
        _refuse_role(transition, transition.sources.get(issue.status) or needed[0], issue)
    note = (note or "").strip()
    prepared = transition.prepare(issue, by, note) if transition.prepare is not None else None
    with transaction.atomic():
        current = issue_lock(issue=issue)
        step = Step(issue=current, by=by, note=note, params=params, prepared=prepared,
                    from_status=current.status)
        transition_check(transition=transition, step=step)
        try:
            fields = transition.changes(step) if transition.changes is not None else {}
            transition_record(transition=transition, step=step, fields=fields)
        except BaseException:
            for undo in step.undo:
                undo()
            raise
    issue.refresh_from_db()
    return issue


def available_verbs(issue: Issue, user: User) -> list[str]:
    """The workflow verbs `user` may take on the issue as it is now, in the table's order."""
    verbs = []
    for verb, transition in TRANSITIONS.items():
        if verb == "import" or issue.status not in transition.sources:
            continue
        if verb == "withdraw":
            if user.is_active and (issue.submitted_by_id == user.pk or user.is_superuser):
                verbs.append(verb)
        elif transition.allows(user, issue.status):
            verbs.append(verb)
    return verbs


def lifecycle_table_markdown() -> str:
    """The table as the README shows it (tests/bulletins/test_lifecycle.py keeps them equal)."""
    def state(value: str) -> str:
        return "（新建）" if value == NEW else Status(value).label

    def role(permission: str) -> str:
        return ROLE_NAMES[permission] if permission else "—"

    lines = ["| 操作 | 从 | 到 | 角色 | 条件 | 记录 | 提交后 |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for transition in TRANSITIONS.values():
        sources = "、".join(f"{state(s)}（{role(p)}）" if len(set(transition.sources.values())) > 1
                           else state(s) for s, p in transition.sources.items())
        roles = "、".join(dict.fromkeys(role(p) for p in transition.sources.values()))
        guards = "、".join(GUARD_NAMES[g] for g in transition.guards) or "—"
        effects = "、".join(EFFECT_NAMES[e] for e in transition.effects) or "—"
        events = "、".join(Action(e).label for e in (transition.event, transition.replacing_event) if e)
        lines.append(f"| `{transition.verb}` {transition.label} | {sources} | {state(transition.target)} "
                     f"| {roles} | {guards} | {events} | {effects} |")
    return "\n".join(lines)


GUARD_NAMES: dict[Guard, str] = {
    articles_present: "有文章", printable: "字符都能印", reason_required: "须填理由",
    submitter_only: "送审人本人", revision_unchanged: "版本未变", not_signed_here: "非本系统签发",
    replace_confirmed: "替换须确认",
}
EFFECT_NAMES: dict[Effect, str] = {notify: "邮件通知", queue_render: "排队生成PDF", deliver: "送达各收文单位"}
