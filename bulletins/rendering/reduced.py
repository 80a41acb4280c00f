"""Reduced font faces: each free fallback face cut down, once, to the characters bulletins use.

A full Noto CJK face holds some 65,000 glyphs, and WeasyPrint reads the whole file and
subsets it again for every PDF. A copy of the face holding only the GB 2312 repertoire
(plus Latin, digits and punctuation) makes that several times cheaper. The reduced face
goes first in its role's font stack and the full face right behind it, so a character
outside the repertoire (堃, 喆 in a name) still prints from the full face.

Why GB 2312: the offices' own fonts are 仿宋_GB2312 and 楷体_GB2312, so the texts written
for them keep to that repertoire; its 6,763 characters cover about 99.9% of the characters in
running modern text, and the rest is still printed, from the full face.

Reduced faces live in ``BULLETIN_REDUCED_FONT_DIR`` (default ``var/reduced-fonts/``), one
``.otf`` per source face, named by the source file's SHA-256, with a ``.json`` beside it
recording what it was built from. A face whose source file changed (a font upgrade) is stale
and is not used until ``manage.py build_reduced_fonts`` builds it again; the set-up
(``./dev run``, ``./dev test``) runs that command.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import io
import json
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from bulletins.rendering import harfbuzz

# Changing the repertoire (or how faces are built) changes this, which rebuilds every face.
REPERTOIRE_NAME = "gb2312"
BUILD_VERSION = 1
SUFFIX = f"{REPERTOIRE_NAME}-v{BUILD_VERSION}"

# Blocks kept whole besides GB 2312: Latin, the punctuation and symbols editors type
# (GB 2312 lacks some that GBK input methods produce, e.g. — U+2014 and · U+00B7).
EXTRA_RANGES = (
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1 Supplement: · × ÷ ° §
    (0x2000, 0x206F),  # General Punctuation: — ‘’ “” … ‰ ※
    (0x2100, 0x214F),  # Letterlike Symbols: ℃ №
    (0x2150, 0x218F),  # Number Forms: Ⅰ Ⅱ ⅰ
    (0x2190, 0x21FF),  # Arrows
    (0x2460, 0x24FF),  # Enclosed Alphanumerics: ① ⑴ ⒈
    (0x25A0, 0x25FF),  # Geometric Shapes: ◆ ● ■ △
    (0x3000, 0x303F),  # CJK Symbols and Punctuation: 、。〈〉《》「」【】〔〕
    (0x3200, 0x32FF),  # Enclosed CJK Letters: ㈠ ㈡
    (0xFF00, 0xFFEF),  # Halfwidth and Fullwidth Forms: ，（）：；！？
)


@functools.cache
def repertoire() -> frozenset[int]:
    """GB 2312 (both the GB 2312 and the GBK mapping of its rows) plus EXTRA_RANGES."""
    codepoints: set[int] = set()
    for first in range(0xA1, 0xF8):
        for second in range(0xA1, 0xFF):
            for codec in ("gb2312", "gbk"):
                try:
                    codepoints.add(ord(bytes((first, second)).decode(codec)))
                except UnicodeDecodeError:
                    continue
    for low, high in EXTRA_RANGES:
        codepoints.update(range(low, high + 1))
    return frozenset(codepoints)


def reduced_dir() -> Path:
    return Path(getattr(settings, "BULLETIN_REDUCED_FONT_DIR", None)
                or Path(settings.BASE_DIR) / "var" / "reduced-fonts")


def _split_spec(spec: str) -> tuple[str, int]:
    path, _, index = spec.partition("#")
    return str(Path(path).resolve()), int(index) if index.isdigit() else 0


def file_sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class ReducedFontError(Exception):
    """A reduced face that cannot be built; the message, in Chinese, names the font file."""


@dataclass(frozen=True)
class Reduced:
    """The state of the reduced face of one source face."""

    source: str  # "path" or "path#index" of the full face
    status: str  # "current", "missing", or "stale" (built from another version of the font,
    # or by other build rules: SUFFIX)
    path: Path | None = None  # the reduced .otf, when current

    @property
    def current(self) -> bool:
        return self.status == "current"


def _records(folder: Path, source: str, index: int) -> list[tuple[Path, dict]]:
    """The records of every reduced face built from this source face, of any build version."""
    records = []
    for manifest in sorted(folder.glob("*.json")):
        try:
            record = json.loads(manifest.read_text())
        except (OSError, ValueError):
            continue
        if (isinstance(record, dict) and record.get("source") == source
                and record.get("index") == index):
            records.append((manifest, record))
    return records


def find_reduced(spec: str, *, folder: Path | None = None) -> Reduced:
    """Whether the reduced face of `spec` is built and matches the source file as it is now.

    The record keeps the source's size and modification time beside its SHA-256, so the
    file is hashed only when those changed (a touched file whose content is the same is
    still current).
    """
    folder = folder or reduced_dir()
    source, index = _split_spec(spec)
    try:
        stat = os.stat(source)
    except OSError:
        return Reduced(spec, "missing")
    records = _records(folder, source, index)
    checksum = None
    for manifest, record in records:
        font = manifest.with_suffix(".otf")
        if not manifest.name.endswith(f"-{SUFFIX}.json") or not font.is_file():
            continue
        if (record.get("size"), record.get("mtime_ns")) == (stat.st_size, stat.st_mtime_ns):
            return Reduced(spec, "current", font)
        checksum = checksum or file_sha256(source)
        if record.get("sha256") == checksum:
            # Same content, new date (copied, touched): remember it so it is not hashed again.
            with contextlib.suppress(OSError):
                _write_atomically(manifest, json.dumps(
                    {**record, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}, indent=1).encode())
            return Reduced(spec, "current", font)
    # Built once, but from another version of the font or by an older build of this code.
    built = any(manifest.with_suffix(".otf").is_file() for manifest, _record in records)
    return Reduced(spec, "stale" if built else "missing")


@contextlib.contextmanager
def _locked(folder: Path):
    """One builder at a time (test workers, a server starting while ./dev builds)."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _fonttools_subset(path: str, index: int, codepoints) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options(layout_features=["*"], layout_scripts=["*"], name_IDs=["*"],
                             name_languages=["*"], notdef_outline=True, glyph_names=True)
    font = TTFont(path, fontNumber=index, lazy=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints)
    subsetter.subset(font)
    output = io.BytesIO()
    font.save(output)
    return output.getvalue()


def subset_face(path: str, index: int, codepoints) -> tuple[bytes, str]:
    """(font bytes, tool used): HarfBuzz where its subset library is present, else fontTools."""
    if harfbuzz.available():
        return harfbuzz.subset_face(path, index, codepoints), "harfbuzz"
    return _fonttools_subset(path, index, codepoints), "fonttools"


@dataclass(frozen=True)
class BuildResult:
    source: str
    path: Path | None  # None when it failed
    built: bool  # False when a current one was already there, or it failed
    seconds: float = 0.0
    tool: str = ""
    characters: int = 0
    error: str = ""  # why it could not be built (printing then uses the full face)


def _write_atomically(target: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; the web server must read it
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def build_reduced(spec: str, *, folder: Path | None = None, codepoints=None,
                  force: bool = False) -> BuildResult:
    """Build the reduced face of `spec` unless a current one exists; remove stale ones."""
    from fontTools.ttLib import TTFont, TTLibError

    folder = folder or reduced_dir()
    source, index = _split_spec(spec)
    with _locked(folder):
        found = find_reduced(spec, folder=folder)
        if found.current and not force:
            return BuildResult(spec, found.path, built=False)
        started = time.perf_counter()
        wanted = repertoire() if codepoints is None else frozenset(codepoints)
        try:
            stat = os.stat(source)
            checksum = file_sha256(source)
            data, tool = subset_face(source, index, wanted)
            font = TTFont(io.BytesIO(data), lazy=True)  # a font, and which characters it has
            characters = len(font.getBestCmap() or {})
            font.close()
        except harfbuzz.SubsetError as error:
            raise ReducedFontError(f"字体文件 {spec} 无法生成精简字体：{error}。") from error
        except (TTLibError, OSError) as error:  # fontTools, or a font HarfBuzz made unreadable
            raise ReducedFontError(f"字体文件 {spec} 无法生成精简字体：无法读取（{error}）。") from error
        stem = f"{Path(source).stem}-{index}-{checksum[:16]}-{SUFFIX}"
        target = folder / f"{stem}.otf"
        _write_atomically(target, data)
        record = {"source": source, "index": index, "size": stat.st_size,
                  "mtime_ns": stat.st_mtime_ns, "sha256": checksum, "repertoire": REPERTOIRE_NAME,
                  "build_version": BUILD_VERSION, "tool": tool, "characters": characters}
        # The record is written last: a reduced face without one is never used.
        _write_atomically(target.with_suffix(".json"), json.dumps(record, indent=1).encode())
        for manifest, _old in _records(folder, source, index):
            if manifest != target.with_suffix(".json"):
                for old in (manifest.with_suffix(".otf"), manifest):
                    with contextlib.suppress(OSError):
                        old.unlink()
        return BuildResult(spec, target, built=True, seconds=time.perf_counter() - started,
                           tool=tool, characters=characters)
