"""Fonts per role, the system checks about them, and characters no font can print."""

import shutil

import pytest
from django.core.checks import Error, Info, Warning

from bulletins import checks
from bulletins.rendering import MissingGlyphError
from bulletins.rendering import fonts as font_module
from bulletins.rendering.fonts import current_fonts
from bulletins.rendering.pdf import render_issue_pdf
from tests.printing import build_issue

NOTO = "/usr/share/fonts/opentype/noto"


def test_debian_fallbacks_resolve_to_the_simplified_chinese_faces():
    fonts = current_fonts()
    assert fonts.face("title").spec == f"{NOTO}/NotoSerifCJK-Bold.ttc#2"
    assert fonts.face("title").family == "Noto Serif CJK SC"
    assert fonts.face("title").weight == 700
    assert fonts.face("body").spec == f"{NOTO}/NotoSerifCJK-Regular.ttc#2"
    assert fonts.face("heading1").family == "Noto Sans CJK SC"
    assert fonts.face("heading2").family == "LXGW WenKai"
    assert all(resolved.face.system for resolved in fonts.roles.values())
    # Each behind its reduced copy (test_rendering_reduced_fonts.py).
    assert fonts.stack("heading1") == ('"Noto Sans CJK SC GB2312 W700", "Noto Sans CJK SC", '
                                       '"Noto Serif CJK SC GB2312 W400", "Noto Serif CJK SC"')


def test_a_licensed_font_file_in_the_font_dir_wins_and_is_loaded_with_font_face(settings, tmp_path):
    # A stand-in for simkai.ttf: any single-face font file fontconfig does not know.
    shutil.copy("/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf", tmp_path / "simkai.ttf")
    settings.BULLETIN_FONT_DIR = str(tmp_path)
    fonts = current_fonts()
    face = fonts.face("heading2")
    assert face.path == str(tmp_path / "simkai.ttf")
    assert fonts.roles["heading2"].licensed
    assert not face.system
    assert f'src: url("{face.url}")' in fonts.font_face_css()
    messages = checks.check_fonts()
    assert any(isinstance(m, Info) and "二级标题" in m.msg and "simkai.ttf" in m.msg for m in messages)


def test_a_font_named_per_role_in_settings_is_used(settings):
    settings.BULLETIN_FONTS = {"body": f"{NOTO}/NotoSansCJK-Regular.ttc#2"}
    assert current_fonts().face("body").family == "Noto Sans CJK SC"
    assert current_fonts().roles["body"].licensed


def test_check_warns_once_about_the_roles_on_free_fonts():
    messages = checks.check_fonts()
    warnings = [m for m in messages if isinstance(m, Warning)]
    assert [m.id for m in warnings] == ["bulletins.W001"]
    assert "正文（仿宋）：未找到仿宋_GB2312，改用 Noto Serif CJK SC" in warnings[0].msg


def test_check_is_an_error_without_any_cjk_font(monkeypatch, settings):
    monkeypatch.setattr(font_module, "NOTO", "/nonexistent")
    monkeypatch.setattr(font_module, "ROLES", tuple(
        font_module.Role(r.key, r.label, r.licensed_name, r.licensed_files, ("/nonexistent/x.ttc",))
        for r in font_module.ROLES))
    monkeypatch.setattr(checks, "ROLES", font_module.ROLES)
    monkeypatch.setattr(font_module, "FALLBACK_STACK", ())
    font_module.current_fonts.cache_clear()
    try:
        messages = checks.check_fonts()
    finally:
        font_module.current_fonts.cache_clear()
    assert [(type(m), m.id) for m in messages] == [(Error, "bulletins.E001")]
    assert messages[0].msg == "找不到任何中文字体，无法印制简报。"


def test_harfbuzz_subsetting_is_available_here_and_its_absence_is_reported(monkeypatch):
    assert checks.check_harfbuzz_subset() == []
    import weasyprint.text.ffi as ffi

    monkeypatch.setattr(ffi, "harfbuzz_subset", None)
    [warning] = checks.check_harfbuzz_subset()
    assert warning.id == "bulletins.W003"
    assert "libharfbuzz-subset0" in warning.hint


@pytest.mark.django_db
def test_a_character_no_font_covers_is_an_error_naming_it_and_its_article():
    issue = build_issue(articles=2, paragraphs=1, distribution=False)
    article = issue.articles.order_by("position").last()
    type(article).objects.filter(pk=article.pk).update(body="<p>地名用字\U000f0041不在字库中。</p>")
    with pytest.raises(MissingGlyphError) as error:
        render_issue_pdf(issue, use_cache=False)
    assert error.value.character == "\U000f0041"
    assert str(error.value) == (
        f"《{article.title}》中的字符“\U000f0041”（U+F0041）在已配置的字体中都没有字形，无法印刷。"
        "请改用其他写法，或配置包含该字的字体。")


@pytest.mark.django_db
def test_rare_characters_the_fonts_do_cover_print():
    issue = build_issue(articles=1, paragraphs=1, distribution=False)
    article = issue.articles.get()
    type(article).objects.filter(pk=article.pk).update(body="<p>朱镕基、王堃、喆、昇、赟、犇、𠮷。</p>")
    assert render_issue_pdf(issue, use_cache=False).startswith(b"%PDF")
