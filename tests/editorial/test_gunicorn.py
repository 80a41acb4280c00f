"""gunicorn serves config.wsgi as the README says: pages with their headers, static files by whitenoise."""

import http.cookiejar
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import django.contrib.admin
import pytest
from django.conf import settings

GUNICORN = Path(sys.executable).with_name("gunicorn")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str):
    deadline = time.monotonic() + 120
    while True:
        try:
            return urllib.request.urlopen(url, timeout=10)  # noqa: S310 - our own server
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def test_gunicorn_serves_the_site(tmp_path):
    static = tmp_path / "static"
    admin_css = Path(django.contrib.admin.__file__).parent / "static" / "admin" / "css" / "base.css"
    (static / "admin" / "css").mkdir(parents=True)
    shutil.copy(admin_css, static / "admin" / "css" / "base.css")
    environment = {key: value for key, value in os.environ.items() if key != "DEBUG"}
    environment.update(DJANGO_SETTINGS_MODULE="config.settings_test", STATIC_ROOT=str(static),
                       DATABASE_URL=f"sqlite:///{tmp_path / 'site.sqlite3'}",
                       ALLOWED_HOSTS="127.0.0.1", WEB_CONCURRENCY="2")
    subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],  # noqa: S603
                   env=environment, cwd=settings.BASE_DIR, check=True)
    port = _free_port()
    server = subprocess.Popen([str(GUNICORN), "config.wsgi", "--bind", f"127.0.0.1:{port}"],  # noqa: S603
                              env=environment, cwd=settings.BASE_DIR, stderr=subprocess.PIPE, text=True)
    try:
        with _get(f"http://127.0.0.1:{port}/admin/login/") as response:
            assert response.status == 200
            assert "script-src 'self'" in response.headers["Content-Security-Policy"]
            assert response.headers["X-Frame-Options"] == "DENY"
            assert "简报编辑印发系统" in response.read().decode()
        with _get(f"http://127.0.0.1:{port}/static/admin/css/base.css") as response:
            assert response.status == 200
            assert response.read() == admin_css.read_bytes()
    finally:
        server.terminate()
        _, errors = server.communicate(timeout=30)
    # WEB_CONCURRENCY is gunicorn's worker count: two workers were booted.
    assert errors.count("Booting worker with pid") == 2, errors


def test_a_web_worker_starts_ready_to_print(tmp_path):
    """config.wsgi loads WeasyPrint and freezes what start-up made, as the render child does."""
    environment = {key: value for key, value in os.environ.items() if key != "DEBUG"}
    environment.update(DJANGO_SETTINGS_MODULE="config.settings_test",
                       DATABASE_URL=f"sqlite:///{tmp_path / 'site.sqlite3'}")
    probe = ("import gc, sys, config.wsgi; "
             "print('weasyprint' in sys.modules, gc.get_freeze_count() > 10_000)")
    result = subprocess.run([sys.executable, "-c", probe], env=environment, cwd=settings.BASE_DIR,  # noqa: S603
                            capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["True", "True"]


def test_gunicorn_shows_uploaded_images_to_staff(tmp_path):
    """With local storage and nothing in front, the site serves article images itself."""
    media = tmp_path / "media"
    (media / "article-images").mkdir(parents=True)
    (media / "article-images" / "会场.png").write_bytes(b"\x89PNG\r\n\x1a\n image")
    environment = {key: value for key, value in os.environ.items() if key != "DEBUG"}
    environment.update(DJANGO_SETTINGS_MODULE="config.settings_test", MEDIA_ROOT=str(media),
                       DATABASE_URL=f"sqlite:///{tmp_path / 'site.sqlite3'}", ALLOWED_HOSTS="127.0.0.1",
                       SECURE_COOKIES="off", DJANGO_SUPERUSER_PASSWORD="mima-12345")
    for command in (["migrate", "--no-input", "-v", "0"],
                    ["createsuperuser", "--no-input", "--username", "zhubian", "--email", "z@example.cn"]):
        subprocess.run([sys.executable, "manage.py", *command],  # noqa: S603
                       env=environment, cwd=settings.BASE_DIR, check=True, capture_output=True)
    port = _free_port()
    server = subprocess.Popen([str(GUNICORN), "config.wsgi", "--bind", f"127.0.0.1:{port}"],  # noqa: S603
                              env=environment, cwd=settings.BASE_DIR, stderr=subprocess.PIPE, text=True)
    image = f"http://127.0.0.1:{port}/media/article-images/{urllib.parse.quote('会场.png')}"
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    try:
        _get(f"http://127.0.0.1:{port}/admin/login/").close()  # the server is up
        with pytest.raises(urllib.error.HTTPError, match="404"):
            opener.open(image, timeout=10)  # noqa: S310 - our own server
        with opener.open(f"http://127.0.0.1:{port}/admin/login/", timeout=10) as response:  # noqa: S310
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.read().decode())[1]
        login = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": "zhubian",
                                        "password": "mima-12345", "next": "/admin/"}).encode()
        opener.open(urllib.request.Request(f"http://127.0.0.1:{port}/admin/login/", data=login),  # noqa: S310
                    timeout=10).close()
        with opener.open(image, timeout=10) as response:  # noqa: S310
            assert response.headers["Content-Type"] == "image/png"
            assert response.read() == b"\x89PNG\r\n\x1a\n image"
    finally:
        server.terminate()
        server.communicate(timeout=30)
