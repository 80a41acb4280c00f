"""run_worker keeps its worker running: a worker that dies is started again, and stopping
run_worker stops its worker and everything the worker started, leaving no orphans. A render
whose worker is killed while it renders is noticed by its deadline, queued again once,
reported as failed when lost again, and 重新生成 then makes it."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")


def _processes() -> dict[int, tuple[int, int]]:
    """Every process's (parent, process group), from /proc."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z":
            found[int(entry.name)] = (int(fields[1]), int(fields[2]))
    return found


def _children(pid: int) -> list[int]:
    return [child for child, (parent, _) in _processes().items() if parent == pid]


def _workers(supervisor: int) -> list[int]:
    """run_worker's children, once each leads its own process group."""
    return [pid for pid in _children(supervisor) if pid in _in_group(pid)]


def _in_group(group: int) -> list[int]:
    return [pid for pid, (_, pgid) in _processes().items() if pgid == group]


def _wait_for(condition, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.2)
    raise AssertionError("timed out")


@pytest.fixture(scope="module")
def environment(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("worker")
    environment = {key: value for key, value in os.environ.items()
                   if key not in {"DJANGO_SETTINGS_MODULE", "REDIS_URL", "DEBUG"}}
    environment.update(DJANGO_SETTINGS_MODULE="config.settings", SECRET_KEY="x" * 50,
                       TASKS_BACKEND="database", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
                       CACHE_DIR=str(tmp_path / "cache"), UPLOAD_CACHE_DIR=str(tmp_path / "uploads"))
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"],  # noqa: S603
                   env=environment, cwd=settings.BASE_DIR, check=True)
    return environment


def test_a_killed_worker_is_started_again_and_stopping_leaves_no_process(environment):
    supervisor = subprocess.Popen([sys.executable, "manage.py", "run_worker"],  # noqa: S603
                                  env=environment, cwd=settings.BASE_DIR,
                                  stderr=subprocess.PIPE, text=True)
    try:
        [first] = _wait_for(lambda: _workers(supervisor.pid))
        # A process the worker started (RQ's scheduler, a render child) is in its group.
        stray = subprocess.Popen(["sleep", "300"], process_group=first)  # noqa: S603, S607
        os.kill(first, signal.SIGKILL)
        [second] = _wait_for(lambda: [pid for pid in _workers(supervisor.pid) if pid != first])
        assert _wait_for(lambda: stray.poll() is not None, 30)  # the dead worker's leftovers are gone
        assert supervisor.poll() is None

        supervisor.send_signal(signal.SIGTERM)
        assert supervisor.wait(timeout=30) == 0
        assert _in_group(second) == []
    finally:
        if supervisor.poll() is None:
            supervisor.kill()
    assert "后台任务进程异常退出（状态 -9），1 秒后重新启动。" in supervisor.stderr.read()


def test_a_worker_is_stopped_when_run_worker_is_killed_outright(environment):
    supervisor = subprocess.Popen([sys.executable, "manage.py", "run_worker"],  # noqa: S603
                                  env=environment, cwd=settings.BASE_DIR)
    [worker] = _wait_for(lambda: _workers(supervisor.pid))
    supervisor.kill()
    supervisor.wait(timeout=10)
    _wait_for(lambda: worker not in _processes() and not _in_group(worker), 30)


# The web side, run in the worker's environment: create the issue and queue its render, read
# its render status as the issue page does, and press 重新生成.
SETUP = """
from django.contrib.auth.models import User
from django_tasks_db.models import DBTaskResult
from bulletins.rendering.cache import pdf_cache
from bulletins.rendering.queue import enqueue_issue_render
from tests.printing import build_issue
User.objects.create_superuser("lost-render", password="pw")
issue = build_issue(articles=3, paragraphs=4)
# Each save queued a render of the issue as it then was: keep one render of the finished issue.
DBTaskResult.objects.all().delete()
pdf_cache().clear()
enqueue_issue_render(issue)
print(issue.pk)
"""
STATUS = """
import json
from bulletins.models import Issue
from bulletins.rendering.background import RenderJob
from bulletins.rendering.queue import render_status_checked
issue = Issue.objects.select_related("publication").get(pk={pk})
status = render_status_checked(issue, RenderJob.for_issue(issue))
print(json.dumps({{"state": status.state.value, "message": status.message, "attempt": status.attempt}}))
"""
RENDER_AGAIN = """
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
client = Client()
client.force_login(User.objects.get(username="lost-render"))
response = client.post(reverse("editorial:issue_render_again", args=[{pk}]), secure=True)
print(response.status_code, [str(message) for message in get_messages(response.wsgi_request)])
"""


def _shell(environment, code: str) -> str:
    done = subprocess.run([sys.executable, "manage.py", "shell", "-c", code],  # noqa: S603
                          env=environment, cwd=settings.BASE_DIR, capture_output=True, text=True,
                          check=True, timeout=60)
    return done.stdout.strip().splitlines()[-1]


def _status(environment, pk: int) -> dict:
    return json.loads(_shell(environment, STATUS.format(pk=pk)))


def _render_children(worker: int) -> list[int]:
    """The worker's render child (multiprocessing's spawned process), not a passing fc-list."""
    found = []
    for pid in _children(worker):
        try:
            if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes():
                found.append(pid)
        except OSError:
            continue
    return found


def _kill_while_rendering(supervisor: subprocess.Popen, environment, pk: int) -> None:
    """SIGKILL the worker and its group once it has started its render child (a fresh worker
    starts it for its first render, after recording the render as running). Meanwhile the
    issue page is looked at, which queues a render whose worker died again once its deadline
    has passed."""
    deadline = time.monotonic() + 90
    looking = None
    while time.monotonic() < deadline:
        if rendering := [pid for pid in _workers(supervisor.pid) if _render_children(pid)]:
            os.killpg(rendering[0], signal.SIGKILL)
            if looking is not None:
                looking.wait(timeout=60)
            return
        if looking is None or looking.poll() is not None:
            looking = subprocess.Popen(  # noqa: S603
                [sys.executable, "manage.py", "shell", "-c", STATUS.format(pk=pk)], env=environment,
                cwd=settings.BASE_DIR, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(0.2)
    raise AssertionError("the worker never started rendering")


def _wait_for_status(environment, pk: int, wanted, seconds: float) -> dict:
    """Read the status as the issue page does (which notices a lost render) until `wanted`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        status = _status(environment, pk)
        if wanted(status):
            return status
        time.sleep(1)
    raise AssertionError(f"still {status} after {seconds} s")


def test_a_render_lost_twice_with_its_worker_fails_and_render_again_makes_it(environment, tmp_path):
    # Short limits, so that the deadline (time limit plus start-up allowance) is 35 s, not 300 s.
    environment = {**environment, "BULLETIN_RENDER_TIMEOUT": "20", "BULLETIN_RENDER_STARTUP_TIMEOUT": "15",
                   "MEDIA_ROOT": str(tmp_path / "media"), "ALLOWED_HOSTS": "testserver"}
    pk = int(_shell(environment, SETUP))
    supervisor = subprocess.Popen([sys.executable, "manage.py", "run_worker"],  # noqa: S603
                                  env=environment, cwd=settings.BASE_DIR, stderr=subprocess.DEVNULL)
    try:
        _kill_while_rendering(supervisor, environment, pk)
        assert _status(environment, pk) == {"state": "running", "message": "", "attempt": 1}
        # Past the deadline, the status check queues it again; the restarted worker takes it,
        # and is killed in turn.
        _kill_while_rendering(supervisor, environment, pk)
        assert _status(environment, pk) == {"state": "running", "message": "", "attempt": 2}

        failed = _wait_for_status(environment, pk, lambda status: status["state"] != "running", 60)
        assert failed == {"state": "failed", "attempt": 1, "message": (
            "无法生成PDF：后台任务进程在生成时中断（已自动重试一次）。请点“重新生成”；"
            "如仍不成功，请联系系统管理员检查后台任务进程。")}

        assert _shell(environment, RENDER_AGAIN.format(pk=pk)) == "302 ['已重新开始生成PDF。']"
        done = _wait_for_status(environment, pk, lambda status: status["state"] in {"ready", "failed"}, 90)
        assert done["state"] == "ready", done["message"]
    finally:
        supervisor.send_signal(signal.SIGTERM)
        supervisor.wait(timeout=30)
