"""System checks for printing: which font serves each role, fast font subsetting, the watermark's face."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Info, Tags, Warning, register
from fontTools.ttLib import TTFont, TTLibError

from bulletins.rendering.fonts import ROLES, current_fonts


@register(Tags.compatibility)
def check_fonts(app_configs=None, **kwargs) -> list:
    """Report the font of each role; warn on fallbacks; fail without any CJK font."""
    fonts = current_fonts()
    messages = []
    if not any(resolved.face for resolved in fonts.roles.values()) and not fonts.fallbacks:
        return [Error(
            "找不到任何中文字体，无法印制简报。",
            hint="请安装 fonts-noto-cjk 和 fonts-lxgw-wenkai（见 README），"
                 "或在 BULLETIN_FONT_DIR 中放入公文字体文件。",
            id="bulletins.E001")]
    fallbacks = []
    for role in ROLES:
        resolved = fonts.roles[role.key]
        face = resolved.face
        if face is None:
            messages.append(Warning(
                f"{role.label}：找不到可用的字体文件，将使用正文字体。",
                hint="已尝试：" + "；".join(resolved.tried), id="bulletins.W002"))
        elif resolved.licensed:
            messages.append(Info(f"{role.label}：使用 {face.family}（{face.spec}）。",
                                 id="bulletins.I001"))
        else:
            fallbacks.append(f"{role.label}：未找到{role.licensed_name}，改用 {face.family}（{face.spec}）")
    if fallbacks:
        messages.append(Warning(
            "以下字体角色使用免费替代字体：\n" + "\n".join(fallbacks),
            hint="如有授权字体文件，请放入 BULLETIN_FONT_DIR，或用 BULLETIN_FONT_TITLE、_BODY、"
                 "_HEADING1、_HEADING2、_PAGE_NUMBER 逐项指定（见 README）。",
            id="bulletins.W001"))
    return messages


@register(Tags.compatibility)
def check_harfbuzz_subset(app_configs=None, **kwargs) -> list:
    """WeasyPrint subsets fonts 15-20 times slower without libharfbuzz-subset."""
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    if harfbuzz_subset and harfbuzz.hb_version_atleast(4, 1, 0):
        return []
    return [Warning(
        "未安装 HarfBuzz 字体子集库，生成一期 PDF 将慢约 20 倍（约 5 秒）。",
        hint="请安装系统软件包 libharfbuzz-subset0（Debian/Ubuntu）。",
        id="bulletins.W003")]


@register(Tags.compatibility)
def check_reduced_fonts(app_configs=None, **kwargs) -> list:
    """Warn when a free face has no current reduced copy: printing then uses the full face."""
    fonts = current_fonts()
    missing: dict[str, list[str]] = {}
    stale: dict[str, list[str]] = {}
    for role in ROLES:
        resolved = fonts.roles[role.key]
        if resolved.face is None or resolved.reduced is None or resolved.reduced.current:
            continue
        found = stale if resolved.reduced.status == "stale" else missing
        found.setdefault(f"{resolved.face.family}（{resolved.face.spec}）", []).append(role.label)
    if not missing and not stale:
        return []
    lines = [f"{face}：尚未生成（{'、'.join(labels)}）" for face, labels in missing.items()]
    lines += [f"{face}：字体文件或生成规则已更新，精简字体已过期（{'、'.join(labels)}）"
              for face, labels in stale.items()]
    return [Warning(
        "以下字体没有可用的精简字体，印制时改用完整字体，每期 PDF 生成较慢、文件较大：\n"
        + "\n".join(lines),
        hint="请运行 python manage.py build_reduced_fonts（./dev run 和 ./dev test 会自动运行），"
             "然后重启服务。",
        id="bulletins.W004")]


@register(Tags.security, deploy=True)
def check_backup_key(app_configs=None, **kwargs) -> list:
    """Backups are signed with a key of their own: without one, `backup` refuses to run."""
    if settings.BACKUP_KEY or settings.BACKUP_KEY_FILE:
        return []
    return [Warning(
        "未设置备份密钥，manage.py backup 将拒绝运行。",
        hint="请设置 BACKUP_KEY，或用 BACKUP_KEY_FILE 指定只有管理员可读的密钥文件"
             "（见 README 的 Backups 一节）。",
        id="bulletins.W005")]


@register(Tags.compatibility)
def check_stamp_font(app_configs=None, **kwargs) -> list:
    """The readers' watermark needs a TrueType face: without one, reading-room downloads fail."""
    path = settings.BULLETIN_STAMP_FONT
    try:
        truetype = "glyf" in TTFont(path, lazy=True)
    except (OSError, TTLibError):
        truetype = None
    if truetype:
        return []
    problem = "不是TrueType字体" if truetype is False else "无法读取"
    return [Error(f"阅览室下载PDF所加水印的字体{problem}：{path}",
                  hint="请安装 fonts-lxgw-wenkai，"
                       "或用 BULLETIN_STAMP_FONT 指定一个TrueType（.ttf）中文字体。",
                  id="bulletins.E002")]
