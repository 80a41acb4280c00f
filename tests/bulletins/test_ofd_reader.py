"""An independent OFD reader draws our OFD like the PDF: ofd.js (npm, Apache-2.0) in headless Chromium.

./dev test installs the reader into var/ofd-reader (``npm install ofd.js@0.2.6``; later
versions need a licence key). ofd.js draws each TextCode with the system font named in the
document (not with the embedded program) and its own glyph placement, so strokes differ by a
pixel or two: the rasters are compared as ink masks, each required to lie within 3 px (0.8 mm at
96 dpi) of the other's ink. A page shifted by 5 mm scores about 0.3 on this measure, the real
rendering above 0.99.
"""

import base64
import os
import subprocess  # noqa: S404 - pdftoppm with fixed arguments
from pathlib import Path

import pypdf
import pytest
from PIL import Image, ImageChops, ImageFilter

from bulletins.rendering.ofd import render_issue_ofd
from bulletins.rendering.pdf import render_issue_pdf
from tests.editorial.test_browser import CHROMIUM, CHROMIUM_ARGS
from tests.printing import build_issue

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

ROOT = Path(__file__).resolve().parents[2]
READER = Path(os.environ.get("OFD_READER_DIR", ROOT / "var" / "ofd-reader")) / \
    "node_modules" / "ofd.js" / "lib" / "ofd.umd.min.js"
WIDTH = 794  # A4 at 96 dpi

RENDER = """async ([b64, width]) => {
  const data = Uint8Array.from(atob(b64), c => c.charCodeAt(0)).buffer;
  return await new Promise((resolve) => {
    ofd.parseOfdDocument({ofd: data, success(res) {
        const pages = ofd.renderOfd(width, res[0]);
        pages.forEach(p => document.body.appendChild(p));
        resolve(pages.length);
      }, fail(error) { resolve('fail: ' + error); }});
  });
}"""


def render_with_ofd_js(ofd: bytes, out: Path) -> int:
    sync_api = pytest.importorskip("playwright.sync_api")
    assert READER.is_file(), "./dev test installs ofd.js into var/ofd-reader"
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": WIDTH, "height": 1200})
            page.set_content(f'<html><head><meta charset="utf-8"><script>{READER.read_text()}</script>'
                             "<style>body { margin: 0; background: #fff; }</style></head>"
                             "<body></body></html>")
            pages = page.evaluate(RENDER, [base64.b64encode(ofd).decode(), WIDTH])
            page.wait_for_timeout(500)
            page.locator("body > div").first.screenshot(path=str(out))
            browser.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    return pages


def _ink(image: Image.Image) -> Image.Image:
    return image.convert("L").point(lambda v: 255 if v < 160 else 0)


def _red(image: Image.Image) -> Image.Image:
    r, g, b = image.convert("RGB").split()
    return ImageChops.multiply(ImageChops.multiply(r.point(lambda v: 255 if v > 150 else 0),
                                                   g.point(lambda v: 255 if v < 100 else 0)),
                               b.point(lambda v: 255 if v < 100 else 0))


def covered(mask: Image.Image, by: Image.Image, pixels: int = 3) -> float:
    """Share of `mask`'s ink within `pixels` of `by`'s ink."""
    near = by.filter(ImageFilter.MaxFilter(2 * pixels + 1)).tobytes()
    inked = [i for i, v in enumerate(mask.tobytes()) if v]
    assert inked, "nothing drawn"
    return sum(1 for i in inked if near[i]) / len(inked)


def test_ofd_js_draws_the_first_page_like_the_pdf(tmp_path):
    issue = build_issue(articles=3, paragraphs=3, name="工作简报", slug="jiangsu")
    pdf = render_issue_pdf(issue)
    (tmp_path / "issue.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-f", "1", "-l", "1", "-scale-to-x", str(WIDTH),  # noqa: S603,S607
                    "-scale-to-y", "-1", str(tmp_path / "issue.pdf"), str(tmp_path / "pdf")], check=True)
    [first_page] = tmp_path.glob("pdf-*.png")
    ours = Image.open(first_page).convert("RGB")
    pages = render_with_ofd_js(render_issue_ofd(issue), tmp_path / "ofd.png")
    assert pages == len(pypdf.PdfReader(tmp_path / "issue.pdf").pages)
    theirs = Image.open(tmp_path / "ofd.png").convert("RGB").resize(ours.size)
    assert covered(_ink(ours), _ink(theirs)) >= 0.95
    assert covered(_ink(theirs), _ink(ours)) >= 0.95
    # The red masthead: name and rule in the same place.
    assert covered(_red(ours), _red(theirs)) >= 0.85
    assert covered(_red(theirs), _red(ours)) >= 0.85
    # And the measure does tell a misplaced page: the same rendering 5 mm lower fails it.
    shifted = ImageChops.offset(theirs, 0, 19)
    assert covered(_ink(ours), _ink(shifted)) < 0.6
