import pytest


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="session", autouse=True)
def _reduced_fonts():
    """The reduced font faces in var/, as ./dev builds them: built here only when missing or
    stale (a fresh clone tested without ./dev), once, whichever test worker comes first."""
    from bulletins.rendering.fonts import build_reduced_faces

    build_reduced_faces()
