"""The printed record: the PDF made at sign-off, stored once and served unchanged from then on."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from bulletins.limits import UploadLimitError, check_issue_size, issue_characters
from bulletins.models import Issue
from bulletins.rendering import MissingGlyphError
from bulletins.rendering.pdf import issue_missing_glyphs, issue_pdf_filename, render_issue_pdf

MISSING_GLYPHS_MESSAGE = "以下字符在已配置的字体中都没有字形，无法印刷，请先修改：{items}。"


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


def issue_store_pdf_of_record(*, issue: Issue) -> StoredPDF:
    """Render the issue as it stands and keep the PDF in storage under a name of its own."""
    issue_check_printable(issue=issue)
    try:
        pdf = render_issue_pdf(issue, use_cache=False)
    except MissingGlyphError as error:
        raise ValidationError(str(error), code="missing_glyphs") from error
    return issue_store_pdf(issue=issue, pdf=pdf)


def issue_store_pdf(*, issue: Issue, pdf: bytes) -> StoredPDF:
    """Keep these PDF bytes in storage under a name of their own, for the issue's record."""
    sha256 = hashlib.sha256(pdf).hexdigest()
    stem = issue_pdf_filename(issue).removesuffix(".pdf")
    name = default_storage.save(f"printed/{stem}-{sha256[:12]}.pdf", ContentFile(pdf))
    return StoredPDF(name=name, sha256=sha256)


@contextmanager
def issue_pdf_of_record_stored(*, issue: Issue) -> Iterator[StoredPDF]:
    """Store the PDF of record for the block that records it; if that block fails, the
    transaction rolls back and the file, which nothing would name, is removed again."""
    stored = issue_store_pdf_of_record(issue=issue)
    try:
        yield stored
    except BaseException:
        default_storage.delete(stored.name)
        raise


def issue_pdf_of_record(issue: Issue) -> bytes | None:
    """The stored PDF of a signed-off or printed issue, exactly as it was made; None otherwise."""
    if not issue.printed_pdf:
        return None
    with issue.printed_pdf.open("rb") as stored:
        pdf: bytes = stored.read()
    return pdf
