"""Rendering issue PDFs ahead of time, and what the editor is told while it happens.

The state of a render is kept in the cache beside the PDF, under the same content key
(the hash of the issue's HTML, fonts and options): a state always describes the issue as it
is now, and an edit that changes the printed issue leaves the old state behind unused.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.utils import timezone

from bulletins.models import Issue
from bulletins.rendering import MissingGlyphError
from bulletins.rendering.cache import cache_key, get_cached_pdf, pdf_cache, set_cached_pdf
from bulletins.rendering.fonts import current_fonts
from bulletins.rendering.html import PrintedIssue, printed_issue, render_issue_html
from bulletins.rendering.isolated import RenderOutOfMemory, RenderTimeout, isolated_runner
from bulletins.rendering.pdf import render_printed_issue

logger = logging.getLogger(__name__)

PENDING_TIMEOUT = 3600  # a queued or running state left by a worker that died expires
FAILED_TIMEOUT = 30 * 24 * 3600
LOST_MESSAGE = ("无法生成PDF：后台任务进程在生成时中断（已自动重试一次）。请点“重新生成”；"
                "如仍不成功，请联系系统管理员检查后台任务进程。")


class RenderState(StrEnum):
    READY = "ready"
    QUEUED = "queued"
    RUNNING = "running"
    FAILED = "failed"
    NONE = "none"


STATE_LABELS = {
    RenderState.READY: "PDF已生成",
    RenderState.QUEUED: "PDF排队等待生成……",
    RenderState.RUNNING: "PDF正在生成……",
    RenderState.FAILED: "PDF生成失败",
    RenderState.NONE: "PDF尚未生成",
}


@dataclass(frozen=True)
class RenderStatus:
    state: RenderState
    key: str
    message: str = ""
    attempt: int = 1
    # Running past its deadline: the worker that ran it died (render_deadline).
    lost: bool = False

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def pending(self) -> bool:
        return self.state in (RenderState.QUEUED, RenderState.RUNNING)


@dataclass(frozen=True)
class RenderJob:
    """An issue as it is now: what it prints, its HTML and the cache key of its PDF."""

    printed: PrintedIssue
    html: str
    key: str

    @classmethod
    def for_issue(cls, issue: Issue) -> RenderJob:
        fonts = current_fonts()
        printed = printed_issue(issue)
        html = render_issue_html(printed, fonts=fonts)
        return cls(printed=printed, html=html, key=cache_key(html, fonts))


def _state_key(key: str) -> str:
    return f"{key}:state"


def set_render_state(key: str, state: RenderState, message: str = "", *, attempt: int = 1) -> None:
    timeout = FAILED_TIMEOUT if state == RenderState.FAILED else PENDING_TIMEOUT
    pdf_cache().set(_state_key(key), {"state": state.value, "message": message, "attempt": attempt,
                                   "at": timezone.now().isoformat()}, timeout)


def render_deadline() -> datetime.timedelta:
    """How long a render may be running before its worker is taken for dead: the child's time
    limit, and its start-up, after which a live worker has always recorded the outcome."""
    return datetime.timedelta(seconds=settings.BULLETIN_RENDER_TIMEOUT
                              + settings.BULLETIN_RENDER_STARTUP_TIMEOUT)


def render_status(job: RenderJob) -> RenderStatus:
    """Ready when the PDF is in the cache; otherwise the state its last render left."""
    if pdf_cache().has_key(job.key):
        return RenderStatus(RenderState.READY, job.key)
    stored = pdf_cache().get(_state_key(job.key))
    if stored is None:
        return RenderStatus(RenderState.NONE, job.key)
    state = RenderState(stored["state"])
    since = datetime.datetime.fromisoformat(stored["at"])
    lost = state == RenderState.RUNNING and timezone.now() - since > render_deadline()
    return RenderStatus(state, job.key, stored.get("message", ""), attempt=stored.get("attempt", 1),
                        lost=lost)


def cached_pdf(job: RenderJob) -> bytes | None:
    return get_cached_pdf(job.key)


def _render_in_child(printed: PrintedIssue, html: str) -> bytes:
    return render_printed_issue(printed, fonts=current_fonts(), html=html)


def render_job_to_cache(job: RenderJob) -> RenderStatus:
    """Render into the cache (in a limited child process when so configured); record failures."""
    if pdf_cache().has_key(job.key):
        return RenderStatus(RenderState.READY, job.key)
    set_render_state(job.key, RenderState.RUNNING, attempt=render_status(job).attempt)
    try:
        if settings.BULLETIN_RENDER_ISOLATED:
            pdf = isolated_runner().run(_render_in_child, job.printed, job.html)
        else:
            pdf = _render_in_child(job.printed, job.html)
    except (MissingGlyphError, RenderTimeout, RenderOutOfMemory) as error:
        message = f"无法生成PDF：{error}"
        set_render_state(job.key, RenderState.FAILED, message)
        return RenderStatus(RenderState.FAILED, job.key, message)
    except BaseException:
        # An unexpected failure still tells the editor, then reaches the task's own record.
        set_render_state(job.key, RenderState.FAILED, "无法生成PDF：排版程序出错，请联系系统管理员。")
        logger.exception("Rendering issue %s failed", job.printed.issue.pk)
        raise
    set_cached_pdf(job.key, pdf)
    pdf_cache().delete(_state_key(job.key))
    return RenderStatus(RenderState.READY, job.key)
