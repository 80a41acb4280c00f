"""Word manuscripts saved as articles: all the manuscripts of an import or none of them.

The reading is bulletins.manuscripts'; here each manuscript's images are stored and its article
created through the article services, in one transaction, and a dry run (the preview) is the
same import rolled back.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import transaction

from bulletins.images import image_storage
from bulletins.limits import UploadLimitError, read_in_child
from bulletins.manuscripts import (
    PENDING_SRC_RE,
    Manuscript,
    ManuscriptError,
    ManuscriptResult,
    read_manuscript,
)
from bulletins.models import Article, Column, Issue
from bulletins.services.articles import article_create
from bulletins.services.guards import issue_ensure_editable


def manuscript_create_article(*, issue: Issue, column: Column, manuscript: Manuscript, by=None) -> Article:
    """Store the manuscript's images and create its article in `column` of the draft `issue`.

    Either everything is saved or nothing is: images stored before a failure are deleted.
    """
    stored: list[str] = []
    try:
        with transaction.atomic():
            return _create_article(issue=issue, column=column, manuscript=manuscript, by=by,
                                   stored=stored)
    except BaseException:
        _delete_images(stored)
        raise


def _read_in_child(name: str, content: bytes) -> Manuscript:
    return read_manuscript(name=name, content=content)


def _create_article(*, issue: Issue, column: Column, manuscript: Manuscript, by,
                    stored: list[str]) -> Article:
    """The article of one manuscript, its images stored (their names added to `stored`)."""
    storage = image_storage()
    issue_ensure_editable(issue=issue)
    urls = {}
    for image in manuscript.images:
        stem = PurePath(manuscript.name).stem[:40] or "manuscript"
        saved = storage.save(f"{stem}-{image.number}.{image.extension}", io.BytesIO(image.data))
        stored.append(saved)
        urls[image.number] = storage.url(saved)
    body = PENDING_SRC_RE.sub(lambda m: f'src="{urls[int(m.group(1))]}"', manuscript.body_html)
    # The service puts it after the last article of its column.
    return article_create(
        issue=issue, column=column, title=manuscript.title, by=by,
        subtitle=manuscript.subtitle, byline=manuscript.byline, source=manuscript.source,
        editor_note=manuscript.editor_note, body=body)


def _delete_images(stored: list[str]) -> None:
    storage = image_storage()
    for name in stored:
        storage.delete(name)


class _RollBack(Exception):
    """Leaves the import's transaction so that none of it is kept."""


@dataclass
class ManuscriptImport:
    """The outcome of importing several manuscripts together: all saved, or none."""

    results: list[ManuscriptResult]
    saved: bool

    @property
    def failed(self) -> list[ManuscriptResult]:
        return [result for result in self.results if not result.ok]


def import_manuscripts(*, issue: Issue, column: Column, manuscripts: list[Manuscript], by=None,
                       dry_run: bool = False) -> ManuscriptImport:
    """Create the articles of the manuscripts in one transaction: all of them, or none.

    Each manuscript is tried in a savepoint so that every failure is reported by its file; if
    any fails, nothing is kept (articles rolled back, stored images deleted). A dry run is this
    same import, rolled back at the end.
    """
    results: list[ManuscriptResult] = []
    stored: list[str] = []
    try:
        with transaction.atomic():
            for manuscript in manuscripts:
                result = ManuscriptResult(name=manuscript.name, manuscript=manuscript)
                try:
                    with transaction.atomic():
                        result.article = _create_article(issue=issue, column=column,
                                                         manuscript=manuscript, by=by, stored=stored)
                except ValidationError as error:
                    result.error = _not_imported(result.name, error)
                results.append(result)
            if dry_run or any(not result.ok for result in results):
                raise _RollBack
    except _RollBack:
        _delete_images(stored)
        return ManuscriptImport(results=results, saved=False)
    except BaseException:
        _delete_images(stored)
        raise
    return ManuscriptImport(results=results, saved=True)


def import_manuscript(*, issue: Issue, column: Column, name: str, content: bytes, by=None,
                      dry_run: bool = False) -> ManuscriptResult:
    """Read one .docx and create its article (or, with `dry_run`, try to and roll back); errors
    are reported, not raised."""
    result = manuscript_read(name=name, content=content)
    if result.manuscript is None:
        return result
    return import_manuscripts(issue=issue, column=column, manuscripts=[result.manuscript], by=by,
                              dry_run=dry_run).results[0]


def manuscript_read(*, name: str, content: bytes) -> ManuscriptResult:
    """Read one .docx in the reading child (time and memory limits); what cannot be read is
    the result's error, not raised."""
    result = ManuscriptResult(name=PurePath(name).name)
    try:
        result.manuscript = read_in_child(_read_in_child, name, content, name=result.name)
    except (ManuscriptError, UploadLimitError) as error:
        result.error = str(error)
    return result


def _not_imported(name: str, error: ValidationError) -> str:
    return f"“{name}”未能导入：{'；'.join(error.messages)}"
