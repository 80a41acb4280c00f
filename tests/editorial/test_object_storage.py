"""Object storage by settings alone: django-storages' S3Storage against an S3 server (moto's).

The environment below is what the README tells an operator to set. One test checks that
config.settings turns it into STORAGES; the other runs the editor's image upload, a PDF that
prints the uploaded image, the PDF of record made at sign-off and the mailroom files against
the S3 server, and checks that every file is an object in the bucket and nothing is on disk.
"""

import hashlib
import io
import json
import os
import subprocess
import sys
import threading
from urllib.parse import unquote

import boto3
import pypdf
import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from PIL import Image
from werkzeug.serving import make_server

from bulletins.rendering.pdf import render_issue_pdf
from bulletins.services import article_update
from editorial import workflow
from tests.printing import build_issue

BUCKET = "bulletins"


def _s3_server():
    """moto's S3 server (as moto.server.ThreadedMotoServer runs it) on a free port of 8120-8129."""
    app = DomainDispatcherApplication(create_backend_app)
    for port in range(8120, 8130):
        try:
            return make_server("127.0.0.1", port, app, threaded=True, request_handler=MotoRequestHandler)
        except OSError:
            continue
    raise RuntimeError("no free port in 8120-8129")


def operator_environment(port: int) -> dict[str, str]:
    """The README's object-storage settings for an S3-compatible server at 127.0.0.1:port."""
    endpoint = f"127.0.0.1:{port}"
    return {
        "STORAGE_BACKEND": "storages.backends.s3.S3Storage",
        "STORAGE_OPTIONS": json.dumps({
            "bucket_name": BUCKET, "endpoint_url": f"http://{endpoint}", "region_name": "us-east-1",
            # Files are addressed (and read back by the PDF renderer) under MEDIA_URL.
            "custom_domain": f"{endpoint}/{BUCKET}", "url_protocol": "http:",
        }),
        "MEDIA_URL": f"http://{endpoint}/{BUCKET}/",
        "AWS_ACCESS_KEY_ID": "bulletins-test", "AWS_SECRET_ACCESS_KEY": "bulletins-test-secret",
    }


def test_the_environment_alone_selects_s3_storage():
    environment = {key: value for key, value in os.environ.items()
                   if key not in {"DJANGO_SETTINGS_MODULE", "DEBUG", "MEDIA_URL"}}
    environment.update(operator_environment(9000), SECRET_KEY="x" * 50,
                       DJANGO_SETTINGS_MODULE="config.settings")
    code = ("import json, django; django.setup(); from django.conf import settings as s; "
            "from django.core.files.storage import storages; d = storages['default']; "
            "print(json.dumps([s.STORAGES['default'], s.MEDIA_URL, type(d).__name__, "
            "d.url('printed/a b.pdf')]))")
    result = subprocess.run([sys.executable, "-c", code], env=environment,  # noqa: S603
                            capture_output=True, text=True, check=True,
                            cwd=django_settings.BASE_DIR)
    storage, media_url, storage_class, url = json.loads(result.stdout)
    assert storage == {"BACKEND": "storages.backends.s3.S3Storage",
                       "OPTIONS": json.loads(operator_environment(9000)["STORAGE_OPTIONS"])}
    assert (media_url, storage_class) == ("http://127.0.0.1:9000/bulletins/", "S3Storage")
    assert url == "http://127.0.0.1:9000/bulletins/printed/a%20b.pdf"


@pytest.fixture
def s3(settings, monkeypatch):
    """An S3 server on 127.0.0.1 with an empty bucket, and the site configured to use it."""
    server = _s3_server()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    environment = operator_environment(port)
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(key, environment[key])
    client = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1")
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": environment["STORAGE_BACKEND"],
        "OPTIONS": json.loads(environment["STORAGE_OPTIONS"])}}
    settings.MEDIA_URL = environment["MEDIA_URL"]
    yield client
    server.shutdown()
    server.server_close()


def _objects(client) -> dict[str, bytes]:
    listing = client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    return {item["Key"]: client.get_object(Bucket=BUCKET, Key=item["Key"])["Body"].read()
            for item in listing}


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), (30, 90, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


def _images_in(pdf: bytes) -> int:
    return sum(len(page.images) for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.django_db
def test_uploads_the_pdf_of_record_and_the_mailroom_files_on_s3(client, admin_user, s3, settings):
    client.force_login(admin_user)
    response = client.post("/admin/editor/image-upload/", {
        "upload": SimpleUploadedFile("照片.png", _png(), content_type="image/png")})
    assert response.status_code == 200
    url = response.json()["url"]
    assert url.startswith(f"{settings.MEDIA_URL}article-images/")
    name = unquote(url.removeprefix(settings.MEDIA_URL))
    assert _objects(s3) == {name: _png()}

    issue = build_issue(articles=1, paragraphs=1)
    article_update(article=issue.articles.get(), by=admin_user,
                   body=f'<p>图片：</p><p><img src="{url}"></p>')
    # The renderer reads the image back through the storage (from the S3 server).
    assert _images_in(render_issue_pdf(issue, use_cache=False)) == 1

    workflow.submit(issue=issue, by=admin_user)
    workflow.approve(issue=issue, by=admin_user)
    workflow.sign_off(issue=issue, by=admin_user)
    issue.refresh_from_db()
    stored = _objects(s3)[issue.printed_pdf.name]
    assert issue.printed_pdf.name.startswith("printed/")
    assert hashlib.sha256(stored).hexdigest() == issue.printed_pdf_sha256
    assert _images_in(stored) == 1
    assert client.get(reverse("editorial:issue_pdf", args=[issue.pk])).content == stored

    for view in ("editorial:mailroom_pdf", "editorial:mailroom_xlsx"):
        assert client.get(reverse(view, args=[issue.pk])).status_code == 200
    sheet = issue.events.get(action="signed").sheet_pdf.name  # the 签发单, beside the PDF
    assert sheet.startswith("printed/") and hashlib.sha256(_objects(s3)[sheet]).hexdigest() == \
        issue.events.get(action="signed").sheet_sha256
    assert set(_objects(s3)) == {name, issue.printed_pdf.name, sheet}
    assert not settings.MEDIA_ROOT.exists() or not any(settings.MEDIA_ROOT.rglob("*"))
