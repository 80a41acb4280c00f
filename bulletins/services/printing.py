"""The printed record: the PDF made at sign-off, stored once and served unchanged from then on."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from bulletins.limits import UploadLimitError, check_issue_size, issue_characters
from bulletins.models import Issue, IssueEvent
from bulletins.rendering import MissingGlyphError
from bulletins.rendering.fonts import current_fonts
from bulletins.rendering.html import PrintedIssue, printed_issue, render_issue_html
from bulletins.rendering.isolated import IsolatedRunner, RenderOutOfMemory, RenderTimeout
from bulletins.rendering.pdf import (
    issue_missing_glyphs,
    issue_pdf_filename,
    render_printed_issue,
)
from bulletins.rendering.sign_off_sheet import SignOffSheet, render_sign_off_sheet, sign_off_sheet
from bulletins.services.guards import issue_ensure_state
from bulletins.services.revisions import issue_ensure_revision

MISSING_GLYPHS_MESSAGE = "以下字符在已配置的字体中都没有字形，无法印刷，请先修改：{items}。"
SIGN_OFF_RENDER_FAILED_MESSAGE = "签发未完成，{issue}仍为“审核通过”：签发稿PDF无法生成，{cause}"
OUT_OF_MEMORY_CAUSE = "{error}多半是文章中的图片过大（像素太多），请缩小图片后再签发。"
TIMEOUT_CAUSE = "{error}多半是文章中的图片过大或过多，请缩小图片后再签发。"


@dataclass(frozen=True)
class StoredPDF:
    name: str
    sha256: str


def issue_check_printable(*, issue: Issue) -> None:
    """Refuse an issue too large to print (ISSUE_MAX_CHARACTERS), and, listing all of them at
    once, the characters no configured font can print."""
    try:
        check_issue_size(label=issue.number_label, characters=issue_characters(issue))
    except UploadLimitError as error:
        raise ValidationError(str(error), code="too_large") from error
    missing = issue_missing_glyphs(issue)
    if missing:
        items = "；".join(f"{where}中的“{character}”（U+{ord(character):04X}）"
                         for where, character in missing)
        raise ValidationError(MISSING_GLYPHS_MESSAGE.format(items=items), code="missing_glyphs")


def issue_store_pdf(*, issue: Issue, pdf: bytes, kind: str = "") -> StoredPDF:
    """Keep these PDF bytes in storage under a name of their own, for the issue's record
    (`kind`: `-sheet` for its 签发单)."""
    sha256 = hashlib.sha256(pdf).hexdigest()
    stem = issue_pdf_filename(issue).removesuffix(".pdf")
    name = default_storage.save(f"printed/{stem}{kind}-{sha256[:12]}.pdf", ContentFile(pdf))
    return StoredPDF(name=name, sha256=sha256)


@dataclass(frozen=True)
class PreparedSheet:
    """A 签发单 laid out before the sign-off takes its lock, and what it says."""

    sheet: SignOffSheet
    pdf: bytes


def issue_prepare_sign_off_sheet(*, issue: Issue, signer: User | None, opinion: str) -> PreparedSheet:
    """Lay out the 签发单 of the sign-off about to be taken, outside any lock."""
    sheet = sign_off_sheet(issue=issue, signer=signer, opinion=opinion)
    return PreparedSheet(sheet=sheet, pdf=render_sign_off_sheet(sheet))


def issue_store_sign_off_sheet(*, issue: Issue, signer: User | None, opinion: str,
                               prepared: PreparedSheet | None = None) -> StoredPDF:
    """Store the 签发单 of the sign-off being taken now beside the PDF of record; every earlier
    sheet stays with its own sign-off event. The sheet `prepared` before the lock is stored when
    the issue's events still say the same; otherwise (rarely: a step taken meanwhile) it is laid
    out again here."""
    sheet = sign_off_sheet(issue=issue, signer=signer, opinion=opinion)
    pdf = prepared.pdf if prepared is not None and prepared.sheet == sheet else render_sign_off_sheet(sheet)
    return issue_store_pdf(issue=issue, pdf=pdf, kind="-sheet")


def issue_pdf_of_record(issue: Issue) -> bytes | None:
    """The stored PDF of a signed-off or printed issue, exactly as it was made; None otherwise."""
    if not issue.printed_pdf:
        return None
    with issue.printed_pdf.open("rb") as stored:
        pdf: bytes = stored.read()
    return pdf


@dataclass(frozen=True)
class SignOffRender:
    """The PDF of record, made before sign-off takes any lock, and the revision it shows."""

    pdf: bytes
    revision_id: int


def issue_render_for_sign_off(*, issue: Issue, by: User | None) -> SignOffRender:
    """Render the issue's PDF of record outside any transaction and lock.

    The layout runs in a child process with the render limits (BULLETIN_RENDER_TIMEOUT,
    _MEMORY_MB), as background renders do, so that an issue too heavy to print fails with a
    message naming the cause instead of holding the web process and the issue's row.
    """
    issue = Issue.objects.select_related("publication").get(pk=issue.pk)
    issue_ensure_state(issue=issue, allowed_from=(Issue.Status.APPROVED,), action=IssueEvent.Action.SIGNED)
    revision = issue_ensure_revision(issue=issue, by=by)
    issue_check_printable(issue=issue)
    fonts = current_fonts()
    printed = printed_issue(issue)
    html = render_issue_html(printed, fonts=fonts)
    try:
        pdf = _render_in_limits(printed, html)
    except MissingGlyphError as error:
        raise ValidationError(str(error), code="missing_glyphs") from error
    except RenderOutOfMemory as error:
        raise _render_failed(issue, OUT_OF_MEMORY_CAUSE.format(error=error)) from error
    except RenderTimeout as error:
        raise _render_failed(issue, TIMEOUT_CAUSE.format(error=error)) from error
    return SignOffRender(pdf=pdf, revision_id=revision.pk)


def _render_failed(issue: Issue, cause: str) -> ValidationError:
    return ValidationError(SIGN_OFF_RENDER_FAILED_MESSAGE.format(issue=issue.number_label, cause=cause),
                           code="render_failed")


def _render_of_record(printed: PrintedIssue, html: str) -> bytes:
    return render_printed_issue(printed, fonts=current_fonts(), html=html)


def _render_in_limits(printed: PrintedIssue, html: str) -> bytes:
    if not settings.BULLETIN_RENDER_ISOLATED:
        return _render_of_record(printed, html)
    # A child of its own, closed afterwards: a web process does not keep a render child alive
    # for the rare sign-off.
    runner = sign_off_runner()
    try:
        pdf: bytes = runner.run(_render_of_record, printed, html)
        return pdf
    finally:
        runner.close()


def sign_off_runner() -> IsolatedRunner:
    return IsolatedRunner(timeout=settings.BULLETIN_RENDER_TIMEOUT,
                          memory_mb=settings.BULLETIN_RENDER_MEMORY_MB, max_tasks_per_child=0,
                          niceness=0)
