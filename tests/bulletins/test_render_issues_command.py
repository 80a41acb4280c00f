"""python manage.py render_issues --out-dir DIR [--html] [filters]."""

import io

import pytest
from django.core.management import CommandError, call_command

from tests.printing import build_issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def issues():
    first = build_issue(articles=1, paragraphs=2, slug="jiangsu")
    second = build_issue(articles=1, paragraphs=2, slug="hebei")
    type(second).objects.filter(pk=second.pk).update(number=9)
    return first, second


def test_renders_every_issue_into_the_folder(tmp_path, issues):
    out = io.StringIO()
    call_command("render_issues", "--out-dir", str(tmp_path), "--workers", "1", stdout=out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hebei-2023-9.pdf", "jiangsu-2023-454.pdf"]
    assert (tmp_path / "hebei-2023-9.pdf").read_bytes().startswith(b"%PDF-")
    assert "共 2 期" in out.getvalue()


def test_filters_and_html_beside_the_pdf(tmp_path, issues):
    call_command("render_issues", "--out-dir", str(tmp_path), "--publication", "hebei", "--year", "2023",
                 "--number", "9", "--html", "--workers", "1", stdout=io.StringIO())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hebei-2023-9.html", "hebei-2023-9.pdf"]
    assert '<html lang="zh-CN"' in (tmp_path / "hebei-2023-9.html").read_text(encoding="utf-8")


def test_nothing_matching_is_an_error(tmp_path, issues):
    with pytest.raises(CommandError, match="没有符合条件的期。"):
        call_command("render_issues", "--out-dir", str(tmp_path), "--year", "1999")


def test_two_worker_processes_render_the_seed_archive(tmp_path):
    """The pool forks real workers, so this runs against a database file in a subprocess."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings_test",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "CACHE_DIR": str(tmp_path / "cache")}

    def manage(*args: str) -> str:
        return subprocess.run([sys.executable, "manage.py", *args], cwd=root, env=env, check=True,  # noqa: S603
                              capture_output=True, text=True, timeout=300).stdout

    manage("migrate", "--no-input", "-v", "0")
    manage("import_archive", "seeds/")
    out = manage("render_issues", "--out-dir", str(tmp_path / "out"), "--workers", "2")
    pdfs = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert len(pdfs) == 5
    assert all(name.endswith(".pdf") for name in pdfs)
    assert "共 5 期" in out


def test_word_and_ofd_editions_beside_the_pdf(tmp_path, issues):
    out = io.StringIO()
    call_command("render_issues", "--out-dir", str(tmp_path), "--publication", "hebei",
                 "--format", "pdf,docx,ofd", "--workers", "1", stdout=out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hebei-2023-9.docx", "hebei-2023-9.ofd",
                                                          "hebei-2023-9.pdf"]
    assert (tmp_path / "hebei-2023-9.docx").read_bytes().startswith(b"PK")
    assert (tmp_path / "hebei-2023-9.ofd").read_bytes().startswith(b"PK")
    assert "hebei-2023-9.pdf, hebei-2023-9.docx, hebei-2023-9.ofd" in out.getvalue()


def test_only_the_editions_asked_for(tmp_path, issues):
    call_command("render_issues", "--out-dir", str(tmp_path), "--publication", "hebei",
                 "--format", "ofd", "--workers", "1", stdout=io.StringIO())
    assert [p.name for p in tmp_path.iterdir()] == ["hebei-2023-9.ofd"]


def test_unknown_format_is_an_error(tmp_path, issues):
    with pytest.raises(CommandError, match="不支持的格式：rtf（可选：pdf、docx、ofd）。"):
        call_command("render_issues", "--out-dir", str(tmp_path), "--format", "pdf,rtf")
