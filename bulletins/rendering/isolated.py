"""Lay out PDFs in a child process with a time limit and a memory limit.

A background worker must survive the issue that never finishes laying out or that eats all
memory: the work runs in a child process of a one-process pool, whose address space is capped
with ``RLIMIT_AS``; a render that outlives its time limit has its child killed and the pool is
started again. The child is replaced after a number of renders, so that whatever WeasyPrint and
Pango keep between renders is given back.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import resource
import threading
from collections.abc import Callable
from multiprocessing.pool import Pool
from typing import Any

from django.conf import settings


class RenderTimeout(Exception):
    def __init__(self, seconds: int) -> None:
        super().__init__(f"排版超时：超过 {seconds} 秒仍未完成。")


class RenderOutOfMemory(Exception):
    def __init__(self, megabytes: int) -> None:
        super().__init__(f"排版所需内存超过上限（{megabytes} MB）。")


# Why the child could not be set up (None once it is). The pool's initializer must not raise:
# a pool whose initializer fails starts a new child at once, forever, and no task ever runs, so
# the parent would wait out its start-up allowance. The failure is kept here and raised by every task.
_setup_error: BaseException | None = None


def _ready() -> bool:
    if _setup_error is not None:
        raise _setup_error
    return True


def _call(function: Callable[..., Any], *args: Any) -> Any:
    _ready()
    return function(*args)


def _child_setup(memory_bytes: int, niceness: int) -> None:
    global _setup_error
    # Background work: on a machine shared with the web server, pages come first.
    if niceness:
        os.nice(niceness)
    if memory_bytes:
        # Applied in the spawned child, after the interpreter started: what the limit must
        # leave room for is Django and WeasyPrint (imported below), then the render.
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    try:
        import django

        django.setup()
        from bulletins.rendering import prepare_process_for_rendering

        prepare_process_for_rendering()
    except MemoryError as error:
        _setup_error = error
    # Short of memory, an import can also fail as a library that cannot be mapped (OSError) or
    # as an interpreter error (SystemError, ImportError).
    except (OSError, SystemError, ImportError) as error:
        _setup_error = MemoryError(str(error)) if memory_bytes else error


class IsolatedRunner:
    """One child process (spawned, so it shares no database connection or lock with us)."""

    def __init__(self, *, timeout: int, memory_mb: int, max_tasks_per_child: int,
                 niceness: int = 0) -> None:
        self.timeout = timeout
        self.niceness = niceness
        self.memory_mb = memory_mb
        self.max_tasks_per_child = max_tasks_per_child
        self._pool: Pool | None = None
        self._lock = threading.Lock()

    def _get_pool(self) -> Pool:
        if self._pool is None:
            self._pool = multiprocessing.get_context("spawn").Pool(
                processes=1, initializer=_child_setup, initargs=(self.memory_mb * 1024 * 1024, self.niceness),
                maxtasksperchild=self.max_tasks_per_child or None)
            # Wait for the child to start (Django set-up), so that it does not count
            # against the time limit of the first render. The ready check is itself a task:
            # allow for it in the number of tasks per child.
            startup = settings.BULLETIN_RENDER_STARTUP_TIMEOUT
            try:
                self._pool.apply_async(_ready).get(timeout=startup)
            except MemoryError:
                self.close()
                raise RenderOutOfMemory(self.memory_mb) from None
            except multiprocessing.TimeoutError:
                self.close()
                raise RenderTimeout(startup) from None
        return self._pool

    def run(self, function: Callable[..., Any], *args: Any) -> Any:
        """Call ``function(*args)`` in the child; its exceptions are raised here."""
        with self._lock:
            pending = self._get_pool().apply_async(_call, (function, *args))
            try:
                return pending.get(timeout=self.timeout)
            except multiprocessing.TimeoutError:
                self.close()
                raise RenderTimeout(self.timeout) from None
            except MemoryError:
                # The child may be left in a bad state: start a fresh one next time.
                self.close()
                raise RenderOutOfMemory(self.memory_mb) from None

    def close(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None


_runner: IsolatedRunner | None = None


def isolated_runner() -> IsolatedRunner:
    """The worker process's runner, configured from the BULLETIN_RENDER_* settings."""
    global _runner
    if _runner is None:
        _runner = IsolatedRunner(timeout=settings.BULLETIN_RENDER_TIMEOUT,
                                 memory_mb=settings.BULLETIN_RENDER_MEMORY_MB,
                                 max_tasks_per_child=settings.BULLETIN_RENDER_MAX_TASKS_PER_CHILD,
                                 niceness=settings.BULLETIN_RENDER_NICENESS)
        atexit.register(_runner.close)
    return _runner


_parse_runner: IsolatedRunner | None = None


def parse_runner() -> IsolatedRunner:
    """The process's runner for reading uploaded files (archive files), configured from the
    BULLETIN_PARSE_* settings: the render child's machinery with limits of its own."""
    global _parse_runner
    if _parse_runner is None:
        _parse_runner = IsolatedRunner(timeout=settings.BULLETIN_PARSE_TIMEOUT,
                                       memory_mb=settings.BULLETIN_PARSE_MEMORY_MB,
                                       max_tasks_per_child=settings.BULLETIN_RENDER_MAX_TASKS_PER_CHILD)
        atexit.register(_parse_runner.close)
    return _parse_runner
