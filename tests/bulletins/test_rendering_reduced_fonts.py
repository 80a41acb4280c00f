"""Reduced font faces: GB 2312 copies of the free faces, first in each stack, full faces behind."""

import io
import json
import logging
import os
import shutil

import pytest
from django.core.checks import Warning
from django.core.management import call_command
from django.core.management.base import CommandError
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont

from bulletins import checks
from bulletins.rendering import fonts as font_module
from bulletins.rendering import harfbuzz, reduced
from bulletins.rendering.fonts import build_reduced_faces, covered_codepoints, current_fonts
from bulletins.rendering.pdf import render_issue_pdf
from bulletins.rendering.reduced import build_reduced, find_reduced, repertoire
from tests.printing import Measured, build_issue

NOTO = "/usr/share/fonts/opentype/noto"
WENKAI = "/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf"


def tiny_font(path, characters: str, *, family: str = "Tiny Test") -> str:
    """A TrueType font with a square glyph for each character (and .notdef)."""
    names = [".notdef"] + [f"uni{ord(c):04X}" for c in characters]
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder(names)
    builder.setupCharacterMap({ord(c): f"uni{ord(c):04X}" for c in characters})
    glyphs = {}
    for name in names:
        pen = TTGlyphPen(None)
        pen.moveTo((100, -100))
        pen.lineTo((100, 800))
        pen.lineTo((900, 800))
        pen.lineTo((900, -100))
        pen.closePath()
        glyphs[name] = pen.glyph()
    builder.setupGlyf(glyphs)
    builder.setupHorizontalMetrics(dict.fromkeys(names, (1000, 100)))
    builder.setupHorizontalHeader(ascent=880, descent=-120)
    builder.setupNameTable({"familyName": family, "styleName": "Regular"})
    builder.setupOS2(sTypoAscender=880, sTypoDescender=-120, usWinAscent=880, usWinDescent=120)
    builder.setupPost()
    builder.save(str(path))
    return str(path)


def cmap(path) -> set[int]:
    font = TTFont(str(path), lazy=True)
    try:
        return set(font.getBestCmap())
    finally:
        font.close()


def test_the_repertoire_is_gb2312_with_latin_and_the_punctuation_editors_type():
    characters = repertoire()
    hanzi = [c for c in characters if 0x4E00 <= c <= 0x9FFF]
    assert len(hanzi) == 6763
    for character in "的一是了国A9，。、；：“”（）《》【】〔〕—…·①⑴㈠Ⅱ℃◆●％":
        assert ord(character) in characters, character
    for character in "堃喆镕犇赟昇𠮷":  # in names, outside GB 2312: they come from the full faces
        assert ord(character) not in characters, character


def test_each_free_face_is_preceded_by_its_reduced_copy_in_every_stack():
    fonts = current_fonts()
    assert {spec.rsplit("/", 1)[1] for spec in fonts.reduced} == {
        "NotoSerifCJK-Bold.ttc#2", "NotoSerifCJK-Regular.ttc#2", "NotoSansCJK-Bold.ttc#2",
        "LXGWWenKai-Regular.ttf"}
    assert fonts.stack("body") == (
        '"Noto Serif CJK SC GB2312 W400", "Noto Serif CJK SC", "Noto Sans CJK SC"')
    assert fonts.stack("heading1") == (
        '"Noto Sans CJK SC GB2312 W700", "Noto Sans CJK SC", "Noto Serif CJK SC GB2312 W400", '
        '"Noto Serif CJK SC"')
    assert fonts.stack("heading2").startswith('"LXGW WenKai GB2312 W400", "LXGW WenKai", ')
    title = fonts.reduced_face("title")
    assert (title.weight, title.system, title.path.endswith(".otf")) == (700, False, True)
    assert (f'@font-face {{ font-family: "Noto Serif CJK SC GB2312 W700"; src: url("{title.url}"); '
            'font-weight: 700; }') in fonts.font_face_css()
    # The metrics that place text on the grid are those of the full face, and the same.
    assert (title.ascent, title.descent) == (fonts.face("title").ascent, fonts.face("title").descent)


def test_reduced_faces_keep_the_layout_features_and_the_licence():
    path = current_fonts().reduced_face("body").path
    font = TTFont(path, lazy=True)
    features = {record.FeatureTag for record in font["GSUB"].table.FeatureList.FeatureRecord}
    assert {"vert", "vrt2", "locl", "fwid", "hwid", "pwid", "ccmp", "liga"} <= features
    assert "SIL Open Font License" in str(font["name"].getDebugName(13))
    assert font["OS/2"].usWeightClass == 400
    font.close()


def test_the_missing_glyph_check_sees_the_union_of_reduced_and_full_faces():
    fonts = current_fonts()
    reduced_body = cmap(fonts.reduced_face("body").path)
    covered = covered_codepoints(fonts)
    assert ord("堃") not in reduced_body and ord("王") in reduced_body
    assert {ord("堃"), ord("喆"), ord("王")} <= covered


@pytest.mark.django_db
def test_a_character_outside_the_repertoire_prints_from_the_full_face(caplog):
    issue = build_issue(articles=1, paragraphs=1, distribution=False)
    article = issue.articles.get()
    type(article).objects.filter(pk=article.pk).update(body="<p>王堃、张喆两位同志参加会议。</p>")
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf = Measured(render_issue_pdf(issue, use_cache=False))
    assert not [r for r in caplog.records if "notdef" in r.getMessage()]
    body = [c for n in range(1, len(pdf.pages) + 1) for c in pdf.body_chars(n)]
    font_of = {c["text"]: c["fontname"].split("+", 1)[1] for c in body}
    assert font_of["堃"] == font_of["喆"] == "Noto-Serif-CJK-SC"
    assert font_of["王"] == font_of["张"] == font_of["、"] == "Noto-Serif-CJK-SC-GB2312-W400"
    names = {str(font.get_object()["/BaseFont"]).split("+", 1)[1]
             for page in pdf.reader.pages for font in page["/Resources"]["/Font"].values()}
    assert {"Noto-Serif-CJK-SC", "Noto-Serif-CJK-SC-GB2312-W400"} <= names


@pytest.mark.django_db
def test_gb2312_text_uses_only_the_reduced_faces():
    issue = build_issue(articles=5, paragraphs=4)
    pdf = Measured(render_issue_pdf(issue, use_cache=False))
    fonts = {c["fontname"].split("+", 1)[1] for page in pdf.pages for c in page.chars}
    assert fonts == {"Noto-Serif-CJK-SC-GB2312-W700-Bold", "Noto-Serif-CJK-SC-GB2312-W400",
                     "Noto-Sans-CJK-SC-GB2312-W700-Bold", "LXGW-WenKai-GB2312-W400"}


@pytest.mark.django_db
def test_without_reduced_faces_the_check_warns_and_printing_uses_the_full_faces(settings, tmp_path):
    settings.BULLETIN_REDUCED_FONT_DIR = str(tmp_path / "none")
    [warning] = checks.check_reduced_fonts()
    assert isinstance(warning, Warning) and warning.id == "bulletins.W004"
    assert warning.msg == (
        "以下字体没有可用的精简字体，印制时改用完整字体，每期 PDF 生成较慢、文件较大：\n"
        f"Noto Serif CJK SC（{NOTO}/NotoSerifCJK-Bold.ttc#2）：尚未生成（标题（小标宋））\n"
        f"Noto Serif CJK SC（{NOTO}/NotoSerifCJK-Regular.ttc#2）：尚未生成（正文（仿宋）、页码（宋体））\n"
        f"Noto Sans CJK SC（{NOTO}/NotoSansCJK-Bold.ttc#2）：尚未生成（一级标题“一、”（黑体））\n"
        f"LXGW WenKai（{WENKAI}）：尚未生成（二级标题“（一）”（楷体））")
    assert warning.hint == ("请运行 python manage.py build_reduced_fonts（./dev run 和 ./dev test "
                            "会自动运行），然后重启服务。")
    assert current_fonts().reduced == {}
    issue = build_issue(articles=1, paragraphs=2, distribution=False)
    pdf = Measured(render_issue_pdf(issue, use_cache=False))
    fonts = {c["fontname"].split("+", 1)[1] for page in pdf.pages for c in page.chars}
    assert fonts and not any("GB2312" in name for name in fonts)


def test_the_check_is_silent_when_every_reduced_face_is_current():
    assert checks.check_reduced_fonts() == []


def test_licensed_fonts_are_used_as_they_are(settings, tmp_path):
    shutil.copy(WENKAI, tmp_path / "simkai.ttf")
    settings.BULLETIN_FONT_DIR = str(tmp_path)
    fonts = current_fonts()
    assert fonts.roles["heading2"].licensed and fonts.roles["heading2"].reduced is None
    assert fonts.reduced_face("heading2") is None
    assert fonts.stack("heading2").startswith(f'"{fonts.face("heading2").css_family}", '
                                              '"Noto Serif CJK SC GB2312 W400"')
    results = build_reduced_faces()  # all current: nothing built, the licensed file left alone
    assert not any(result.built for result in results)
    assert str(tmp_path) not in " ".join(result.source for result in results)
    assert checks.check_reduced_fonts() == []


def test_a_face_is_rebuilt_when_its_source_file_changes(tmp_path):
    source = tiny_font(tmp_path / "source.ttf", "王张堃")
    folder = tmp_path / "reduced"
    assert find_reduced(source, folder=folder).status == "missing"

    first = build_reduced(source, folder=folder, codepoints={ord("王"), ord("张")})
    assert first.built and first.tool == "harfbuzz" and first.characters == 2
    assert cmap(first.path) == {ord("王"), ord("张")}
    assert find_reduced(source, folder=folder) == reduced.Reduced(source, "current", first.path)
    assert not build_reduced(source, folder=folder, codepoints={ord("王")}).built

    # Touched, same content: still current (the checksum decides, not the date).
    os.utime(source, ns=(1, 1))
    assert find_reduced(source, folder=folder).current

    # A new version of the font: stale until rebuilt, then the old copy is gone.
    tiny_font(tmp_path / "source.ttf", "王张", family="Tiny Test 2")
    assert find_reduced(source, folder=folder).status == "stale"
    second = build_reduced(source, folder=folder, codepoints={ord("王"), ord("张")})
    assert second.built and second.path != first.path
    assert find_reduced(source, folder=folder).path == second.path
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) == sorted(
        [second.path.name, second.path.with_suffix(".json").name])
    record = json.loads(second.path.with_suffix(".json").read_text())
    assert record["sha256"] == reduced.file_sha256(source)
    assert (record["repertoire"], record["characters"]) == ("gb2312", 2)

    # A copy whose record survived without its font file is missing, not current.
    second.path.unlink()
    assert find_reduced(source, folder=folder).status == "missing"


def test_a_change_of_the_build_rules_makes_every_face_stale(monkeypatch, tmp_path):
    source = tiny_font(tmp_path / "source.ttf", "王张")
    folder = tmp_path / "reduced"
    first = build_reduced(source, folder=folder, codepoints={ord("王")})
    monkeypatch.setattr(reduced, "SUFFIX", "gb2312-v2")
    assert find_reduced(source, folder=folder).status == "stale"
    second = build_reduced(source, folder=folder, codepoints={ord("王")})
    assert second.path.name.endswith("-gb2312-v2.otf") and not first.path.exists()


def test_a_stale_face_is_reported_and_not_used(monkeypatch, settings, tmp_path):
    source = tiny_font(tmp_path / "kai.ttf", "王张")
    settings.BULLETIN_REDUCED_FONT_DIR = str(tmp_path / "reduced")
    monkeypatch.setattr(font_module, "ROLES", tuple(
        font_module.Role(r.key, r.label, r.licensed_name, r.licensed_files,
                         (source,) if r.key == "heading2" else r.fallbacks)
        for r in font_module.ROLES))
    monkeypatch.setattr(checks, "ROLES", font_module.ROLES)
    font_module.current_fonts.cache_clear()
    try:
        build_reduced(source, folder=tmp_path / "reduced", codepoints={ord("王")})
        font_module.current_fonts.cache_clear()
        assert current_fonts().reduced_face("heading2") is not None

        tiny_font(tmp_path / "kai.ttf", "王张喆")
        font_module.current_fonts.cache_clear()
        fonts = current_fonts()
        assert fonts.reduced_face("heading2") is None
        assert fonts.stack("heading2").startswith(f'"{fonts.face("heading2").css_family}", ')
        messages = [m.msg for m in checks.check_reduced_fonts()]
    finally:
        font_module.current_fonts.cache_clear()
    assert (f"Tiny Test（{source}）：字体文件或生成规则已更新，精简字体已过期"
            "（二级标题“（一）”（楷体））") in messages[0]


def test_fonttools_builds_the_face_where_harfbuzz_cannot(monkeypatch, tmp_path):
    monkeypatch.setattr(harfbuzz, "available", lambda: False)
    source = tiny_font(tmp_path / "source.ttf", "王张堃")
    result = build_reduced(source, folder=tmp_path, codepoints={ord("王"), ord("A")})
    assert (result.tool, result.characters) == ("fonttools", 1)
    assert cmap(result.path) == {ord("王")}


def test_a_face_harfbuzz_cannot_subset_is_refused_in_chinese_naming_the_file(tmp_path):
    source = tmp_path / "broken.ttf"
    source.write_bytes(b"not a font")
    with pytest.raises(reduced.ReducedFontError) as refused:
        build_reduced(str(source), folder=tmp_path / "reduced", codepoints={ord("王")})
    assert str(refused.value) == (f"字体文件 {source} 无法生成精简字体：HarfBuzz 在文件中找不到编号 0 的字体"
                                  "（文件已损坏或不是字体文件）。")
    assert find_reduced(str(source), folder=tmp_path / "reduced").status == "missing"


def test_a_failed_build_is_reported_and_printing_keeps_the_full_face(monkeypatch, settings, tmp_path):
    # The other faces' copies are current; the WenKai one is to be built, and HarfBuzz fails.
    folder = tmp_path / "reduced"
    shutil.copytree(reduced.reduced_dir(), folder, ignore=shutil.ignore_patterns("LXGWWenKai*", ".lock"))
    settings.BULLETIN_REDUCED_FONT_DIR = str(folder)
    subset_face = harfbuzz.subset_face

    def failing(path, index, codepoints):
        if path == WENKAI:
            raise harfbuzz.SubsetError("HarfBuzz 取子集失败")
        return subset_face(path, index, codepoints)

    monkeypatch.setattr(harfbuzz, "subset_face", failing)
    err = io.StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("build_reduced_fonts", stdout=io.StringIO(), stderr=err)
    assert err.getvalue() == f"字体文件 {WENKAI} 无法生成精简字体：HarfBuzz 取子集失败。\n"
    assert str(failed.value) == ("精简字体：1 个未能生成（见上），印制时改用这些完整字体，"
                                 "PDF 生成较慢、文件较大；生成 0 个，3 个已是最新。")
    [warning] = checks.check_reduced_fonts()
    assert warning.msg.endswith(f"LXGW WenKai（{WENKAI}）：尚未生成（二级标题“（一）”（楷体））")
    fonts = current_fonts()
    assert fonts.reduced_face("heading2") is None and fonts.reduced_face("body") is not None
    assert fonts.stack("heading2").startswith('"LXGW WenKai", ')


def test_the_command_builds_nothing_when_every_face_is_current():
    out = io.StringIO()
    call_command("build_reduced_fonts", verbosity=2, stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 5
    assert all(line.startswith("已是最新：") for line in lines[:4])
    assert lines[4].startswith("精简字体：生成 0 个，4 个已是最新（")


def test_harfbuzz_reads_the_same_characters_as_fonttools(tmp_path):
    source = tiny_font(tmp_path / "source.ttf", "王张堃A")
    assert harfbuzz.face_codepoints(source, 0) == cmap(source)
    body = current_fonts().reduced_face("body").path
    assert harfbuzz.face_codepoints(body, 0) == cmap(body)
