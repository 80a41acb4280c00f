"""Whole issues kept as Word files: read from the document's own structure, in three offices'
templates (tests/archive_word.py), imported like a PDF; old formats converted or refused."""

import io
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from bulletins.archive import docx_reader
from bulletins.archive.docx_reader import docx_lines
from bulletins.archive.importer import (
    ACTION_CREATED,
    ACTION_UNCHANGED,
    _without_whitespace,
    archive_import_file,
    parse_archive_bytes,
    parse_archive_text,
)
from bulletins.archive.json_format import issue_content_dict
from bulletins.archive.types import ArchiveFormatError
from tests.archive_word import TEMPLATES

SEEDS = sorted((Path(__file__).resolve().parents[2] / "seeds").glob("*.txt"))
def seed_issue(path: Path):
    return parse_archive_text(path.read_text(encoding="utf-8"), name=path.name)[0]


def content(issue) -> dict:
    return _without_whitespace(issue_content_dict(issue))


@pytest.mark.parametrize("template", sorted(TEMPLATES))
@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_every_seed_in_every_template_reads_back_exactly(path, template):
    seed = seed_issue(path)
    read = parse_archive_bytes(TEMPLATES[template](seed), name=f"{path.stem}.docx")[0]
    # (第365期's TOC prints a title other than its body's: the body's title, set in title type
    # over two lines, is close to it and is read with both.)
    assert read.doubts == []
    assert content(read) == content(seed)
    assert read.warnings == []


def test_the_masthead_and_tail_of_the_red_template_as_read():
    seed = seed_issue(SEEDS[0])
    read = parse_archive_bytes(TEMPLATES["red"](seed), name="a.docx")[0]
    assert (read.publication_prefix, read.publication, read.number) == (
        "建设学习型党组织、学习型领导班子", "工作简报", 454)
    assert read.issuing_office == ["协调小组办公室"]
    assert [column.name for column in read.columns] == ["上情下达", "经验交流", "学习动态"]
    assert read.distribution == seed.distribution
    # The footer's PAGE field is not part of the document's text.
    assert not any(s.reason == "页码" for s in read.skipped)


@pytest.mark.django_db
def test_a_word_issue_imports_and_again_or_after_its_text_is_unchanged():
    seed_path = SEEDS[4]
    docx = TEMPLATES["table"](seed_issue(seed_path))
    first = archive_import_file(content=docx, name="第9期.docx")
    assert first.error is None
    assert [report.action for report in first.issues] == [ACTION_CREATED]
    assert first.show_structure
    assert any(line.startswith("  栏目“学习动态”") for line in first.report_lines())
    again = archive_import_file(content=docx, name="第9期.docx")
    assert [report.action for report in again.issues] == [ACTION_UNCHANGED]
    text = archive_import_file(path=seed_path)
    assert [report.action for report in text.issues] == [ACTION_UNCHANGED]


@pytest.mark.django_db
def test_a_damaged_docx_is_refused_with_its_reason_and_nothing_saved():
    result = archive_import_file(content=b"PK\x03\x04 not really a zip", name="往期.docx")
    assert result.error == "往期.docx：不是有效的 Word 文件（.docx）：文件已损坏，或是改了扩展名的其他文件。"
    assert result.issues == []


@pytest.mark.django_db
def test_an_old_word_file_is_refused_clearly_where_libreoffice_is_not_installed(monkeypatch):
    monkeypatch.setattr(docx_reader.shutil, "which", lambda name: None)
    result = archive_import_file(content=docx_reader.OLE_MAGIC + b"\x00" * 600, name="往期.wps")
    assert result.error == ("往期.wps：无法读取 .wps 文件：本机未安装 LibreOffice，"
                            "不能转换旧版 Word/WPS 格式。请在 Word 或 WPS 中另存为 .docx 或 PDF 后再导入。")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_doc_file_is_converted_by_libreoffice_and_read_like_the_docx(tmp_path):
    seed = seed_issue(SEEDS[1])
    source = tmp_path / "issue.docx"
    source.write_bytes(TEMPLATES["red"](seed))
    subprocess.run([shutil.which("soffice"),  # noqa: S603
                    f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                    "--convert-to", "doc", "--outdir", str(tmp_path), str(source)],
                   check=True, capture_output=True, timeout=180)
    read = parse_archive_bytes((tmp_path / "issue.doc").read_bytes(), name="issue.doc")[0]
    assert read.doubts == []
    assert content(read) == content(seed)


def test_a_doc_file_is_converted_inside_the_reading_child_with_its_limits(tmp_path, settings):
    """In production the whole reading, LibreOffice's conversion included, runs in the reading
    child under its time and memory limits."""
    from bulletins.archive.reading import parse_archive_file

    settings.BULLETIN_PARSE_ISOLATED = True
    seed = seed_issue(SEEDS[1])
    source = tmp_path / "issue.docx"
    source.write_bytes(TEMPLATES["red"](seed))
    subprocess.run([shutil.which("soffice"),  # noqa: S603
                    f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                    "--convert-to", "doc", "--outdir", str(tmp_path), str(source)],
                   check=True, capture_output=True, timeout=180)
    read = parse_archive_file((tmp_path / "issue.doc").read_bytes(), name="issue.doc")[0]
    assert content(read) == content(seed)


def test_formatting_outside_the_standard_is_refused_clearly_and_alignment_start_is_read():
    document = Document()
    paragraph = document.add_paragraph("工作简报")
    justification = OxmlElement("w:jc")
    justification.set(qn("w:val"), "start")  # as LibreOffice writes it; python-docx refuses it
    paragraph._p.get_or_add_pPr().append(justification)
    buffer = io.BytesIO()
    document.save(buffer)
    assert [line.text for line in docx_lines(buffer.getvalue())] == ["工作简报"]
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "abc")
    paragraph.runs[0]._r.get_or_add_rPr().append(size)
    buffer = io.BytesIO()
    document.save(buffer)
    with pytest.raises(ArchiveFormatError, match="不合规范的格式设置"):
        docx_lines(buffer.getvalue())


def test_libreoffice_does_not_outlive_a_reading_child_stopped_at_its_limit(tmp_path, settings, monkeypatch):
    """The reading child is killed at BULLETIN_PARSE_TIMEOUT; the conversion it started ends
    with it instead of running on (here a stand-in for LibreOffice that would take a minute)."""
    from bulletins.archive.reading import parse_archive_file
    from bulletins.limits import UploadLimitError
    from bulletins.rendering import isolated

    fake = tmp_path / "soffice"
    fake.write_text(f"#!/bin/sh\necho $$ > {tmp_path}/pid\nexec sleep 60\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:{os.environ['PATH']}")
    settings.BULLETIN_PARSE_ISOLATED = True
    settings.BULLETIN_PARSE_TIMEOUT = 2
    isolated._parse_runner = None  # (configured from the settings at first use)
    try:
        with pytest.raises(UploadLimitError, match="读取超时"):
            parse_archive_file(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 an old Word file", name="issue.doc")
    finally:
        isolated._parse_runner = None
    started = Path(f"/proc/{(tmp_path / 'pid').read_text().strip()}")
    deadline = time.monotonic() + 20  # (it would run for 60 s)
    while started.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not started.exists()
