"""Child processes that must not outlive the process that started them."""

from __future__ import annotations

import ctypes
import signal
import sys

PR_SET_PDEATHSIG = 1


def stop_with_parent() -> None:
    """In a child before it runs (`preexec_fn`): SIGTERM when its parent dies, even by SIGKILL
    (Linux; elsewhere nothing)."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
