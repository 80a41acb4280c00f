"""An item from a Word file: read as the article import reads it (bulletins.manuscripts), images stored
as editor uploads are, so the item's body is what the article's would be."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import PurePath

from django.core.files.uploadedfile import UploadedFile

from bulletins.images import image_storage
from bulletins.manuscripts import PENDING_SRC_RE, ManuscriptError, max_manuscript_bytes, read_manuscript


@dataclass
class WordItem:
    title: str
    body: str
    warnings: list[str] = field(default_factory=list)


def word_item_read(*, upload: UploadedFile) -> WordItem:
    """Read a .docx; ManuscriptError (a Chinese message naming the file) when it cannot be read."""
    if upload.size > max_manuscript_bytes():
        raise ManuscriptError(f"“{upload.name}”超过 {max_manuscript_bytes() // (1024 * 1024)} MB，不能导入。")
    manuscript = read_manuscript(name=upload.name, content=upload.read())
    storage = image_storage()
    urls = {}
    for image in manuscript.images:
        stem = PurePath(manuscript.name).stem[:40] or "manuscript"
        urls[image.number] = storage.url(storage.save(f"{stem}-{image.number}.{image.extension}",
                                                      io.BytesIO(image.data)))
    body = PENDING_SRC_RE.sub(lambda m: f'src="{urls[int(m.group(1))]}"', manuscript.body_html)
    return WordItem(title=manuscript.title, body=body, warnings=manuscript.warnings)
