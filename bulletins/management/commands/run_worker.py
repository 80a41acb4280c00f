"""Run the background task worker of the configured queue, replaced after a number of tasks."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

MANAGE_PY = Path(settings.BASE_DIR) / "manage.py"


def worker_command(*, backend: str, max_tasks: int, burst: bool) -> list[str]:
    """The worker of the queue in use: db_worker (database) or rqworker (Redis)."""
    if backend.endswith("RQBackend"):
        # One process that runs the jobs itself (no fork per job): the render's own child
        # process, with its time and memory limits, then lives on between jobs.
        command = ["rqworker", "default", "--worker-class", "rq.worker.SimpleWorker",
                   "--job-class", "django_tasks_rq.Job", "--max-jobs", str(max_tasks)]
        return command + (["--burst"] if burst else ["--with-scheduler"])
    if backend.endswith("DatabaseBackend"):
        command = ["db_worker", "--max-tasks", str(max_tasks), "--no-startup-delay"]
        return command + (["--batch"] if burst else [])
    raise CommandError(f"任务队列 {backend} 在本进程内执行任务，不需要后台进程。")


class Command(BaseCommand):
    help = ("运行后台任务进程（数据库队列用 db_worker，Redis 队列用 rqworker）。"
            "每处理 --max-tasks 个任务换一个新进程，以释放内存。")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--max-tasks", type=int, default=100,
                            help="一个进程处理多少个任务后退出并由新进程接替（默认 100）")
        parser.add_argument("--burst", action="store_true",
                            help="处理完队列中已有的任务后退出")

    def handle(self, *args, max_tasks: int, burst: bool, **options) -> None:
        backend = settings.TASKS["default"]["BACKEND"]
        argv = [sys.executable, str(MANAGE_PY), *worker_command(
            backend=backend, max_tasks=max_tasks, burst=burst)]
        stopping = False
        child: subprocess.Popen | None = None

        def stop(signum, frame) -> None:
            nonlocal stopping
            stopping = True
            if child is not None and child.poll() is None:
                child.send_signal(signum)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while True:
            child = subprocess.Popen(argv)  # noqa: S603 - our own manage.py
            code = child.wait()
            if stopping or burst or code != 0:
                if code not in (0, -signal.SIGTERM, -signal.SIGINT):
                    raise CommandError(f"后台任务进程异常退出（状态 {code}）。")
                return
            self.stdout.write(f"后台任务进程已处理 {max_tasks} 个任务，换新进程。")
