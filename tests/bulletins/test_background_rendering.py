"""Background rendering: the render task, its recorded state, and the limited child process."""

import gc
import os
import time

import pytest

from bulletins.models import Article
from bulletins.rendering.background import (
    RenderJob,
    RenderState,
    cached_pdf,
    render_job_to_cache,
    render_status,
)
from bulletins.rendering.isolated import IsolatedRunner, RenderOutOfMemory, RenderTimeout
from bulletins.tasks import render_issue
from tests.printing import build_issue, forget_rendering

pytestmark = pytest.mark.django_db


@pytest.fixture
def issue():
    issue = build_issue(articles=2, paragraphs=2)
    forget_rendering(issue)
    return issue


def test_the_task_renders_into_the_cache_and_a_second_run_does_nothing(issue, monkeypatch):
    job = RenderJob.for_issue(issue)
    assert render_status(job).state == RenderState.NONE
    assert render_issue.call(issue.pk) == "ready"
    assert cached_pdf(job).startswith(b"%PDF-")
    assert render_status(job).state == RenderState.READY

    def no_weasyprint(*args, **kwargs):
        raise AssertionError("WeasyPrint called for an issue whose PDF is cached")

    monkeypatch.setattr("bulletins.rendering.pdf.render_document", no_weasyprint)
    assert render_issue.call(issue.pk) == "ready"


def test_an_edit_changes_the_key_so_the_old_pdf_is_not_served(issue):
    render_issue.call(issue.pk)
    before = RenderJob.for_issue(issue).key
    Article.objects.filter(issue=issue).update(title="改过的标题")
    after = RenderJob.for_issue(issue)
    assert after.key != before
    assert render_status(after).state == RenderState.NONE


def test_a_missing_character_fails_the_render_with_its_chinese_message(issue):
    article = issue.articles.order_by("position").first()
    Article.objects.filter(pk=article.pk).update(body="<p>这个字\U000f0041印不出。</p>")
    assert render_issue.call(issue.pk) == "failed"
    status = render_status(RenderJob.for_issue(issue))
    assert status.state == RenderState.FAILED
    assert status.message.startswith(
        f"无法生成PDF：《{article.title}》中的字符“\U000f0041”（U+F0041）在已配置的字体中都没有字形")


def test_a_timeout_in_the_child_is_recorded_as_a_failure(issue, settings, monkeypatch):
    settings.BULLETIN_RENDER_ISOLATED = True

    class TimingOut:
        def run(self, function, *args):
            raise RenderTimeout(180)

    monkeypatch.setattr("bulletins.rendering.background.isolated_runner", TimingOut)
    job = RenderJob.for_issue(issue)
    assert render_job_to_cache(job).state == RenderState.FAILED
    assert render_status(job).message == "无法生成PDF：排版超时：超过 180 秒仍未完成。"


def test_an_unexpected_error_is_shown_and_reaches_the_task_record(issue, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("bulletins.rendering.background._render_in_child", broken)
    with pytest.raises(RuntimeError):
        render_issue.call(issue.pk)
    status = render_status(RenderJob.for_issue(issue))
    assert status.state == RenderState.FAILED
    assert status.message == "无法生成PDF：排版程序出错，请联系系统管理员。"


def test_the_render_runs_in_a_child_process_with_limits(issue, settings, monkeypatch):
    settings.BULLETIN_RENDER_ISOLATED = True
    runner = IsolatedRunner(timeout=120, memory_mb=3072, max_tasks_per_child=10, niceness=5)
    monkeypatch.setattr("bulletins.rendering.background.isolated_runner", lambda: runner)
    try:
        job = RenderJob.for_issue(issue)
        assert render_job_to_cache(job).state == RenderState.READY
        assert cached_pdf(job).startswith(b"%PDF-")
        child_pid = runner.run(_child_pid)
        assert child_pid != _child_pid()
        assert runner.run(_address_space_limit) == 3072 * 1024 * 1024
        assert runner.run(os.nice, 0) == os.nice(0) + 5
        assert runner.run(gc.get_freeze_count) > 10_000  # start-up's objects, out of the collector's way
    finally:
        runner.close()


def _child_pid() -> int:
    import os

    return os.getpid()


def _address_space_limit() -> int:
    import resource

    return resource.getrlimit(resource.RLIMIT_AS)[0]


def _allocate(megabytes: int) -> int:
    return len(bytearray(megabytes * 1024 * 1024))


def test_the_child_is_killed_after_its_time_limit_and_replaced():
    runner = IsolatedRunner(timeout=4, memory_mb=0, max_tasks_per_child=0)
    try:
        first_child = runner.run(_child_pid)
        with pytest.raises(RenderTimeout, match="排版超时：超过 4 秒仍未完成。"):
            runner.run(time.sleep, 60)
        with pytest.raises(ProcessLookupError):
            os.kill(first_child, 0)  # the sleeping child is gone, not left running
        assert runner.run(_child_pid) != first_child
    finally:
        runner.close()


def test_the_child_cannot_take_more_memory_than_its_limit():
    runner = IsolatedRunner(timeout=60, memory_mb=1024, max_tasks_per_child=0)
    try:
        with pytest.raises(RenderOutOfMemory, match=r"排版所需内存超过上限（1024 MB）。"):
            runner.run(_allocate, 2048)
        assert runner.run(_allocate, 16) == 16 * 1024 * 1024
    finally:
        runner.close()


def test_a_limit_too_small_to_start_the_child_fails_at_once_and_leaves_no_child(settings):
    """A pool whose initializer raises starts a new child forever and never runs a task: the
    child keeps its set-up failure and answers the start-up check with it."""
    settings.BULLETIN_RENDER_STARTUP_TIMEOUT = 30  # a hang would end as RenderTimeout
    runner = IsolatedRunner(timeout=30, memory_mb=30, max_tasks_per_child=0)
    with pytest.raises(RenderOutOfMemory, match=r"排版所需内存超过上限（30 MB）。"):
        runner.run(_child_pid)
    assert runner._pool is None


def test_the_child_is_replaced_after_max_tasks():
    runner = IsolatedRunner(timeout=60, memory_mb=0, max_tasks_per_child=2)
    try:
        pids = [runner.run(_child_pid) for _ in range(4)]
        # The start-up check is the first task of each child: it then renders once more.
        assert pids[0] != pids[1] == pids[2] != pids[3]
    finally:
        runner.close()
