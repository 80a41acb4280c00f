"""Hardening: check --deploy, security headers, CSP, login throttling, sessions, request limits."""

import os
import re
import subprocess
import sys

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import User
from django.urls import reverse

from editorial.security import client_ip
from editorial.sites import WRONG_LOGIN

pytestmark = pytest.mark.django_db

LOCKED = "登录失败次数过多（5 次），该账号已在此地址被暂时锁定。请稍后再试，或请系统管理员解锁。"


def _check_deploy(**env) -> set[str]:
    environment = {key: value for key, value in os.environ.items()
                   if key not in {"DEBUG", "HTTPS", "DJANGO_SETTINGS_MODULE", "SECURE_COOKIES"}}
    environment.update({"SECRET_KEY": "production-like-" + "k9Xq2vLmT7pR4sW8zN1bY6cH3jF5dG0a" * 2,
                        "BACKUP_KEY": "backup-key-" + "Lm7pR4sW8zN1bY6c" * 2,
                        "ALLOWED_HOSTS": "bulletins.example", "DJANGO_SETTINGS_MODULE": "config.settings",
                        **env})
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy"], env=environment,
                            capture_output=True, text=True, cwd=settings.BASE_DIR, check=False)
    return set(re.findall(r"^\S*: \(([\w.]+)\)", result.stdout + result.stderr, re.MULTILINE))


def test_check_deploy_is_clean_under_production_settings():
    # bulletins.W001 only says that this machine has no licensed office fonts.
    assert _check_deploy() - {"bulletins.W001"} == set()


def test_check_deploy_warns_without_a_backup_key():
    assert _check_deploy(BACKUP_KEY="") - {"bulletins.W001"} == {"bulletins.W005"}
    key_file = {"BACKUP_KEY": "", "BACKUP_KEY_FILE": "/etc/bulletins/backup.key"}
    assert _check_deploy(**key_file) - {"bulletins.W001"} == set()


def test_an_intranet_over_http_turns_off_exactly_the_https_settings():
    assert _check_deploy(HTTPS="off") - {"bulletins.W001"} == {
        "security.W004", "security.W008", "security.W012", "security.W016"}


def test_security_headers(client):
    response = client.get(reverse("admin:login"), secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    assert policy == {
        "default-src": "'self'", "script-src": "'self'", "style-src": "'self' 'unsafe-inline'",
        "img-src": "'self' data: blob:", "font-src": "'self' data:", "connect-src": "'self'",
        "object-src": "'none'", "base-uri": "'self'", "form-action": "'self'",
        "frame-ancestors": "'none'"}
    assert "Secure" in str(response.cookies["csrftoken"])


def test_http_is_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get(reverse("admin:login"))
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/admin/login/"


def test_sessions_expire(client, admin_user):
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    client.force_login(admin_user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert client.session.get_expiry_age() == 8 * 3600


def _login(client, password, address="10.0.0.7"):
    return client.post(reverse("admin:login"), {"username": "editor", "password": password},
                       REMOTE_ADDR=address)


def test_login_is_locked_after_five_failures_for_that_user_and_address(client):
    User.objects.create_user("editor", password="right-password", is_staff=True)
    for _ in range(4):
        response = _login(client, "wrong")
        assert response.status_code == 200
        assert WRONG_LOGIN in response.content.decode()
    response = _login(client, "wrong")
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert '<a href="/admin/">简报编辑印发系统</a>' in response.content.decode()
    # Locked: even the right password is refused from that address ...
    response = _login(client, "right-password")
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    # ... but the same user from another address may still log in.
    response = _login(client, "right-password", address="10.0.0.8")
    assert response.status_code == 302


def test_an_administrator_unlocks_by_deleting_the_attempts(client):
    User.objects.create_user("editor", password="right-password", is_staff=True)
    for _ in range(5):
        _login(client, "wrong")
    assert AccessAttempt.objects.filter(username="editor", ip_address="10.0.0.7").exists()
    AccessAttempt.objects.filter(username="editor").delete()
    assert _login(client, "right-password").status_code == 302


def test_access_attempts_are_in_the_admin(client, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 200


def test_client_address_behind_proxies(rf, settings):
    request = rf.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4, 192.0.2.9, 10.0.0.2", REMOTE_ADDR="10.0.0.1")
    settings.PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.1"
    settings.PROXY_COUNT = 1
    assert client_ip(request) == "10.0.0.2"
    settings.PROXY_COUNT = 2
    assert client_ip(request) == "192.0.2.9"


def test_a_request_body_over_the_limit_is_refused(client, admin_user, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    client.force_login(admin_user)
    response = client.post(reverse("admin:bulletins_organisation_add"), {"name": "甲" * 2000})
    assert response.status_code == 400


def test_a_session_in_use_is_saved_again_only_after_a_while(client, admin_user, settings):
    from django.contrib.sessions.models import Session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(admin_user)
    saved = Session.objects.get().expire_date
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("admin:index")).status_code == 200
    assert not [q for q in queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]]
    assert Session.objects.get().expire_date == saved

    settings.SESSION_REFRESH_SECONDS = 0  # as if the last save were long ago
    client.get(reverse("admin:index"))
    assert Session.objects.get().expire_date > saved
    assert client.session.get_expiry_age() == 8 * 3600


def test_an_anonymous_visit_makes_no_session(client):
    from django.contrib.sessions.models import Session

    assert client.get(reverse("admin:login")).status_code == 200
    assert not Session.objects.exists()


def test_error_pages_are_in_chinese(client, admin_user):
    client.force_login(admin_user)
    response = client.get("/admin/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
