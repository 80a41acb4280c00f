"""The editor bundle the article page serves: CKEditor 5 >= 48.5.1, built from frontend/'s lock file."""

import json
import re
from pathlib import Path

from django.contrib.staticfiles import finders

from editorial.forms import ArticleForm

MINIMUM = (48, 5, 1)
FRONTEND = Path(__file__).resolve().parents[2] / "frontend"


def _served_scripts() -> list[Path]:
    scripts = ArticleForm().media._js
    paths = [finders.find(script) for script in scripts]
    assert all(paths), f"missing static files: {scripts}"
    return [Path(path) for path in paths]


def ckeditor_version(source: str) -> tuple[int, int, int] | None:
    """The version a bundle sets as globalThis.CKEDITOR_VERSION (through a minified variable)."""
    assigned = re.search(r"globalThis\.CKEDITOR_VERSION\s*=\s*([\w$]+|\"[\d.]+\")", source)
    if assigned is None:
        return None
    value = assigned.group(1)
    if not value.startswith('"'):
        defined = re.search(rf"(?<![\w$.]){re.escape(value)}\s*=\s*(\"[\d.]+\")", source)
        value = defined.group(1) if defined else ""
    numbers = re.fullmatch(r'"(\d+)\.(\d+)\.(\d+)"', value)
    return tuple(int(n) for n in numbers.groups()) if numbers else None


def test_served_editor_is_ckeditor_48_5_1_or_newer():
    versions = [ckeditor_version(path.read_text(encoding="utf-8")) for path in _served_scripts()]
    versions = [version for version in versions if version]
    assert len(versions) == 1, "exactly one served script must carry CKEditor 5"
    assert versions[0] >= MINIMUM


def test_bundle_is_the_build_of_the_locked_ckeditor():
    lock = json.loads((FRONTEND / "package-lock.json").read_text(encoding="utf-8"))
    locked = lock["packages"]["node_modules/ckeditor5"]["version"]
    (bundle,) = [path for path in _served_scripts() if ckeditor_version(path.read_text("utf-8"))]
    assert ".".join(map(str, ckeditor_version(bundle.read_text("utf-8")))) == locked


def test_version_reader_sees_old_bundles():
    assert ckeditor_version('var kp="47.5.0",Lc=1;globalThis.CKEDITOR_VERSION=kp;') == (47, 5, 0)
    assert ckeditor_version('globalThis.CKEDITOR_VERSION="48.5.2";') == (48, 5, 2)
    assert ckeditor_version("console.log(1)") is None


def test_the_old_bundle_of_django_ckeditor_5_is_not_served():
    assert finders.find("django_ckeditor_5/dist/bundle.js") is None
    assert finders.find("django_ckeditor_5/dist/translations/zh-cn.js") is None
    assert finders.find("admin/css/base.css") is not None


def test_editor_rules_are_the_servers():
    """The editor's heading rules and 字数 mirror bulletins.headings and bulletins.text."""
    from bulletins.archive.rules import H2_RE, H3_RE, H4_RE, HEADING_MAX
    from bulletins.text import HAN_RE

    headings = (FRONTEND / "src/headings.js").read_text(encoding="utf-8")
    for name, pattern in (("H2", H2_RE), ("H3", H3_RE), ("H4", H4_RE)):
        assert re.search(rf"const {name} = /(.*)/;", headings).group(1) == pattern.pattern
    assert f"const HEADING_MAX = {HEADING_MAX};" in headings
    han = re.search(r"const HAN = /(.*)/gu;", (FRONTEND / "src/hancount.js").read_text("utf-8")).group(1)
    as_python = re.sub(r"\\u\{([0-9a-f]+)\}", lambda m: chr(int(m.group(1), 16)), han)
    as_python = re.sub(r"\\u([0-9a-f]{4})", lambda m: chr(int(m.group(1), 16)), as_python)
    assert as_python == HAN_RE.pattern
