"""Many people at once: the default SQLite database waits its turn rather than failing."""

import json
import os
import random
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from django.conf import settings

from tests.html_forms import form_fields


def _sqlite_connection_settings(database) -> list[str]:
    """What a connection of the production settings to a SQLite file reports, in a fresh process."""
    environment = {key: value for key, value in os.environ.items()
                   if key not in {"DJANGO_SETTINGS_MODULE", "DEBUG", "DATABASE_URL"}}
    environment.update(SECRET_KEY="x" * 50, DJANGO_SETTINGS_MODULE="config.settings",
                       DATABASE_URL=f"sqlite:///{database}")
    code = ("import django; django.setup(); from django.db import connection as c; "
            "cursor = c.cursor(); "
            "print(*(cursor.execute(f'PRAGMA {name}').fetchone()[0] "
            "for name in ('journal_mode', 'synchronous', 'busy_timeout')), c.transaction_mode)")
    result = subprocess.run([sys.executable, "-c", code], env=environment,  # noqa: S603
                            capture_output=True, text=True, check=True, cwd=settings.BASE_DIR)
    return result.stdout.split()


def test_the_default_sqlite_database_is_wal_with_immediate_transactions_and_a_busy_timeout(tmp_path):
    # synchronous 1 is NORMAL; the busy timeout is in milliseconds.
    assert _sqlite_connection_settings(tmp_path / "db.sqlite3") == ["wal", "1", "20000", "IMMEDIATE"]


# ---- several people at once against the real site -------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_server(url: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url, timeout=5).close()  # noqa: S310 - our own server
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


SITE = """
import json
from django.contrib.auth.models import Group, User
from bulletins.services import issue_create
from editorial.permissions import EDITOR_GROUP, WRITER_GROUP
from tests.printing import build_issue
shared = build_issue(articles=4, paragraphs=2, distribution=False)
group, writers = Group.objects.get(name=EDITOR_GROUP), Group.objects.get(name=WRITER_GROUP)
users = []
for index in range({clients}):
    user = User.objects.create_user(f"editor{{index}}", password="mima-12345", is_staff=True,
                                    last_name=f"编辑{{index}}")
    user.groups.add(group, writers)
    own = issue_create(publication=shared.publication, number=900 + index, by=user)
    users.append({{"name": user.username, "own": own.pk}})
print(json.dumps({{"issue": shared.pk, "articles": list(shared.articles.values_list("pk", flat=True)),
                  "column": shared.articles.first().column_id, "users": users}}))
"""

LANDED = """
import json
from reversion.models import Version
from bulletins.models import Article, Issue
bodies = [v.field_dict["body"] for v in Version.objects.get_for_model(Article)]
notes = [v.field_dict["editor_note"] for v in Version.objects.get_for_model(Issue)]
print(json.dumps({"bodies": bodies, "notes": notes}))
"""


class Browser:
    """One person: a session of their own, each answer checked for a server error."""

    def __init__(self, host: str, failures: list) -> None:
        self.host, self.failures = host, failures
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()),
                                                  _NoRedirect)

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        try:
            with self.opener.open(self.host + path, data=body, timeout=60) as response:
                status, text = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode()
        if status >= 500:
            self.failures.append(f"{status} {path}: {text[:300]}")
        return status, text

    def token(self, page: str) -> str:
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    def log_in(self, name: str) -> None:
        _, page = self.request("/admin/login/")
        status, _ = self.request("/admin/login/", {"csrfmiddlewaretoken": self.token(page),
                                                   "username": name, "password": "mima-12345"})
        assert status == 302


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _save_outcome(status: int, page: str) -> str:
    if status == 302:
        return "landed"
    if status == 200 and "保存未成功：" in page:
        return "conflict"
    if status == 409 and "内容不能再修改" in page:
        return "state"
    errors = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', page, re.DOTALL)
    return f"unexpected {status} {errors}"


def _person(browser: Browser, person: dict, site: dict, rounds: int, outcomes: list) -> None:
    browser.log_in(person["name"])
    article_paths = [f"/admin/bulletins/article/{pk}/change/" for pk in site["articles"]]
    issue_path = f"/admin/bulletins/issue/{site['issue']}/change/"
    for step in range(1, 4 * rounds + 1):
        marker = f"{person['name']}-{step}"
        kind = step % 4
        if kind == 0:
            path = random.choice(article_paths)
            _, page = browser.request(path)
            fields = form_fields(page, "article_form") | {"body": f"<p>{marker}</p>", "_save": "保存"}
            outcomes.append(("article", marker, _save_outcome(*browser.request(path, fields))))
        elif kind == 1:
            _, page = browser.request(issue_path)
            fields = form_fields(page, "issue_form") | {"editor_note": marker, "_continue": "1"}
            outcomes.append(("issue", marker, _save_outcome(*browser.request(issue_path, fields))))
        elif kind == 2:
            _, page = browser.request(issue_path)
            article = random.choice(site["articles"])
            direction = random.choice(["up", "down"])
            status, _ = browser.request(f"/admin/issues/{site['issue']}/articles/{article}/move/{direction}/",
                                        {"csrfmiddlewaretoken": browser.token(page)})
            outcomes.append(("move", marker, "landed" if status == 302 else f"unexpected {status}"))
        else:
            own = f"/admin/bulletins/issue/{person['own']}/change/"
            _, page = browser.request(own)
            for action in ("submit", "withdraw"):
                status, _ = browser.request(f"/admin/issues/{person['own']}/workflow/{action}/",
                                            {"csrfmiddlewaretoken": browser.token(page)})
                outcomes.append(("workflow", action, "landed" if status == 302 else f"unexpected {status}"))


@pytest.fixture
def site_database(tmp_path):
    """The default install's SQLite file, or, when the suite runs on PostgreSQL, a throwaway
    database on the same server."""
    from django.db import connection

    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path / 'db.sqlite3'}"
        return
    import psycopg

    name = f"bulletins_concurrency_{os.getpid()}"
    params = connection.settings_dict
    server = {"host": params["HOST"] or "127.0.0.1", "port": params["PORT"] or 5432,
              "user": params["USER"], "password": params["PASSWORD"] or None}
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    try:
        password = f":{server['password']}" if server["password"] else ""
        yield f"postgres://{server['user']}{password}@{server['host']}:{server['port']}/{name}"
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.mark.django_db
def test_several_people_at_once_get_no_error_page_and_every_save_lands_or_is_told(tmp_path, site_database):
    """The real site (gunicorn, its database, run_worker beside it) and six people at once
    saving the same articles and issue page, moving articles and taking workflow steps."""
    clients, rounds = 6, 3
    environment = {key: value for key, value in os.environ.items()
                   if key not in {"DEBUG", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "TASKS_BACKEND"}}
    environment.update(DJANGO_SETTINGS_MODULE="config.settings", SECRET_KEY="x" * 50, HTTPS="off",
                       ALLOWED_HOSTS="127.0.0.1", DATABASE_URL=site_database, AXES_FAILURE_LIMIT="1000",
                       CACHE_DIR=str(tmp_path / "cache"), UPLOAD_CACHE_DIR=str(tmp_path / "uploads"),
                       MEDIA_ROOT=str(tmp_path / "media"), STATIC_ROOT=str(tmp_path / "static"))

    def manage(*argv):
        return subprocess.run([sys.executable, "manage.py", *argv], env=environment,  # noqa: S603
                              cwd=settings.BASE_DIR, check=True, capture_output=True, text=True).stdout

    manage("migrate", "--no-input", "-v", "0")
    manage("collectstatic", "--no-input", "-v", "0")
    site = json.loads(manage("shell", "-c", SITE.format(clients=clients)).splitlines()[-1])
    port = _free_port()
    servers = [subprocess.Popen([str(Path(sys.executable).with_name("gunicorn")), "config.wsgi",  # noqa: S603
                                 "--workers", "2", "--bind", f"127.0.0.1:{port}", "--log-level", "error"],
                                env=environment, cwd=settings.BASE_DIR),
               subprocess.Popen([sys.executable, "manage.py", "run_worker"], env=environment,  # noqa: S603
                                cwd=settings.BASE_DIR, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    failures, outcomes = [], []
    try:
        host = f"http://127.0.0.1:{port}"
        _wait_for_server(host + "/admin/login/")
        people = [threading.Thread(target=_person,
                                   args=(Browser(host, failures), person, site, rounds, outcomes))
                  for person in site["users"]]
        for person in people:
            person.start()
        for person in people:
            person.join(timeout=600)
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=60)

    assert failures == []
    unexpected = [outcome for outcome in outcomes if outcome[2] not in ("landed", "conflict", "state")]
    assert unexpected == []
    landed = json.loads(manage("shell", "-c", LANDED).splitlines()[-1])
    for kind, marker, outcome in outcomes:
        if (kind, outcome) == ("article", "landed"):
            assert f"<p>{marker}</p>" in landed["bodies"], marker
        elif (kind, outcome) == ("issue", "landed"):
            assert marker in landed["notes"], marker
    counts = Counter((kind, outcome) for kind, _, outcome in outcomes)
    assert counts[("article", "landed")] and counts[("issue", "landed")] and counts[("move", "landed")]
