"""WeasyPrint reads only our static and media files and our fonts; hostile HTML gets nothing."""

import base64
import io
import logging

import pypdf
import pytest
from weasyprint.urls import URLFetcher

from bulletins.models import Article
from bulletins.rendering.fetcher import BASE_URL, BulletinURLFetcher, RefusedURL
from bulletins.rendering.fonts import current_fonts
from bulletins.rendering.pdf import render_issue_pdf, write_pdf
from tests.printing import build_issue

# A 1×1 transparent PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")

HOSTILE = """
<link rel="attachment" href="file:///etc/passwd">
<link rel="stylesheet" href="http://127.0.0.1:9/evil.css">
<style>@import url(http://127.0.0.1:9/import.css);
  body { background: url(file:///etc/hostname); }</style>
<p>正文<img src="file:///etc/passwd"><img src="/etc/passwd"><img src="https://example.com/x.png">
<a rel="attachment" href="file:///etc/passwd">附件</a><a rel="attachment" href="/etc/passwd">附件二</a>
<img src="https://bulletin.invalid/media/../../../../etc/passwd">
<img src="https://bulletin.invalid/media/%2e%2e/%2e%2e/etc/passwd">
<img src="data:text/html;base64,PHNjcmlwdD4=">
<object data="file:///etc/passwd"></object><embed src="file:///etc/passwd">
<iframe src="file:///etc/passwd"></iframe></p>
"""


@pytest.fixture
def opened(monkeypatch):
    """Record every URL the default WeasyPrint fetcher would have opened (none should be)."""
    calls = []
    original = URLFetcher.fetch

    def spy(self, url, headers=None):
        calls.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(URLFetcher, "fetch", spy)
    return calls


def _fetcher():
    return BulletinURLFetcher(font_files=current_fonts().file_paths)


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "file://localhost/etc/passwd",
    "http://127.0.0.1:9/evil.css",
    "https://example.com/x.png",
    "ftp://example.com/x",
    f"{BASE_URL}etc/passwd",
    f"{BASE_URL}media/../../etc/passwd",
    f"{BASE_URL}media/%2e%2e/%2e%2e/etc/passwd",
    f"{BASE_URL}static/../../../etc/passwd",
    "data:text/html;base64,PHNjcmlwdD4=",
    "data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=",
    "data:image/png;base64," + base64.b64encode(b"\x89PNG" + b"0" * 70_000).decode(),
])
def test_fetcher_refuses_everything_that_is_not_ours(url):
    with pytest.raises(RefusedURL):
        _fetcher().fetch(url)


def test_fetcher_serves_media_static_fonts_and_small_images(settings, tmp_path):
    media = settings.MEDIA_ROOT
    (media / "articles").mkdir(parents=True)
    (media / "articles" / "a.png").write_bytes(PNG)
    fetcher = _fetcher()
    assert fetcher.fetch(f"{BASE_URL}media/articles/a.png").read() == PNG
    assert fetcher.fetch(f"{BASE_URL}static/admin/css/base.css").read().startswith(b"/*")
    assert fetcher.fetch("data:image/png;base64," + base64.b64encode(PNG).decode()).read() == PNG
    font = current_fonts().face("body")
    assert fetcher.fetch(font.url).read(4) in {b"ttcf", b"OTTO", b"\x00\x01\x00\x00", b"true"}


def test_fetcher_refuses_a_symlink_out_of_media(settings):
    media = settings.MEDIA_ROOT
    media.mkdir(parents=True)
    (media / "passwd.png").symlink_to("/etc/passwd")
    with pytest.raises(RefusedURL):
        _fetcher().fetch(f"{BASE_URL}media/passwd.png")


def test_hostile_html_reads_nothing_and_embeds_nothing(opened, caplog):
    html = (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"></head>'
            f"<body>{HOSTILE}</body></html>")
    with caplog.at_level(logging.WARNING, logger="bulletins.rendering.fetcher"):
        pdf = write_pdf(html)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert reader.attachments == {}
    assert "/EmbeddedFiles" not in str(reader.trailer["/Root"].get("/Names", {}))
    assert not any(a.get_object()["/Subtype"] == "/FileAttachment"
                   for page in reader.pages for a in page.get("/Annots", []))
    assert b"root:x:0:0" not in pdf
    assert opened == []  # never reached WeasyPrint's own (unrestricted) fetching
    refused = " ".join(record.getMessage() for record in caplog.records)
    for url in ("file:///etc/passwd", "http://127.0.0.1:9/evil.css", "http://127.0.0.1:9/import.css",
                "file:///etc/hostname", "https://example.com/x.png", f"{BASE_URL}etc/passwd"):
        assert url in refused


def test_even_our_own_files_are_never_attached(settings):
    (settings.MEDIA_ROOT / "articles").mkdir(parents=True)
    (settings.MEDIA_ROOT / "articles" / "a.png").write_bytes(PNG)
    html = ('<html lang="zh-CN"><head><link rel="attachment" href="/media/articles/a.png"></head>'
            '<body><p><img src="/media/articles/a.png">'
            '<a rel="attachment" href="/media/articles/a.png">附件</a></p></body></html>')
    reader = pypdf.PdfReader(io.BytesIO(write_pdf(html)))
    assert reader.attachments == {}
    annotations = [a.get_object()["/Subtype"] for a in reader.pages[0].get("/Annots", [])]
    assert "/FileAttachment" not in annotations
    assert reader.pages[0]["/Resources"]["/XObject"]  # the image itself is printed


@pytest.mark.django_db
def test_hostile_article_html_stored_without_the_sanitiser_prints_nothing_of_it(opened):
    issue = build_issue(articles=1, paragraphs=1, distribution=False)
    Article.objects.filter(issue=issue).update(body=HOSTILE)  # bypasses Article.save()
    pdf = render_issue_pdf(issue, use_cache=False)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert reader.attachments == {}
    assert b"root:x:0:0" not in pdf
    assert opened == []
    assert "正文" in reader.pages[0].extract_text() + reader.pages[-1].extract_text()
