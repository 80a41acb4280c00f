"""run_worker keeps its worker running: a worker that dies is started again, and stopping
run_worker stops its worker and everything the worker started, leaving no orphans."""

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
