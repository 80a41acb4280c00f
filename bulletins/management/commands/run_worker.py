"""Run the background task worker of the configured queue and keep it running.

The worker is a child process, replaced after a number of tasks, started again when it dies
(after a short pause that grows while it keeps dying), and stopped with everything it started
when this command is stopped. Each child leads a process group of its own, so that what it
leaves behind (RQ's scheduler, a render child) is stopped with it, and it is told to stop if
this command is killed outright.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bulletins.processes import stop_with_parent

MANAGE_PY = Path(settings.BASE_DIR) / "manage.py"
# Pauses before starting a worker that died again, growing while it keeps dying.
RESTART_DELAYS = (1, 2, 5, 10, 30)
# A worker that ran this long before dying is not "dying again": the pauses start over.
STABLE_SECONDS = 60
STOP_GRACE_SECONDS = 10


def worker_command(*, backend: str, max_tasks: int, burst: bool) -> list[str]:
    """The worker of the queue in use: db_worker (database) or rqworker (Redis)."""
    if backend.endswith("RQBackend"):
        # One process that runs the jobs itself (no fork per job): the render's own child
        # process, with its time and memory limits, then lives on between jobs.
        command = ["rqworker", "default", "--worker-class", "rq.worker.SimpleWorker",
                   "--job-class", "django_tasks_rq.Job", "--max-jobs", str(max_tasks)]
        return command + (["--burst"] if burst else ["--with-scheduler"])
    if backend.endswith("DatabaseBackend"):
        command = ["db_worker", "--max-tasks", str(max_tasks), "--no-startup-delay", "--no-reload"]
        return command + (["--batch"] if burst else [])
    raise CommandError(f"任务队列 {backend} 在本进程内执行任务，不需要后台进程。")


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stop_group(group: int, *, grace: float = STOP_GRACE_SECONDS) -> None:
    """Stop every process left in a worker's process group: SIGTERM, then SIGKILL after `grace`."""
    if not _group_alive(group):
        return
    os.killpg(group, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while _group_alive(group) and time.monotonic() < deadline:
        time.sleep(0.1)
    if _group_alive(group):
        os.killpg(group, signal.SIGKILL)


class Command(BaseCommand):
    help = ("运行后台任务进程（数据库队列用 db_worker，Redis 队列用 rqworker）并看护它："
            "每处理 --max-tasks 个任务换一个新进程，进程意外退出时自动重启，本命令停止时一并停止。")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--max-tasks", type=int, default=100,
                            help="一个进程处理多少个任务后退出并由新进程接替（默认 100）")
        parser.add_argument("--burst", action="store_true",
                            help="处理完队列中已有的任务后退出")

    def handle(self, *args, max_tasks: int, burst: bool, **options) -> None:
        backend = settings.TASKS["default"]["BACKEND"]
        argv = [sys.executable, str(MANAGE_PY), *worker_command(
            backend=backend, max_tasks=max_tasks, burst=burst)]
        self.stopping = False
        self.child: subprocess.Popen | None = None
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        deaths = 0
        while not self.stopping:
            started = time.monotonic()
            code = self._run_child(argv)
            if self.stopping:
                return
            if code == 0:
                if burst:
                    return
                self.stdout.write(f"后台任务进程已处理 {max_tasks} 个任务，换新进程。")
                deaths = 0
                continue
            if burst:
                raise CommandError(f"后台任务进程异常退出（状态 {code}）。")
            deaths = 0 if time.monotonic() - started > STABLE_SECONDS else deaths
            delay = RESTART_DELAYS[min(deaths, len(RESTART_DELAYS) - 1)]
            deaths += 1
            self.stderr.write(f"后台任务进程异常退出（状态 {code}），{delay} 秒后重新启动。")
            self._pause(delay)

    def _run_child(self, argv: list[str]) -> int:
        self.child = subprocess.Popen(argv, process_group=0,  # noqa: S603 - our own manage.py
                                      preexec_fn=stop_with_parent)  # noqa: PLW1509
        try:
            return self.child.wait()
        finally:
            # What the child started and left behind (RQ's scheduler, a render child) goes too.
            stop_group(self.child.pid)

    def _pause(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not self.stopping and time.monotonic() < deadline:
            time.sleep(0.1)

    def _stop(self, signum, frame) -> None:
        self.stopping = True
        if self.child is not None and self.child.poll() is None:
            # Only the worker: it finishes its current task (with its render child) and exits;
            # then what is left of its group is stopped (_run_child).
            self.child.send_signal(signum)
