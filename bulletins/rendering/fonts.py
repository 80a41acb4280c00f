"""Map each typographic role of the printed bulletin to a verified font file.

Licensed office fonts are used where the site provides them (a file named in an
environment variable, or a known file name in ``BULLETIN_FONT_DIR``); otherwise
the free fonts from Debian's fonts-noto-cjk and fonts-lxgw-wenkai. A role is
never left to fontconfig guessing from a family name: every candidate is a file,
and a file is used either through the exact family fontconfig lists for that
file and face (system fonts, so collections pick the SC face) or through an
``@font-face`` rule whose URL only our fetcher serves.

A free face that has a reduced copy (``reduced.py``: the GB 2312 repertoire, built once)
is preceded by that copy in every font stack, so most text is set from the small face
and any other character from the full face behind it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import os
import shutil
import subprocess  # noqa: S404 - fixed fc-list arguments, no shell
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.signals import setting_changed
from fontTools.ttLib import TTFont, TTLibError

from bulletins.rendering import harfbuzz
from bulletins.rendering.reduced import REPERTOIRE_NAME, Reduced, find_reduced


@dataclass(frozen=True)
class Role:
    key: str
    label: str
    licensed_name: str
    licensed_files: tuple[str, ...]
    fallbacks: tuple[str, ...]


NOTO = "/usr/share/fonts/opentype/noto"
WENKAI = "/usr/share/fonts/truetype/lxgw-wenkai"

# Collections are named "file#index"; index 2 is the Simplified Chinese face of Noto CJK.
ROLES: tuple[Role, ...] = (
    Role("title", "标题（小标宋）", "方正小标宋简体",
         ("FZXBSJW.TTF", "FZXBSJW--GB1-0.ttf", "方正小标宋简体.ttf"),
         (f"{NOTO}/NotoSerifCJK-Bold.ttc#2", f"{NOTO}/NotoSerifCJK-Black.ttc#2")),
    Role("body", "正文（仿宋）", "仿宋_GB2312",
         ("FangSong_GB2312.ttf", "仿宋_GB2312.ttf", "simfang.ttf"),
         (f"{NOTO}/NotoSerifCJK-Regular.ttc#2",)),
    Role("heading1", "一级标题“一、”（黑体）", "黑体",
         ("simhei.ttf", "SimHei.ttf", "黑体.ttf"),
         (f"{NOTO}/NotoSansCJK-Bold.ttc#2", f"{NOTO}/NotoSansCJK-Regular.ttc#2")),
    Role("heading2", "二级标题“（一）”（楷体）", "楷体_GB2312",
         ("KaiTi_GB2312.ttf", "楷体_GB2312.ttf", "simkai.ttf"),
         (f"{WENKAI}/LXGWWenKai-Regular.ttf",)),
    Role("page_number", "页码（宋体）", "宋体",
         ("simsun.ttc", "simsun.ttf", "宋体.ttf"),
         (f"{NOTO}/NotoSerifCJK-Regular.ttc#2",)),
)
ROLE_KEYS = tuple(role.key for role in ROLES)

# Appended to every role's family list (and counted for glyph coverage), so a character
# missing from a narrow licensed font is set in a known font rather than a guessed one.
FALLBACK_STACK = (f"{NOTO}/NotoSerifCJK-Regular.ttc#2", f"{NOTO}/NotoSansCJK-Regular.ttc#2")


@dataclass(frozen=True)
class FontFace:
    """One face of one font file, and how CSS refers to it."""

    path: str
    index: int
    family: str
    weight: int
    system: bool  # listed by fontconfig: CSS names the family; else loaded with @font-face
    ascent: float = 0.88  # hhea ascent and descent in em, which set where a line's text sits
    descent: float = 0.12
    name: str = ""  # the CSS family of a face loaded with @font-face, when not derived from the file

    @property
    def spec(self) -> str:
        return f"{self.path}#{self.index}" if self.index else self.path

    @property
    def css_family(self) -> str:
        if self.system:
            return self.family
        return self.name or f"bulletin {Path(self.path).stem} {self.index}"

    @property
    def url(self) -> str:
        return Path(self.path).as_uri()

    @property
    def token(self) -> str:
        """A name for the face that says nothing of where it lies, for URLs shown to browsers."""
        return hashlib.sha256(self.spec.encode()).hexdigest()[:20]


@dataclass(frozen=True)
class ResolvedRole:
    role: Role
    face: FontFace | None
    licensed: bool
    tried: tuple[str, ...]
    reduced: Reduced | None = None  # the state of the reduced copy of a free face


@dataclass(frozen=True)
class FontSet:
    roles: dict[str, ResolvedRole]
    fallbacks: tuple[FontFace, ...]
    reduced: dict[str, FontFace] = dataclasses.field(default_factory=dict)  # full spec -> copy

    def face(self, role: str) -> FontFace | None:
        return self.roles[role].face

    def reduced_face(self, role: str) -> FontFace | None:
        face = self.face(role)
        return self.reduced.get(face.spec) if face else None

    @property
    def faces(self) -> list[FontFace]:
        """Every face the documents may use: reduced copies, role faces, fallbacks."""
        seen: dict[str, FontFace] = {}
        for face in [*self.reduced.values(), *(r.face for r in self.roles.values() if r.face),
                     *self.fallbacks]:
            seen.setdefault(face.spec, face)
        return list(seen.values())

    @property
    def file_paths(self) -> frozenset[str]:
        return frozenset(str(Path(face.path).resolve()) for face in self.faces)

    def stack(self, role: str) -> str:
        """CSS font-family list for a role: its face, then the body face, then the fallbacks,
        each full face right after its reduced copy where it has one."""
        faces = []
        for face in [self.face(role), self.face("body"), *self.fallbacks]:
            if face:
                faces += [self.reduced.get(face.spec), face]
        families: list[str] = []
        for face in faces:
            if face and face.css_family not in families:
                families.append(face.css_family)
        return ", ".join(f'"{family}"' for family in families)

    def weight(self, role: str) -> int:
        face = self.face(role)
        return face.weight if face else 400

    def font_face_css(self, url_for: Callable[[FontFace], str] | None = None) -> str:
        """@font-face rules for the faces fontconfig does not know (site-provided files and the
        reduced copies): with their file URLs for WeasyPrint, or `url_for`'s for a browser."""
        rules = []
        for face in self.faces:
            if not face.system:
                url = url_for(face) if url_for is not None else face.url
                rules.append(f'@font-face {{ font-family: "{face.css_family}"; '
                             f'src: url("{url}"); font-weight: {face.weight}; }}')
        return "\n".join(rules)

    def face_by_token(self, token: str) -> FontFace | None:
        """The face loaded with @font-face (never a system one) that `token` names."""
        return next((face for face in self.faces if not face.system and face.token == token), None)

    def fingerprint(self) -> str:
        parts = []
        for face in self.faces:
            try:
                stat = os.stat(face.path)
                parts.append(f"{face.spec}:{stat.st_size}:{stat.st_mtime_ns}")
            except OSError:
                parts.append(f"{face.spec}:missing")
        return "|".join(parts)


def _split_spec(spec: str) -> tuple[str, int]:
    path, _, index = spec.partition("#")
    return path, int(index) if index.isdigit() else 0


@functools.cache
def fontconfig_faces() -> dict[tuple[str, int], str]:
    """(resolved file, face index) -> first family name, for every font fontconfig lists."""
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return {}
    try:
        output = subprocess.run(  # noqa: S603 - fixed arguments
            [fc_list, "--format", "%{file}|%{index}|%{family[0]}\n"],
            capture_output=True, text=True, timeout=30, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    faces = {}
    for line in output.splitlines():
        file, _, rest = line.partition("|")
        index, _, family = rest.partition("|")
        if file and index.isdigit() and family:
            faces[(str(Path(file).resolve()), int(index))] = family
    return faces


@functools.cache
def _read_face(path: str, index: int, mtime_ns: int) -> tuple[str, int, float, float] | None:
    """Family name, weight class, ascent and descent of a face, read from the file itself."""
    try:
        font = TTFont(path, fontNumber=index, lazy=True)
        name = font["name"]
        family = str(name.getDebugName(16) or name.getDebugName(1) or "")
        weight = int(font["OS/2"].usWeightClass) if "OS/2" in font else 400
        units = font["head"].unitsPerEm
        ascent, descent = font["hhea"].ascent / units, -font["hhea"].descent / units
        font.close()
    except (OSError, TTLibError, KeyError, AssertionError, IndexError, AttributeError):
        return None
    return family, weight, ascent, descent


def load_face(spec: str) -> FontFace | None:
    """Return the face named by "path" or "path#index" if the file exists and is a font."""
    path, index = _split_spec(spec)
    try:
        stat = os.stat(path)
    except OSError:
        return None
    resolved = str(Path(path).resolve())
    read = _read_face(resolved, index, stat.st_mtime_ns)
    if read is None:
        return None
    family, weight, ascent, descent = read
    system_family = fontconfig_faces().get((resolved, index))
    if system_family is None and index:
        # @font-face can only reach the first face of a collection.
        return None
    return FontFace(path=resolved, index=index, family=system_family or family,
                    weight=min(max(weight // 100 * 100, 100), 900), system=system_family is not None,
                    ascent=ascent, descent=descent)


def licensed_candidates(role: Role) -> list[str]:
    explicit = getattr(settings, "BULLETIN_FONTS", {}).get(role.key) or []
    candidates = [explicit] if isinstance(explicit, str) else list(explicit)
    font_dir = getattr(settings, "BULLETIN_FONT_DIR", None)
    if font_dir:
        candidates += [str(Path(font_dir) / name) for name in role.licensed_files]
    return candidates


def resolve_fonts() -> FontSet:
    """Resolve every role to the first usable candidate, licensed ones first."""
    roles = {}
    for role in ROLES:
        tried: list[str] = []
        face, licensed = None, False
        for candidates, is_licensed in ((licensed_candidates(role), True), (role.fallbacks, False)):
            for spec in candidates:
                tried.append(spec)
                face = load_face(spec)
                if face:
                    licensed = is_licensed
                    break
            if face:
                break
        state = find_reduced(face.spec) if face and not licensed else None
        roles[role.key] = ResolvedRole(role=role, face=face, licensed=licensed, tried=tuple(tried),
                                       reduced=state)
    fallbacks = tuple(face for spec in FALLBACK_STACK if (face := load_face(spec)))
    reduced: dict[str, FontFace] = {}
    for resolved in roles.values():
        face = resolved.face
        if face and resolved.reduced and resolved.reduced.current and face.spec not in reduced:
            copy = load_face(str(resolved.reduced.path))
            if copy:
                # One family per file (a reduced Regular must never stand in for a Bold).
                reduced[face.spec] = dataclasses.replace(
                    copy, name=f"{face.family} {REPERTOIRE_NAME.upper()} W{face.weight}")
    return FontSet(roles=roles, fallbacks=fallbacks, reduced=reduced)


@functools.cache
def _cmap(path: str, index: int, mtime_ns: int) -> frozenset[int]:
    with contextlib.suppress(harfbuzz.SubsetError):
        codepoints = harfbuzz.face_codepoints(path, index)
        if codepoints:
            return codepoints
    font = TTFont(path, fontNumber=index, lazy=True)
    try:
        return frozenset(font.getBestCmap() or {})
    finally:
        font.close()


def covered_codepoints(fonts: FontSet) -> frozenset[int]:
    """Every code point some configured face has a glyph for."""
    return _union_of_cmaps(fonts.fingerprint())


@functools.lru_cache(maxsize=8)
def _union_of_cmaps(fingerprint: str) -> frozenset[int]:
    covered: set[int] = set()
    for part in fingerprint.split("|"):
        if not part or part.endswith(":missing"):
            continue
        spec, _size, mtime = part.rsplit(":", 2)
        path, index = _split_spec(spec)
        covered |= _cmap(path, index, int(mtime))
    return frozenset(covered)


@functools.cache
def current_fonts() -> FontSet:
    """The font set for this process; cleared when font settings change (tests)."""
    return resolve_fonts()


def _clear_on_setting_change(*, setting: str, **kwargs) -> None:
    if setting in {"BULLETIN_FONTS", "BULLETIN_FONT_DIR", "BULLETIN_REDUCED_FONT_DIR"}:
        current_fonts.cache_clear()


setting_changed.connect(_clear_on_setting_change)


def build_reduced_faces(*, force: bool = False, folder: Path | None = None) -> list:
    """Build the reduced copy of every free face a role uses (licensed files are used as they
    are); a copy that is current is kept. Returns a BuildResult per source face; one that
    failed carries its error, and printing uses that full face."""
    from bulletins.rendering.reduced import BuildResult, ReducedFontError, build_reduced

    results, done = [], set()
    for resolved in resolve_fonts().roles.values():
        face = resolved.face
        if face is None or resolved.licensed or face.spec in done:
            continue
        done.add(face.spec)
        try:
            results.append(build_reduced(face.spec, folder=folder, force=force))
        except ReducedFontError as error:
            results.append(BuildResult(face.spec, None, built=False, error=str(error)))
    current_fonts.cache_clear()
    return results
